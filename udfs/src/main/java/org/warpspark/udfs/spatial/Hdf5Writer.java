package org.warpspark.udfs.spatial;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The smallest HDF5 file that holds a tree of groups, 1-D float64/float32 datasets and variable-length
 * string scalars, as the HDF5 file format specification (version 3.0) lays them out: a version 2
 * superblock, version 2 object headers with compact link storage, contiguous data, and one global heap
 * collection for the strings. ITK reads a transform's type only as a variable-length string, which no
 * pure-Java HDF5 library on Maven Central writes; this class exists for that.
 *
 * <p>The file is laid out in one pass: superblock, global heap, object headers (depth first), then
 * the datasets' values, streamed so that a large displacement field is never copied whole.
 */
final class Hdf5Writer {
  private static final long UNDEFINED = -1L;
  private static final int SUPERBLOCK_BYTES = 48;
  private static final int GLOBAL_HEAP_MIN_BYTES = 4096;
  private static final int VL_STRING_BYTES = 16;
  private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  /** What a dataset writes after the metadata: {@code count} values of {@code bytes} bytes each, little-endian. */
  interface Values {
    long count();

    int bytes();

    void write(ByteBuffer out, long from, int n);
  }

  /** A group: named children in order, each a group, a number dataset or a string. */
  static final class Group {
    private final Map<String, Object> children = new LinkedHashMap<>();

    Group group(String name) {
      return (Group) children.computeIfAbsent(name, n -> new Group());
    }

    void string(String name, String value) {
      put(name, new Text(value));
    }

    void numbers(String name, Values values) {
      put(name, values);
    }

    private void put(String name, Object child) {
      if (children.putIfAbsent(name, child) != null) {
        throw new IllegalArgumentException("HDF5 group already holds " + name);
      }
    }
  }

  /** A string child; compared by identity, so that equal strings in two groups are two datasets. */
  private record Text(String value) {
    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }

  private final Group root = new Group();

  Group root() {
    return root;
  }

  static Values doubles(double[] values) {
    return new Values() {
      public long count() {
        return values.length;
      }

      public int bytes() {
        return 8;
      }

      public void write(ByteBuffer out, long from, int n) {
        for (int i = 0; i < n; i++) {
          out.putDouble(values[(int) from + i]);
        }
      }
    };
  }

  /** Writes the file; the stream is not closed. */
  void write(OutputStream out) throws IOException {
    Layout layout = new Layout();
    layout.place(root);
    ByteBuffer meta = ByteBuffer.allocate(Math.toIntExact(layout.dataStart)).order(ByteOrder.LITTLE_ENDIAN);
    superblock(meta, layout);
    layout.heap.write(meta);
    for (Map.Entry<Object, Long> e : layout.headers.entrySet()) {
      meta.position(Math.toIntExact(e.getValue()));
      meta.put(layout.header(e.getKey()));
    }
    out.write(meta.array());
    ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (Values v : layout.data.keySet()) {
      int per = chunk.capacity() / v.bytes();
      for (long from = 0; from < v.count(); from += per) {
        int n = (int) Math.min(per, v.count() - from);
        chunk.clear();
        v.write(chunk, from, n);
        out.write(chunk.array(), 0, chunk.position());
      }
    }
  }

  private static void superblock(ByteBuffer b, Layout layout) {
    b.put(SIGNATURE).put((byte) 2).put((byte) 8).put((byte) 8).put((byte) 0);
    b.putLong(0).putLong(UNDEFINED).putLong(layout.end).putLong(layout.headers.get(layout.root));
    b.putInt(Lookup3.hash(b.array(), 0, SUPERBLOCK_BYTES - 4));
  }

  /** Addresses of every object header and data block, assigned in file order. */
  private static final class Layout {
    final Map<Object, Long> headers = new LinkedHashMap<>();
    final Map<Values, Long> data = new LinkedHashMap<>();
    final GlobalHeap heap = new GlobalHeap(SUPERBLOCK_BYTES);
    Group root;
    long dataStart;
    long end;

    void place(Group top) {
      root = top;
      collectStrings(top);
      long next = SUPERBLOCK_BYTES + heap.size();
      next = placeHeaders(top, next);
      dataStart = next;
      for (Values v : data.keySet()) {
        data.put(v, next);
        next += v.count() * v.bytes();
      }
      end = next;
    }

    private void collectStrings(Group g) {
      for (Object child : g.children.values()) {
        if (child instanceof Group sub) {
          collectStrings(sub);
        } else if (child instanceof Text t) {
          heap.add(t.value());
        }
      }
    }

    private long placeHeaders(Group g, long next) {
      headers.put(g, next);
      next += header(g).length;
      for (Object child : g.children.values()) {
        if (child instanceof Group sub) {
          next = placeHeaders(sub, next);
        } else {
          if (child instanceof Values v) {
            data.put(v, UNDEFINED);
          }
          headers.put(child, next);
          next += header(child).length;
        }
      }
      return next;
    }

