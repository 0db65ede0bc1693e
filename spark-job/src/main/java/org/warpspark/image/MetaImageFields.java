package org.warpspark.image;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Turns MetaImage {@code Key = Value} pairs (keys lower-cased) into a {@link MetaImageHeader},
 * with MetaIO's synonyms and precedence: {@code Origin} over {@code Position} over {@code Offset},
 * {@code TransformMatrix} over {@code Rotation} over {@code Orientation}, {@code ElementSpacing}
 * over {@code ElementSize}; booleans are true when they start with T, t or 1.
 */
final class MetaImageFields {
  private MetaImageFields() {}

  static MetaImageHeader parse(Map<String, String> fields, long headerBytes, String source) {
    String objectType = get(fields, "ObjectType");
    if (objectType != null && !objectType.equalsIgnoreCase("Image")) {
      throw new UnsupportedImageException(source, "MetaImage ObjectType " + objectType + " is not an Image");
    }
    int nDims = nDims(fields, source);
    long[] dimSize = dimSize(fields, nDims, source);
    double[] spacing = numbers(fields, nDims, source, "ElementSpacing", "ElementSize");
    double[] origin = numbers(fields, nDims, source, "Origin", "Position", "Offset");
    double[] matrix = numbers(fields, nDims * nDims, source, "TransformMatrix", "Rotation", "Orientation");
    requireSingleChannel(fields, source);
    if (!isTrue(getOrDefault(fields, "BinaryData", "True"))) {
      throw new UnsupportedImageException(source, "MetaImage with ASCII data (BinaryData = False) is not supported");
    }
    String msb = getOrDefault(fields, "BinaryDataByteOrderMSB", getOrDefault(fields, "ElementByteOrderMSB", "False"));
    boolean compressed = isTrue(getOrDefault(fields, "CompressedData", "False"));
    return new MetaImageHeader(dimSize,
        spacing == null ? filled(nDims, 1) : spacing,
        origin == null ? new double[nDims] : origin,
        matrix == null ? identity(nDims) : matrix,
        elementType(get(fields, "ElementType"), source),
        isTrue(msb) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN,
        compressed,
        has(fields, "CompressedDataSize") ? nonNegative(fields, "CompressedDataSize", source) : -1,
        headerSize(fields, source),
        get(fields, "ElementDataFile"),
        headerBytes);
  }

  private static int nDims(Map<String, String> fields, String source) {
    String value = get(fields, "NDims");
    if (value == null) {
      throw new CorruptImageException(source, "MetaImage header has no NDims field");
    }
    int nDims;
    try {
      nDims = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new CorruptImageException(source, "MetaImage NDims '" + value + "' is not an integer");
    }
    if (nDims != 2 && nDims != 3) {
      throw new UnsupportedImageException(source, "MetaImage NDims = " + nDims + "; only 2D and 3D images are supported");
    }
    return nDims;
  }

  private static long[] dimSize(Map<String, String> fields, int nDims, String source) {
    double[] values = numbers(fields, nDims, source, "DimSize");
    if (values == null) {
      throw new CorruptImageException(source, "MetaImage header has no DimSize field");
    }
    long[] size = new long[nDims];
    for (int i = 0; i < nDims; i++) {
      if (!(values[i] >= 1) || values[i] != Math.rint(values[i]) || values[i] > Long.MAX_VALUE / 2) {
        throw new CorruptImageException(source, "MetaImage DimSize '" + get(fields, "DimSize")
            + "' is not a list of positive integers");
      }
      size[i] = (long) values[i];
    }
    return size;
  }

  /** The first of {@code keys} present, as exactly {@code count} finite numbers; null if none is present. */
  private static double[] numbers(Map<String, String> fields, int count, String source, String... keys) {
    for (String key : keys) {
      String value = get(fields, key);
      if (value == null) {
        continue;
      }
      String[] words = value.isEmpty() ? new String[0] : value.split("\\s+");
      if (words.length != count) {
        throw new CorruptImageException(source, "MetaImage field " + key + " has " + words.length
            + " values where NDims asks for " + count + ": '" + value + "'");
      }
      double[] numbers = new double[count];
      for (int i = 0; i < count; i++) {
        numbers[i] = number(words[i], key, source);
      }
      return numbers;
    }
    return null;
  }

  private static double number(String word, String key, String source) {
    try {
      double v = Double.parseDouble(word);
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below with the field's name
    }
    throw new CorruptImageException(source, "MetaImage field " + key + " value '" + word + "' is not a finite number");
  }

  private static long nonNegative(Map<String, String> fields, String key, String source) {
    try {
      long v = Long.parseLong(get(fields, key));
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below with the field's name
    }
    throw new CorruptImageException(source, "MetaImage field " + key + " '" + get(fields, key) + "' is not a byte count");
  }

  private static long headerSize(Map<String, String> fields, String source) {
    String value = get(fields, "HeaderSize");
    if (value == null) {
      return 0;
    }
    try {
      long v = Long.parseLong(value);
      if (v >= -1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CorruptImageException(source, "MetaImage HeaderSize '" + value + "' is neither a byte count nor -1");
  }

  private static void requireSingleChannel(Map<String, String> fields, String source) {
    String channels = get(fields, "ElementNumberOfChannels");
    if (channels != null && !channels.equals("1")) {
      throw new UnsupportedImageException(source, "MetaImage ElementNumberOfChannels = " + channels
          + "; only scalar images are supported");
    }
  }

  static PixelType elementType(String name, String source) {
    if (name == null) {
      throw new CorruptImageException(source, "MetaImage header has no ElementType field");
    }
    return switch (name.toUpperCase(Locale.ROOT)) {
      case "MET_UCHAR" -> PixelType.UINT8;
      case "MET_CHAR" -> PixelType.INT8;
      case "MET_SHORT" -> PixelType.INT16;
      case "MET_USHORT" -> PixelType.UINT16;
      case "MET_INT" -> PixelType.INT32;
      case "MET_FLOAT" -> PixelType.FLOAT32;
      case "MET_DOUBLE" -> PixelType.FLOAT64;
      default -> throw new UnsupportedImageException(source, "MetaImage ElementType " + name
          + " is not supported; supported are MET_UCHAR, MET_CHAR, MET_SHORT, MET_USHORT, MET_INT, MET_FLOAT, MET_DOUBLE");
    };
  }

  static String elementTypeName(PixelType type) {
    return switch (type) {
      case UINT8 -> "MET_UCHAR";
      case INT8 -> "MET_CHAR";
      case INT16 -> "MET_SHORT";
      case UINT16 -> "MET_USHORT";
      case INT32 -> "MET_INT";
      case FLOAT32 -> "MET_FLOAT";
      case FLOAT64 -> "MET_DOUBLE";
    };
  }

  private static String get(Map<String, String> fields, String key) {
    return fields.get(key.toLowerCase(Locale.ROOT));
  }

  private static String getOrDefault(Map<String, String> fields, String key, String fallback) {
    String value = get(fields, key);
    return value == null ? fallback : value;
  }

  private static boolean has(Map<String, String> fields, String key) {
    return get(fields, key) != null;
  }

  private static boolean isTrue(String value) {
    return !value.isEmpty() && (value.charAt(0) == 'T' || value.charAt(0) == 't' || value.charAt(0) == '1');
  }

  private static double[] filled(int n, double v) {
    double[] a = new double[n];
    Arrays.fill(a, v);
    return a;
  }

  private static double[] identity(int n) {
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      a[i * n + i] = 1;
    }
    return a;
  }
}
