package org.warpspark.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.warpspark.udfs.spatial.Grid;

/** Every refusal names the file and says why; limits are enforced before allocation. */
class BadInputTest {
  @TempDir
  Path dir;

  private static <T extends Throwable> T assertRefused(Class<T> type, Path file, Executable read, String... mentions) {
    T e = assertThrows(type, read);
    String message = e.getMessage();
    assertTrue(message.contains(file.toString()), "message must name the file: " + message);
    for (String m : mentions) {
      assertTrue(message.contains(m), "message must mention '" + m + "': " + message);
    }
    return e;
  }

  private static <T extends Throwable> T assertReadRefused(Class<T> type, Path file, String... mentions) {
    return assertRefused(type, file, () -> ImageFiles.read(file.toString()), mentions);
  }

  private static final float[] TWENTY_FOUR = new float[24];

  @Test
  void missingFilesOfEveryFormat() {
    for (String name : new String[] {"none.nii", "none.nii.gz", "none.mha", "none.mhd", "none.png", "none.tiff"}) {
      assertReadRefused(ImageNotFoundException.class, dir.resolve(name), "does not exist");
    }
  }

  @Test
  void missingMhdDataFileIsNamed() throws IOException {
    Path mhd = dir.resolve("h.mhd");
    ImageFiles.write(Fixtures.image(Fixtures.grid2d(), PixelType.UINT8), mhd.toString());
    Files.delete(dir.resolve("h.raw"));
    assertReadRefused(ImageNotFoundException.class, mhd, dir.resolve("h.raw").toString());
  }

