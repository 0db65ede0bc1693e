package org.warpspark.job;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.s3a.AWSClientIOException;
import org.apache.hadoop.fs.s3a.HttpChannelEOFException;
import org.apache.hadoop.fs.s3a.UnknownStoreException;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * How every job reaches object stores through Hadoop's s3a connector. Credentials come only from the
 * standard providers (environment, AWS profile, web identity, container or instance role, Hadoop
 * credential files), never from the command line; a store that cannot be reached fails after a few
 * retries, not minutes of them. docs/STORAGE.md explains both.
 */
public final class StorageAccess {
  private static final String DEFAULT_SOURCE = "core-default.xml";
  private static final String RETRY_LIMIT = "fs.s3a.retry.limit";

  /**
   * Applied where neither the user nor the cluster set them. s3a's own defaults (7 retries of 5
   * attempts each, 30 s to connect) spend ~100 s on every lookup against a store that refuses
   * connections; these give up after ~9 s. Throttling keeps s3a's own, longer retry budget.
   */
  static final Map<String, String> DEFAULTS = defaults();

  /**
   * Spark settings that would carry a key on the command line (or in spark-defaults): s3a's keys, and
   * the AWS variables set through Spark for executors, YARN's application master or a Kubernetes driver.
   */
  private static final Pattern INLINE_SECRET = Pattern.compile(
      "spark\\.hadoop\\.fs\\.s3a\\.(bucket\\..+\\.)?(access\\.key|secret\\.key|session\\.token)"
          + "|spark\\.(executorEnv|yarn\\.appMasterEnv|kubernetes\\.driverEnv)\\."
          + "AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)");

  private StorageAccess() {}

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(RETRY_LIMIT, "3");
    d.put("fs.s3a.attempts.maximum", "3");
    d.put("fs.s3a.connection.establish.timeout", "5s");
    // Hadoop's temporary and credential-file keys, then the AWS SDK's standard chain: environment,
    // system properties, web identity token, profile (AWS_PROFILE), container and instance role.
    d.put("fs.s3a.aws.credentials.provider", String.join(",",
        "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider",
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
        "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider"));
    return Map.copyOf(d);
  }

  /**
   * Readies a session's storage access: refuses S3 keys among its Spark settings, then prepares the
   * Hadoop configuration that its file systems, its writes and (shipped) its tasks use.
   */
  public static SparkSession prepare(SparkSession spark) {
    refuseInlineSecrets(Arrays.stream(spark.sparkContext().getConf().getAll()).map(Tuple2::_1).toList());
    prepare(spark.sparkContext().hadoopConfiguration());
    return spark;
  }

  /** A fresh Hadoop configuration with {@link #prepare} applied. */
  public static Configuration configuration() {
    return prepare(new Configuration());
  }

  /**
   * Sets {@link #DEFAULTS} where {@code conf} has only Hadoop's built-in value. Call it before the
   * first s3a file system is opened: Hadoop caches file systems with the settings they were made with.
   */
  public static Configuration prepare(Configuration conf) {
    DEFAULTS.forEach((key, value) -> {
      String[] sources = conf.getPropertySources(key);
      if (sources == null || Arrays.stream(sources).allMatch(DEFAULT_SOURCE::equals)) {
        conf.set(key, value, StorageAccess.class.getSimpleName());
      }
    });
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
            + "only from the processes' environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), an AWS profile, a web "
            + "identity token, the instance or container role, or a Hadoop credential file (docs/STORAGE.md)");
      }
    }
  }

  /**
   * What went wrong reaching storage, in words, followed by the connector's own message (which names
   * the path but carries no credential).
   */
  public static String cause(IOException e, Configuration conf) {
    String what;
    if (e instanceof UnknownStoreException) {
      what = "the bucket does not exist";
    } else if (e instanceof FileNotFoundException) {
      what = "it does not exist";
    } else if (e instanceof AccessDeniedException) {
      what = "access denied (check the credentials and the bucket's policy)";
    } else if (isConnectivity(e)) {
      what = "the storage endpoint cannot be reached (gave up after " + conf.get(RETRY_LIMIT) + " retries)";
    } else {
      return String.valueOf(e.getMessage());
    }
    return what + ": " + e.getMessage();
  }

  /** Whether {@code e} says the store's endpoint did not answer (rather than refused or lacked something). */
  static boolean isConnectivity(IOException e) {
    List<Class<? extends IOException>> kinds = List.of(ConnectException.class, NoRouteToHostException.class,
        SocketTimeoutException.class, UnknownHostException.class, HttpChannelEOFException.class,
        AWSClientIOException.class);
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
