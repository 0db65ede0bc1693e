package org.warpspark.qc;

import java.awt.image.BufferedImage;
import java.util.Map;

/**
 * The six orientation letters as 5 x 7 bitmaps, drawn in yellow: text without the JDK's font stack,
 * which needs fontconfig and installed fonts that a headless server may lack.
 */
final class Letters {
  static final int WIDTH = 5;
  static final int HEIGHT = 7;
  private static final int COLOUR = 0xFFFF00;
  private static final Map<Character, String[]> GLYPHS = Map.of(
      'A', new String[] {".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"},
      'P', new String[] {"####.", "#...#", "#...#", "####.", "#....", "#....", "#...."},
      'S', new String[] {".####", "#....", "#....", ".###.", "....#", "....#", "####."},
      'I', new String[] {"#####", "..#..", "..#..", "..#..", "..#..", "..#..", "#####"},
      'L', new String[] {"#....", "#....", "#....", "#....", "#....", "#....", "#####"},
      'R', new String[] {"####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"});

  private Letters() {}

  /** Draws {@code letter} (one of A, P, S, I, L, R, or nothing) with its top left at {@code (x, y)}. */
  static void draw(BufferedImage picture, String letter, int x, int y) {
    if (letter.isEmpty()) {
      return;
    }
    String[] rows = GLYPHS.get(letter.charAt(0));
    for (int r = 0; r < HEIGHT; r++) {
      for (int c = 0; c < WIDTH; c++) {
        if (rows[r].charAt(c) == '#' && x + c >= 0 && y + r >= 0 && x + c < picture.getWidth()
            && y + r < picture.getHeight()) {
          picture.setRGB(x + c, y + r, COLOUR);
        }
      }
    }
  }
}
