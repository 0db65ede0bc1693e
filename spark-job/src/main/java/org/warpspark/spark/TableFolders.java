package org.warpspark.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.warpspark.storage.InputUris;
import org.warpspark.storage.StorageAccess;
import org.warpspark.udfs.table.Table;

/**
 * Where a run's tables live under {@code --out}, and how they land there: each table is written whole
 * to {@code _staging/run_id=R/<table>/}, and only when every table is written does each replace
 * {@code <table>/run_id=R/}. A rerun of a run id therefore replaces that run's partition, and a run
 * that dies part-way leaves the previous partition as it was.
 */
final class TableFolders {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TableFolders.class);
  private static final long ROW_GROUP_BYTES = 8L << 20;

  private final Path out;
  private final String runId;
  private final FileSystem fs;

  /** A run id is a folder name on every store: short, and nothing a path could misread. */
  private static final java.util.regex.Pattern RUN_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,100}");

  TableFolders(String out, String runId, Configuration conf) {
    if (runId == null || !RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException("--run-id may hold 1 to 100 letters, digits, '_', '.' and '-', got '"
          + (runId == null || runId.length() <= 120 ? runId : runId.substring(0, 100) + "...") + "'");
    }
    this.runId = runId;
    InputUris.requireOutputScheme(out, "--out");
    try {
      Path folder = new Path(out);
      this.fs = folder.getFileSystem(conf);
      this.out = fs.makeQualified(folder); // executors write exports here: not relative to their folder
    } catch (IOException e) {
      throw StorageAccess.failure("cannot reach the output " + out, e);
    }
  }

  /**
   * Fails at once, naming the output and the cause, when the output's store cannot be reached or
   * refuses to be read with these credentials, rather than after every pair has been registered.
   * (Whether it may be written shows only when the tables are written.)
   */
  void requireReachable() {
    try {
      if (fs.exists(out) && !fs.getFileStatus(out).isDirectory()) {
        throw new IllegalArgumentException("the output " + out + " is a file; --out names a folder");
      }
    } catch (IOException e) {
      throw StorageAccess.failure("cannot reach the output " + out, e);
    }
  }

  /**
   * Fails before any work when the output's store reports less free space than {@code bytes}, a rough
   * estimate of the run's tables and files. Stores without a free-space figure (S3) pass.
   */
  void requireSpace(long bytes) {
    long free;
    try {
      free = fs.getStatus(out).getRemaining();
    } catch (IOException | UnsupportedOperationException e) {
      return; // no figure to check against
    }
    if (free < bytes) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "the output %s has %.1f MiB free; "
          + "this run's tables need about %.1f MiB (a rough estimate): free some space or choose another --out",
          out, free / MIB, bytes / MIB));
    }
  }

  private static final double MIB = 1 << 20;

  /**
   * Claims the run id for this run: creates {@code _locks/run_id=R} under the output, failing when it
   * exists (another run of the same id is going). The creation is atomic on local disks (exclusive
   * create) and HDFS; on S3 it is a check then a write. The lock names its holder's host and process,
   * and its holder renews it every {@link #HEARTBEAT_SECONDS}: a lock left by a process of this host
   * that no longer runs, or one not renewed for {@link #STALE_SECONDS} (its driver died on another
   * machine: a cluster-mode driver, a pod, a scheduler's worker), is taken over.
   */
  void claim() {
    try {
      if (tryClaim()) {
        heartbeat();
        return;
      }
      String holder = holder();
      if (!leftByADeadProcess(holder) && !stale()) {
        throw new IllegalArgumentException("run id " + runId + " is in use under " + out + ": " + lock() + " says '"
            + holder + "'; wait for that run to end, or delete the file if no run of this id is going");
      }
      LOG.warn("run {}: taking over {}, left by a run that no longer runs ('{}')", runId, lock(), holder);
      fs.delete(lock(), false);
      if (!tryClaim()) {
        throw new IllegalArgumentException("run id " + runId + " is in use under " + out + ": another run claimed "
            + lock() + " just now");
      }
      heartbeat();
    } catch (IOException e) {
      throw StorageAccess.failure("cannot claim run id " + runId + " under " + out, e);
    }
  }

  /** Creates the lock; false when it exists already. */
  private boolean tryClaim() throws IOException {
    Path lock = lock();
    byte[] text = ("run " + runId + " started " + Instant.now() + " on " + HOST + ", process "
        + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      if (fs instanceof LocalFileSystem local) {
        java.nio.file.Path file = local.pathToFile(lock).toPath();
        Files.createDirectories(file.getParent());
        Files.write(file, text, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } else {
        try (FSDataOutputStream stream = fs.create(lock, false)) {
          stream.write(text);
        }
      }
      return true;
    } catch (FileAlreadyExistsException | java.nio.file.FileAlreadyExistsException e) {
      return false;
    }
  }

  private String holder() throws IOException {
    try (var in = fs.open(lock())) {
      return new String(in.readNBytes(1024), StandardCharsets.UTF_8).trim();
    } catch (java.io.FileNotFoundException e) {
      return "";
    }
  }

  /** Whether the lock was written by a process of this host that is no longer running. */
  private static boolean leftByADeadProcess(String holder) {
    java.util.regex.Matcher m = HOLDER.matcher(holder);
    return m.matches() && m.group(1).equals(HOST)
        && ProcessHandle.of(Long.parseLong(m.group(2))).map(p -> !p.isAlive()).orElse(true);
  }

  private static final java.util.regex.Pattern HOLDER =
      java.util.regex.Pattern.compile("run \\S+ started \\S+ on (\\S+), process (\\d+)");
  private static final String HOST = hostName();

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "unknown-host";
    }
  }

  static final long HEARTBEAT_SECONDS = 60;
  static final long STALE_SECONDS = 10 * 60;
  private java.util.concurrent.ScheduledExecutorService renewal;

  /** Whether the lock was last renewed longer ago than {@link #STALE_SECONDS}. */
  private boolean stale() throws IOException {
    try {
      long age = System.currentTimeMillis() - fs.getFileStatus(lock()).getModificationTime();
      return age > STALE_SECONDS * 1000;
    } catch (java.io.FileNotFoundException e) {
      return true;
    }
  }

  /** Renews the lock while this run holds it, so that only a dead run's lock grows stale. */
  private void heartbeat() {
    renewal = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "warpspark lock " + runId);
      t.setDaemon(true);
      return t;
    });
    renewal.scheduleAtFixedRate(() -> {
      try {
        if (fs instanceof LocalFileSystem local) {
          Files.setLastModifiedTime(local.pathToFile(lock()).toPath(),
              java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        } else {
          String holder = holder();
          try (FSDataOutputStream stream = fs.create(lock(), true)) {
            stream.write((holder + "\n").getBytes(StandardCharsets.UTF_8));
          }
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("run {}: could not renew {} ({})", runId, lock(), e.getMessage());
      }
    }, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Gives the run id back; the lock folder goes too once no run holds a lock in it. */
  void release() {
    if (renewal != null) {
      renewal.shutdownNow();
    }
    try {
      fs.delete(lock(), false);
      Path locks = lock().getParent();
      if (fs.exists(locks) && fs.listStatus(locks).length == 0) {
        fs.delete(locks, false);
      }
    } catch (IOException e) {
      throw StorageAccess.failure("cannot release run id " + runId + " under " + out, e);
    }
  }

  private Path lock() {
    return new Path(new Path(out, "_locks"), Table.RUN_ID + "=" + runId);
  }

  Path partition(Table table) {
    return new Path(new Path(out, table.name()), Table.RUN_ID + "=" + runId);
  }

  /**
   * Where pairs write their files with --exports: {@code exports/run_id=R/<pair_id>/}. Pairs write
   * there directly (a rerun overwrites its files); the tables hold the URIs.
   */
  Path exports() {
    return new Path(new Path(out, "exports"), Table.RUN_ID + "=" + runId);
  }

  /** The journal of this run's finished pairs, kept until it is published ({@link RunJournal}). */
  RunJournal journal() {
    return new RunJournal(out, runId);
  }

  /** Where pairs draw their QC pictures with --qc: {@code qc/run_id=R/<pair_id>/}. */
  Path qc() {
    return new Path(new Path(out, "qc"), Table.RUN_ID + "=" + runId);
  }

  /** Where an apply run's rows write their outputs unless they name their own: {@code outputs/run_id=R/<id>/}. */
  Path outputs() {
    return new Path(new Path(out, "outputs"), Table.RUN_ID + "=" + runId);
  }

  private Path stagingRoot() {
    return new Path(new Path(out, "_staging"), Table.RUN_ID + "=" + runId);
  }

  Path staged(Table table) {
    return new Path(stagingRoot(), table.name());
  }

  /** This run's rows already in place (from an earlier attempt), or null if there are none. */
  Dataset<Row> existing(SparkSession spark, Table table) {
    Path partition = partition(table);
    try {
      if (!fs.exists(partition)) {
        return null;
      }
    } catch (IOException e) {
      throw StorageAccess.failure("cannot read " + partition, e);
    }
    return spark.read().schema(table.schema()).parquet(partition.toString());
  }

  void stage(Dataset<Row> rows, Table table) {
    // Timestamps as INT64 microseconds (Parquet's TIMESTAMP(MICROS)), not Spark's default INT96, which
    // Parquet deprecates and other engines warn about or misread. A session setting only: set for the
    // write and put back, so a caller's own writes keep theirs.
    org.apache.spark.sql.RuntimeConfig conf = rows.sparkSession().conf();
    String before = conf.get(TIMESTAMP_TYPE, null);
    conf.set(TIMESTAMP_TYPE, "TIMESTAMP_MICROS");
    try {
      // Small row groups: reading one pair's flow field then touches little else.
      rows.write().mode(SaveMode.Overwrite).option("parquet.block.size", ROW_GROUP_BYTES)
          .parquet(staged(table).toString());
    } finally {
      if (before == null) {
        conf.unset(TIMESTAMP_TYPE);
      } else {
        conf.set(TIMESTAMP_TYPE, before);
      }
    }
  }

  private static final String TIMESTAMP_TYPE = "spark.sql.parquet.outputTimestampType";

  /** Moves every staged table into place, replacing this run's earlier partitions. */
  void publish(Iterable<Table> tables) {
    try {
      for (Table table : tables) {
        Path partition = partition(table);
        if (fs.exists(partition) && !fs.delete(partition, true)) {
          throw new IOException("could not remove the old " + partition);
        }
        fs.mkdirs(partition.getParent());
        if (!fs.rename(staged(table), partition)) {
          throw new IOException("could not move " + staged(table) + " to " + partition);
        }
      }
      fs.delete(stagingRoot(), true);
      Path staging = stagingRoot().getParent();
      if (fs.listStatus(staging).length == 0) {
        fs.delete(staging, false); // no other run is staging
      }
    } catch (IOException e) {
      throw StorageAccess.failure("cannot publish run " + runId + " under " + out, e);
    }
  }
}
