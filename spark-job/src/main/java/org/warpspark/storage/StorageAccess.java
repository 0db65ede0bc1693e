package org.warpspark.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.s3a.HttpChannelEOFException;
import org.apache.hadoop.fs.s3a.UnknownStoreException;

/**
 * How every job reaches object stores through Hadoop's s3a connector. Credentials come only from the
 * standard providers (environment, web identity, AWS profile, container or instance role, Hadoop
 * credential files), never from the command line; a store that cannot be reached fails after a few
 * retries, not minutes of them. docs/STORAGE.md explains both.
 */
public final class StorageAccess {
  private static final String DEFAULT_SOURCE = "core-default.xml";

  /**
   * Applied where neither the user nor the cluster set them. s3a's own (8 rounds of 6 tries, 30 s to
   * connect, 200 s to wait for an answer) spend 100-150 s on a lookup against a store that hangs up, and
   * hours against one that never answers; these make 9 tries (~4 s; at most ~5 min when each times
   * out). Throttling keeps s3a's own, longer retry budget: a busy store is not an unreachable one.
   */
  static final Map<String, String> DEFAULTS = Map.of(
      "fs.s3a.retry.limit", "2",
      "fs.s3a.attempts.maximum", "2",
      "fs.s3a.connection.establish.timeout", "15s", // s3a raises anything lower to 15 s
      "fs.s3a.connection.timeout", "30s",
      // Hadoop's credential-file and temporary keys, then the AWS SDK's providers one by one (its
      // DefaultCredentialsProvider is one shared instance that s3a closes with any file system).
      "fs.s3a.aws.credentials.provider", String.join(",",
          "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider",
          "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
          "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider",
          WebIdentityCredentials.class.getName(),
          "software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider",
          "org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider"));

  /**
   * Spark settings that would carry a key on the command line (or in spark-defaults): s3a's keys, and
   * the AWS variables set through Spark for executors, YARN's application master or a Kubernetes driver.
   */
  private static final Pattern INLINE_SECRET = Pattern.compile(
      "spark\\.hadoop\\.fs\\.s3a\\.(bucket\\..+\\.)?"
          + "(access\\.key|secret\\.key|session\\.token|encryption\\.key|server-side-encryption\\.key)"
          + "|spark\\.(executorEnv|yarn\\.appMasterEnv|kubernetes\\.driverEnv)\\."
          + "AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)");

  /** The variables Spark copies into s3a's key settings on every machine where it makes a configuration. */
  private static final List<String> KEY_VARIABLES = List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN");

  private StorageAccess() {}

  /** A fresh Hadoop configuration with {@link #prepare} applied. */
  public static Configuration configuration() {
    return prepare(new Configuration());
  }

  /**
   * Sets {@link #DEFAULTS} where {@code conf} has only Hadoop's built-in value, and drops the keys Spark
   * copied from this machine's environment: the environment provider reads them here directly, and
   * the configuration would carry them to every executor. Call it before the first s3a file system is
   * opened: Hadoop caches file systems with the settings they were made with.
   */
  public static Configuration prepare(Configuration conf) {
    DEFAULTS.forEach((key, value) -> {
      String[] sources = conf.getPropertySources(key);
      if (sources == null || Arrays.stream(sources).allMatch(DEFAULT_SOURCE::equals)) {
        conf.set(key, value, StorageAccess.class.getSimpleName());
      }
    });
    List<String> copied = new ArrayList<>();
    for (Map.Entry<String, String> entry : conf) {
      String[] sources = conf.getPropertySources(entry.getKey());
      if (sources != null && Arrays.stream(sources).anyMatch(s -> KEY_VARIABLES.stream().anyMatch(s::contains))) {
        copied.add(entry.getKey());
      }
    }
    copied.forEach(conf::unset);
    return conf;
  }

  /**
   * Refuses S3 keys given as Spark settings: they would sit in the command line, the process list and
   * the shell's history. Names the setting, never its value.
   */
  public static void refuseInlineSecrets(Iterable<String> sparkSettingNames) {
    for (String name : sparkSettingNames) {
      if (INLINE_SECRET.matcher(name).matches()) {
        throw new IllegalArgumentException(name + " is set in the Spark configuration: S3 credentials are taken "
            + "only from the processes' environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), a web identity token, "
            + "an AWS profile, the container or instance role, or a Hadoop credential file (docs/STORAGE.md)");
      }
    }
  }

  /**
   * Refuses a location with credentials in it ({@code s3a://key:secret@bucket/...}): it would be copied
   * into logs and tables. {@code what} names the location; the URI itself is not repeated.
   */
  public static void refuseCredentialsInUri(String uri, String what) {
    if (InputUris.holdsCredentials(uri)) {
      throw new IllegalArgumentException(what + " holds credentials in its URI; S3 credentials are taken only from "
          + "the standard providers (docs/STORAGE.md)");
    }
  }

  /** An unchecked failure "{@code what}: cause", for callers that stop on a storage error. */
  public static UncheckedIOException failure(String what, IOException e) {
    return new UncheckedIOException(what + ": " + cause(e), e);
  }

  /**
   * What went wrong reaching storage, in words, followed by the connector's own message (which names
   * the path but carries no credential).
   */
  public static String cause(IOException e) {
    String what;
    if (e instanceof UnknownStoreException) {
      what = "the bucket does not exist";
    } else if (e instanceof FileNotFoundException) {
      what = "it does not exist";
    } else if (e instanceof AccessDeniedException) {
      what = "access denied (check the credentials and the bucket's policy)";
    } else if (isConnectivity(e)) {
      what = "the storage endpoint cannot be reached (s3a gave up retrying)";
    } else {
      return String.valueOf(e.getMessage());
    }
    return what + ": " + e.getMessage();
  }

  /**
   * The innermost I/O error under {@code e} (Spark wraps a task's write error in several layers), or
   * null when there is none: a storage problem's real cause, such as "No space left on device".
   */
  public static IOException rootIoCause(Throwable e) {
    IOException root = null;
    for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof IOException io) {
        root = io;
      }
    }
    return root;
  }

  /** Whether {@code e} is about the store (its endpoint or its bucket) rather than one file in it. */
  public static boolean isUnreachable(IOException e) {
    return e instanceof UnknownStoreException || isConnectivity(e);
  }

  /** Whether the store's endpoint did not answer: refused, hung up, timed out or not found. */
  private static boolean isConnectivity(IOException e) {
    List<Class<? extends IOException>> kinds = List.of(ConnectException.class, NoRouteToHostException.class,
        SocketTimeoutException.class, UnknownHostException.class, HttpChannelEOFException.class);
    for (Throwable t = e; t != null; t = t.getCause()) {
      for (Class<? extends IOException> kind : kinds) {
        if (kind.isInstance(t)) {
          return true;
        }
      }
    }
    return false;
  }
}
