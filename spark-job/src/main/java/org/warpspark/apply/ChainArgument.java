package org.warpspark.apply;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.warpspark.storage.InputUris;

/**
 * One {@code -t} argument as {@code antsApplyTransforms} takes it: {@code FILE}, or {@code [FILE,1]}
 * for the inverse of an affine ({@code [FILE,0]} is the file as it is).
 */
public record ChainArgument(String location, boolean inverse) {
  private static final Pattern BRACKETED = Pattern.compile("\\[\\s*(.+?)\\s*,\\s*([^,\\]]+?)\\s*]");

  public static ChainArgument parse(String argument) {
    String a = argument.trim();
    if (!a.startsWith("[")) {
      return new ChainArgument(a, false);
    }
    Matcher m = BRACKETED.matcher(a);
    if (!m.matches()) {
      throw new IllegalArgumentException("transform '" + InputUris.redacted(argument) + "' is neither FILE nor [FILE,0|1]");
    }
    String flag = m.group(2).toLowerCase(Locale.ROOT);
    boolean inverse = switch (flag) {
      case "1", "true" -> true;
      case "0", "false" -> false;
      default -> throw new IllegalArgumentException("transform '" + InputUris.redacted(argument)
          + "': the inverse flag must be 0 or 1, got '" + m.group(2) + "'");
    };
    return new ChainArgument(m.group(1), inverse);
  }
}
