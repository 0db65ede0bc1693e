package org.warpspark.udfs.spatial;

/**
 * Bob Jenkins' lookup3 {@code hashlittle} with an initial value of 0: the checksum the HDF5 format puts
 * after its version 2 superblock and object headers.
 */
final class Lookup3 {
  private Lookup3() {}

  static int hash(byte[] key, int offset, int length) {
    int a = 0xdeadbeef + length;
    int b = a;
    int c = a;
    int k = offset;
    int left = length;
    while (left > 12) {
      a += word(key, k, 4);
      b += word(key, k + 4, 4);
      c += word(key, k + 8, 4);
      // mix
      a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
      b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
      c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
      a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
      b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
      c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
      k += 12;
      left -= 12;
    }
    if (left == 0) {
      return c;
    }
    a += word(key, k, Math.min(left, 4));
    b += word(key, k + 4, Math.max(0, Math.min(left - 4, 4)));
    c += word(key, k + 8, Math.max(0, left - 8));
    // final
    c ^= b; c -= Integer.rotateLeft(b, 14);
    a ^= c; a -= Integer.rotateLeft(c, 11);
    b ^= a; b -= Integer.rotateLeft(a, 25);
    c ^= b; c -= Integer.rotateLeft(b, 16);
    a ^= c; a -= Integer.rotateLeft(c, 4);
    b ^= a; b -= Integer.rotateLeft(a, 14);
    c ^= b; c -= Integer.rotateLeft(b, 24);
    return c;
  }

  /** Up to four bytes from {@code at}, little-endian. */
  private static int word(byte[] key, int at, int n) {
    int w = 0;
    for (int i = 0; i < n; i++) {
      w |= (key[at + i] & 0xff) << (8 * i);
    }
    return w;
  }
}