  @Test
  void truncatedNiftiSaysExpectedAndAvailableBytes() throws IOException {
    Path file = new NiftiBytes().floatData(TWENTY_FOUR).writeTo(dir.resolve("cut.nii"));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));
    assertReadRefused(CorruptImageException.class, file, "expected 96 bytes", "only 86 available");
  }

  @Test
  void truncatedGzippedNiftiIsCorrupt() throws IOException {
    Path file = new NiftiBytes().floatData(TWENTY_FOUR).writeTo(dir.resolve("cut.nii.gz"));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 12));
    assertReadRefused(CorruptImageException.class, file);
  }

  @Test
  void gzippedNiftiWithFewerVoxelsThanItsHeaderClaims() throws IOException {
    NiftiBytes b = new NiftiBytes().floatData(new float[20]);
    Path file = b.writeTo(dir.resolve("short.nii.gz"));
    assertReadRefused(CorruptImageException.class, file, "expected 96 bytes", "only 80 available");
  }

  @Test
  void fileShorterThanAHeader() throws IOException {
    Path file = Files.write(dir.resolve("tiny.nii"), new byte[] {0x5c, 1, 0});
    assertReadRefused(CorruptImageException.class, file, "too short");
  }

  @Test
  void badMagicAndBadSizeofHdr() throws IOException {
    NiftiBytes b = new NiftiBytes().floatData(TWENTY_FOUR);
    b.magic = new byte[] {'x', 'y', 'z', 0};
    assertReadRefused(CorruptImageException.class, b.writeTo(dir.resolve("magic.nii")), "magic");

    Path png = dir.resolve("notnifti.nii");
    Files.write(png, "\u0089PNG\r\n\u001a\n and more bytes to fill".getBytes(StandardCharsets.ISO_8859_1));
    assertReadRefused(CorruptImageException.class, png, "sizeof_hdr");
  }

  @Test
  void analyzeStylePairIsUnsupported() throws IOException {
    NiftiBytes b = new NiftiBytes().floatData(TWENTY_FOUR);
    b.magic = new byte[] {'n', 'i', '1', 0};
    assertReadRefused(UnsupportedImageException.class, b.writeTo(dir.resolve("pair.nii")), ".hdr/.img");
  }

  @Test
  void unsupportedDatatypeNamesIt() throws IOException {
    NiftiBytes b = new NiftiBytes().floatData(TWENTY_FOUR);
    b.datatype = 32;
    assertReadRefused(UnsupportedImageException.class, b.writeTo(dir.resolve("complex.nii")), "32 (complex64)");
  }

  @Test
  void severalVolumesAndOneDimensionAreUnsupported() throws IOException {
    NiftiBytes b = new NiftiBytes().floatData(new float[48]);
    b.dim = new long[] {4, 4, 3, 2, 2, 1, 1, 1};
    assertReadRefused(UnsupportedImageException.class, b.writeTo(dir.resolve("4d.nii")), "more than one volume");

    b.dim = new long[] {1, 24, 1, 1, 1, 1, 1, 1};
    assertReadRefused(UnsupportedImageException.class, b.writeTo(dir.resolve("1d.nii")), "1D");
  }

  @Test
  void impossibleDimensionsAreCorrupt() throws IOException {
    NiftiBytes b = new NiftiBytes().floatData(TWENTY_FOUR);
    b.dim = new long[] {3, 4, 0, 2, 1, 1, 1, 1};
    assertReadRefused(CorruptImageException.class, b.writeTo(dir.resolve("zero.nii")), "dim[2] = 0");
    b.dim = new long[] {9, 4, 3, 2, 1, 1, 1, 1};
    assertReadRefused(CorruptImageException.class, b.writeTo(dir.resolve("nine.nii")), "dim[0] = 9");
  }

  @Test
  void tinyGzipClaimingHugeVolumeIsRefusedFastWithoutAllocating() throws IOException {
    NiftiBytes b = new NiftiBytes();
    b.version = 2;
    b.dim = new long[] {3, 100_000, 100_000, 100_000, 1, 1, 1, 1};
    Path file = b.writeTo(dir.resolve("bomb.nii.gz"));
    assertTrue(Files.size(file) < 1000, "the file itself is tiny");

    // 10^15 voxels could never be allocated: an attempt would end in OutOfMemoryError, not in this refusal
    // naming the limit. (No timeout: wall-clock limits make tests flaky on a loaded machine.)
    assertReadRefused(ImageTooLargeException.class, file, "[100000, 100000, 100000]", "limit of 268435456");
    assertRefused(ImageTooLargeException.class, file,
        () -> ImageFiles.read(file.toString(), ReadLimits.DEFAULT.withMaxVoxels(1000)), "limit of 1000 voxels");
  }

  @Test
  void voxelCountThatOverflowsALongIsRefused() throws IOException {
    NiftiBytes b = new NiftiBytes();
    b.version = 2;
    b.dim = new long[] {3, 1L << 40, 1L << 40, 1L << 40, 1, 1, 1, 1};
    assertReadRefused(ImageTooLargeException.class, b.writeTo(dir.resolve("overflow.nii")));
  }

  @Test
  void voxOffsetBeyondTheHeaderLimitIsRefused() throws IOException {
    NiftiBytes b = new NiftiBytes().floatData(TWENTY_FOUR);
    b.voxOffset = 4096;
    Path file = b.writeTo(dir.resolve("ext.nii"));
    assertRefused(ImageTooLargeException.class, file,
        () -> ImageFiles.read(file.toString(), ReadLimits.DEFAULT.withMaxHeaderBytes(1024)), "header");
  }

  @Test
  void nanVoxelsAreRejectedByDefaultAndCountedWhenAllowed() throws IOException {
    float[] values = TWENTY_FOUR.clone();
    values[3] = Float.NaN;
    values[7] = Float.POSITIVE_INFINITY;
    values[11] = Float.NaN;
    Path file = new NiftiBytes().floatData(values).writeTo(dir.resolve("nan.nii"));

    assertReadRefused(CorruptImageException.class, file, "3 of 24 voxels are NaN or infinite");

    Image loaded = ImageFiles.read(file.toString(), ReadLimits.DEFAULT.withRejectNonFinite(false));
    assertEquals(3, loaded.nonFiniteCount());
  }

  @Test
  void nanCannotBeWrittenIntoAnIntegerType() {
    float[] values = new float[35];
    values[4] = Float.NaN;
    String file = dir.resolve("nan.nii").toString();
    ImageWriteException e = assertThrows(ImageWriteException.class,
        () -> ImageFiles.write(new Image(Fixtures.grid2d(), values, PixelType.INT16), file));
    assertTrue(e.getMessage().contains(file) && e.getMessage().contains("1 voxels"), e.getMessage());
  }

  private Path mha(String name, String header, byte[] data) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(h, h.length + data.length);
    System.arraycopy(data, 0, all, h.length, data.length);
    return Files.write(dir.resolve(name), all);
  }

  private static final String MHA_3X2 = "ObjectType = Image\nNDims = 2\nDimSize = 3 2\nElementType = MET_SHORT\n"
      + "ElementDataFile = LOCAL\n";

  @Test
  void metaImageDataLongerOrShorterThanDimSize() throws IOException {
    assertReadRefused(CorruptImageException.class, mha("short.mha", MHA_3X2, new byte[10]),
        "needs 12 bytes", "10 are available", "truncated");
    assertReadRefused(CorruptImageException.class, mha("long.mha", MHA_3X2, new byte[14]),
        "needs 12 bytes", "14 are available");
  }

  @Test
  void compressedMetaImageThatInflatesToTheWrongLength() throws IOException {
    Path file = dir.resolve("z.mha");
    ImageFiles.write(new Image(Grid.of(new int[] {3, 2}, new double[] {1, 1}, new double[2]), new float[6],
        PixelType.INT16), file.toString(), new org.apache.hadoop.conf.Configuration(), ImageFiles.Compression.ZLIB);
    String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    Files.write(file, text.replace("DimSize = 3 2", "DimSize = 4 2").getBytes(StandardCharsets.ISO_8859_1));
    assertReadRefused(CorruptImageException.class, file, "expected 16 bytes", "only 12 available");

    Files.write(file, text.replace("DimSize = 3 2", "DimSize = 2 2").getBytes(StandardCharsets.ISO_8859_1));
    assertReadRefused(CorruptImageException.class, file, "inflates to more bytes");
  }

  @Test
  void corruptCompressedStream() throws IOException {
    String header = MHA_3X2.replace("ElementDataFile", "CompressedData = True\nElementDataFile");
    assertReadRefused(CorruptImageException.class, mha("garbage.mha", header, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
        "compressed data is corrupt");
  }

  @Test
  void metaImageHeaderErrors() throws IOException {
    assertReadRefused(CorruptImageException.class, mha("nondims.mha", MHA_3X2.replace("NDims = 2\n", ""), new byte[12]),
        "no NDims");
    assertReadRefused(CorruptImageException.class,
        mha("dims.mha", MHA_3X2.replace("DimSize = 3 2", "DimSize = 3 2 5"), new byte[12]), "DimSize has 3 values");
    assertReadRefused(CorruptImageException.class,
        mha("word.mha", MHA_3X2.replace("DimSize = 3 2", "DimSize = 3 two"), new byte[12]), "'two'");
    assertReadRefused(UnsupportedImageException.class,
        mha("type.mha", MHA_3X2.replace("MET_SHORT", "MET_LONG_LONG"), new byte[12]), "MET_LONG_LONG");
    assertReadRefused(UnsupportedImageException.class,
        mha("4d.mha", MHA_3X2.replace("NDims = 2\nDimSize = 3 2", "NDims = 4\nDimSize = 3 2 1 1"), new byte[12]),
        "NDims = 4");
    assertReadRefused(CorruptImageException.class, mha("noend.mha", "NDims = 2\nDimSize = 3 2\n", new byte[0]),
        "without an ElementDataFile");
    assertReadRefused(UnsupportedImageException.class,
        mha("shear.mha", MHA_3X2.replace("ElementType", "TransformMatrix = 1 0 0.5 1\nElementType"), new byte[12]),
        "not orthonormal");
  }

  @Test
  void binaryFileNamedMhaIsNotAHeader() throws IOException {
    Path file = dir.resolve("fake.mha");
    ImageFiles.write(Fixtures.image(Fixtures.grid3d(), PixelType.FLOAT32), dir.resolve("real.nii").toString());
    Files.copy(dir.resolve("real.nii"), file);
    assertReadRefused(CorruptImageException.class, file, "not a MetaImage header");
  }

  @Test
  void absurdlyLongHeaderLineIsRefused() throws IOException {
    String longLine = "Comment = " + "x".repeat(3 << 20) + "\n";
    Path file = mha("long-line.mha", "ObjectType = Image\n" + longLine + MHA_3X2, new byte[12]);
    assertReadRefused(ImageTooLargeException.class, file, "limit of 1048576 bytes");
    assertRefused(ImageTooLargeException.class, file,
        () -> ImageFiles.read(file.toString(), ReadLimits.DEFAULT.withMaxHeaderBytes(64)), "limit of 64 bytes");
  }

  @Test
  void unknownExtensionIsUnsupportedOnReadAndWrite() {
    Path file = dir.resolve("image.jpg");
    assertReadRefused(UnsupportedImageException.class, file, ".nii.gz");
    assertRefused(ImageWriteException.class, file,
        () -> ImageFiles.write(Fixtures.image(Fixtures.grid2d(), PixelType.UINT8), file.toString()), ".mha");
  }

  @Test
  void unknownFileSystemSchemeIsAReadErrorNamingTheUri() {
    String uri = "nosuchfs://host/scan.nii";
    ImageReadException e = assertThrows(ImageReadException.class, () -> ImageFiles.read(uri));
    assertTrue(e.getMessage().contains(uri) && e.getMessage().contains("nosuchfs"), e.getMessage());
  }

  @Test
  void directoryIsNotAnImage() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("folder.nii"));
    assertReadRefused(ImageReadException.class, folder, "directory");
  }
}