    /** An object header's bytes; addresses not yet placed are written as undefined (same length). */
    byte[] header(Object node) {
      ObjectHeader h = new ObjectHeader();
      if (node instanceof Group g) {
        h.message(0x02, linkInfo());
        h.message(0x0A, new byte[2]); // group info: version 0, no flags
        for (Map.Entry<String, Object> e : g.children.entrySet()) {
          h.message(0x06, link(e.getKey(), headers.getOrDefault(e.getValue(), UNDEFINED)));
        }
      } else if (node instanceof Text t) {
        String s = t.value();
        h.message(0x01, new byte[] {2, 0, 0, 0}); // dataspace: version 2, scalar
        h.message(0x03, vlStringType());
        h.message(0x05, fillValue());
        ByteBuffer element = le(VL_STRING_BYTES);
        element.putInt(s.getBytes(StandardCharsets.UTF_8).length).putLong(heap.address).putInt(heap.index(s));
        h.message(0x08, compactLayout(element.array()));
      } else {
        Values v = (Values) node;
        h.message(0x01, le(12).put((byte) 2).put((byte) 1).put((byte) 0).put((byte) 1).putLong(v.count()).array());
        h.message(0x03, floatType(v.bytes()));
        h.message(0x05, fillValue());
        long address = v.count() == 0 ? UNDEFINED : data.getOrDefault(v, UNDEFINED);
        h.message(0x08, le(18).put((byte) 3).put((byte) 1).putLong(address).putLong(v.count() * v.bytes()).array());
      }
      return h.bytes();
    }
  }

  private static byte[] linkInfo() {
    return le(18).put((byte) 0).put((byte) 0).putLong(UNDEFINED).putLong(UNDEFINED).array();
  }

  /** A hard link: version 1, flags 0 (one-byte name length, no type field: hard). */
  private static byte[] link(String name, long address) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    if (n.length > 255) {
      throw new IllegalArgumentException("HDF5 link name too long: " + name);
    }
    return le(3 + n.length + 8).put((byte) 1).put((byte) 0).put((byte) n.length).put(n).putLong(address).array();
  }

  /** Fill value message version 3: space allocated early, fill written if set, none set. */
  private static byte[] fillValue() {
    return new byte[] {3, 0x09};
  }

  private static byte[] compactLayout(byte[] raw) {
    return le(4 + raw.length).put((byte) 3).put((byte) 0).putShort((short) raw.length).put(raw).array();
  }

  /** IEEE little-endian float of 4 or 8 bytes: class 1, version 1. */
  private static byte[] floatType(int bytes) {
    boolean dbl = bytes == 8;
    ByteBuffer b = le(20).put((byte) 0x11).put((byte) 0x20).put((byte) (dbl ? 63 : 31)).put((byte) 0).putInt(bytes);
    b.putShort((short) 0).putShort((short) (8 * bytes));
    b.put((byte) (dbl ? 52 : 23)).put((byte) (dbl ? 11 : 8)).put((byte) 0).put((byte) (dbl ? 52 : 23));
    return b.putInt(dbl ? 1023 : 127).array();
  }

  /** A variable-length ASCII string (class 9, type string, null-terminated), its base an unsigned byte. */
  private static byte[] vlStringType() {
    ByteBuffer b = le(20).put((byte) 0x19).put((byte) 0x01).put((byte) 0).put((byte) 0).putInt(VL_STRING_BYTES);
    return b.put((byte) 0x10).put((byte) 0).put((byte) 0).put((byte) 0).putInt(1).putShort((short) 0)
        .putShort((short) 8).array();
  }

  private static ByteBuffer le(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A version 2 object header: signature, flags (4-byte chunk size), messages, checksum. */
  private static final class ObjectHeader {
    private final List<byte[]> messages = new ArrayList<>();

    void message(int type, byte[] body) {
      ByteBuffer m = le(4 + body.length).put((byte) type).putShort((short) body.length).put((byte) 0).put(body);
      messages.add(m.array());
    }

    byte[] bytes() {
      int size = messages.stream().mapToInt(m -> m.length).sum();
      ByteBuffer b = le(10 + size + 4).put("OHDR".getBytes(StandardCharsets.US_ASCII)).put((byte) 2).put((byte) 2)
          .putInt(size);
      messages.forEach(b::put);
      return b.putInt(Lookup3.hash(b.array(), 0, 10 + size)).array();
    }
  }

  /** One global heap collection holding each distinct string once. */
  private static final class GlobalHeap {
    final long address;
    private final Map<String, Integer> index = new LinkedHashMap<>();
    private int used = 16;

    GlobalHeap(long address) {
      this.address = address;
    }

    void add(String s) {
      if (!index.containsKey(s)) {
        index.put(s, index.size() + 1);
        used += 16 + pad8(s.getBytes(StandardCharsets.UTF_8).length);
      }
    }

    int index(String s) {
      return index.get(s);
    }

    long size() {
      return Math.max(GLOBAL_HEAP_MIN_BYTES, pad8(used + 16));
    }

    void write(ByteBuffer b) {
      int start = b.position();
      b.put("GCOL".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put(new byte[3]).putLong(size());
      for (Map.Entry<String, Integer> e : index.entrySet()) {
        byte[] s = e.getKey().getBytes(StandardCharsets.UTF_8);
        b.putShort((short) (int) e.getValue()).putShort((short) 1).putInt(0).putLong(s.length).put(s);
        b.put(new byte[pad8(s.length) - s.length]);
      }
      long free = size() - (b.position() - start);
      b.putShort((short) 0).putShort((short) 0).putInt(0).putLong(free); // free space: its size counts its header
      b.position(Math.toIntExact(start + size()));
    }

    private static int pad8(int n) {
      return (n + 7) & ~7;
    }
  }
}
