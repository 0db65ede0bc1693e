package org.warpspark.storage;

import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;

/**
 * What an input location may be: a path, or a URI of one of {@link #SCHEMES}, with no credentials in
 * it. Other schemes (HTTP above all) would let a manifest or a header make a task send requests, and
 * credentials in a URI end up in logs and tables. The one place for both rules.
 */
public final class InputUris {
  /** The file systems inputs may come from. */
  public static final List<String> SCHEMES = List.of("file", "hdfs", "s3a");
  private static final String HIDDEN = "***";
  /** A scheme as written, read before Hadoop parses the text (which fails on some, such as {@code jar:}). */
  private static final java.util.regex.Pattern WRITTEN_SCHEME =
      java.util.regex.Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*):");

  private InputUris() {}

  /**
   * Whether {@code uri} carries user information ({@code s3a://key:secret@bucket/...}), whatever the
   * secret holds: a {@code /} in it ends the URI's authority early, so the text is read too (a
   * {@code :} before the first {@code @} after {@code ://}).
   */
  public static boolean holdsCredentials(String uri) {
    if (uri == null) {
      return false;
    }
    int start = uri.indexOf("://");
    if (start < 0) {
      return false;
    }
    int at = uri.indexOf('@', start + 3);
    if (at < 0) {
      return false;
    }
    return uri.substring(start + 3, at).indexOf(':') >= 0 || new Path(uri).toUri().getUserInfo() != null;
  }

  /** {@code uri} with its credentials, if any, replaced by {@code ***}: safe for logs and tables. */
  public static String redacted(String uri) {
    if (!holdsCredentials(uri)) {
      return uri;
    }
    int start = uri.indexOf("://") + 3;
    return uri.substring(0, start) + HIDDEN + uri.substring(uri.indexOf('@', start));
  }

  /** The scheme of {@code uri} (lower case) when it is not one inputs may use, else null. */
  public static String refusedScheme(String uri) {
    java.util.regex.Matcher written = uri == null ? null : WRITTEN_SCHEME.matcher(uri);
    String scheme = written != null && written.lookingAt() ? written.group(1) : null;
    if (scheme == null && uri != null) {
      scheme = new Path(uri).toUri().getScheme();
    }
    if (scheme == null) {
      return null;
    }
    String lower = scheme.toLowerCase(Locale.ROOT);
    return SCHEMES.contains(lower) ? null : lower;
  }

  /**
   * Why {@code uri} may not be opened as an input, or null: credentials in it (never repeated), or a
   * scheme inputs may not use. Checked before anything is looked up, so no request is ever sent.
   */
  public static String refusal(String uri) {
    if (holdsCredentials(uri)) {
      return "the URI holds credentials; credentials are taken only from the standard providers "
          + "(docs/STORAGE.md), never from a location";
    }
    String scheme;
    try {
      scheme = refusedScheme(uri);
    } catch (IllegalArgumentException e) {
      return "is not a valid path or URI: " + e.getMessage();
    }
    return scheme == null ? null : "inputs are not read over '" + scheme + ":'; they may be paths or URIs of "
        + String.join(", ", SCHEMES) + " (a ':' in a file name reads as a scheme)";
  }
}
