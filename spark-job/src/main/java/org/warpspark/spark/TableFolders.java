package org.warpspark.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
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
import org.warpspark.udfs.table.Runs;
import org.warpspark.udfs.table.Table;
import org.warpspark.udfs.table.Tables;

/**
 * Where a run's files live under {@code --out}, and how its tables land: each table is written whole
 * to {@code _staging/run_id=R/<table>/}, and only when every table is written does each replace the
 * run's rows in the published tables ({@link TableStore}: {@code <table>/run_id=R/} for Parquet). A
 * rerun of a run id therefore replaces that run's rows, and a run that dies part-way leaves the
 * previous ones as they were.
 */
final class TableFolders {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TableFolders.class);
  private static final long ROW_GROUP_BYTES = 8L << 20;

  private final Path out;
  private final String runId;
  private final FileSystem fs;
  private final TableStore tables;

  /** A run id is a folder name on every store: short, and nothing a path could misread. */
  private static final java.util.regex.Pattern RUN_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,100}");

  /**
   * The folders of run {@code runId} under {@code out}, its tables kept as {@code layout} says (null: as
   * the tables already under {@code out} are, else Parquet).
   */
  TableFolders(SparkSession spark, String out, String runId, TableLayout layout) {
    if (runId == null || !RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException("--run-id may hold 1 to 100 letters, digits, '_', '.' and '-', got '"
          + (runId == null || runId.length() <= 120 ? runId : runId.substring(0, 100) + "...") + "'");
    }
    this.runId = runId;
    InputUris.requireOutputScheme(out, "--out");
    try {
      Path folder = new Path(out);
      this.fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
      this.out = fs.makeQualified(folder); // executors write exports here: not relative to their folder
    } catch (IOException e) {
      throw StorageAccess.failure("cannot reach the output " + out, e);
    }
    this.tables = store(spark, this.out, fs, layout);
  }

  /**
   * The tables of the runs under {@code out}, kept as {@code layout} says (null: as found there, Parquet
   * when there are none yet), for reading them.
   */
  static TableStore tables(SparkSession spark, String out, TableLayout layout) {
    try {
      Path folder = new Path(out);
      FileSystem fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return store(spark, fs.makeQualified(folder), fs, layout);
    } catch (IOException e) {
      throw StorageAccess.failure("cannot reach " + out, e);
    }
  }

  /** The tables under {@code out} as {@code layout} says, or as they are found there when it is null. */
  private static TableStore store(SparkSession spark, Path out, FileSystem fs, TableLayout layout) {
    TableFormat found = formatFound(out, fs);
    if (layout == null) {
      layout = found == null ? TableLayout.PARQUET : TableLayout.of(found);
    } else if (layout.underOut() && found != null && found != layout.format()) {
      throw new IllegalArgumentException("the tables under " + out + " are " + found.provider() + " tables; "
          + "--table-format " + layout.format().provider() + " would mix formats: choose another --out");
    }
    return layout.format() == TableFormat.PARQUET ? new ParquetTables(out, fs)
        : new CatalogTables(spark, layout, out, fs);
  }

  /** The format of the tables under {@code out}, by their folders; null when there are none. */
  private static TableFormat formatFound(Path out, FileSystem fs) {
    java.util.Set<TableFormat> found = java.util.EnumSet.noneOf(TableFormat.class);
    try {
      for (Table table : Tables.ALL) {
        Path folder = new Path(out, table.name());
        if (fs.exists(folder)) {
          found.add(fs.exists(new Path(folder, "_delta_log")) ? TableFormat.DELTA
              : fs.exists(new Path(folder, "metadata")) ? TableFormat.ICEBERG : TableFormat.PARQUET);
        }
      }
    } catch (IOException e) {
      throw StorageAccess.failure("cannot reach the output " + out, e);
    }
    if (found.size() > 1) {
      throw new IllegalArgumentException("the tables under " + out + " mix formats (" + found + "): choose another --out");
    }
    return found.isEmpty() ? null : found.iterator().next();
  }

  /** The published tables. */
  TableStore tables() {
    return tables;
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

  /**
   * Readies the published tables for this run's rows, before any work: fails, saying why, when one
   * cannot take them (a table of a newer schema version, one not written by warpspark).
   */
  void prepare(SparkSession spark, List<Table> published) {
    for (Table table : published) {
      tables.prepare(spark, table);
    }
  }

  /** This run's rows already published (by an earlier attempt), or null if there are none. */
  Dataset<Row> existing(SparkSession spark, Table table) {
    return tables.runRows(spark, table, runId);
  }

  /**
   * Writes {@code rows} whole to {@code _staging/run_id=R/<table>/}, as Parquet files that carry the
   * table's name and schema version ({@link TableFileFormat}).
   */
  void stage(Dataset<Row> rows, Table table) {
    // Timestamps as INT64 microseconds (Parquet's TIMESTAMP(MICROS)), not Spark's default INT96, which
    // Parquet deprecates and other engines warn about or misread. A session setting only: set for the
    // write and put back, so a caller's own writes keep theirs.
    org.apache.spark.sql.RuntimeConfig conf = rows.sparkSession().conf();
    String before = conf.get(TIMESTAMP_TYPE, null);
    conf.set(TIMESTAMP_TYPE, "TIMESTAMP_MICROS");
    try {
      // Small row groups: reading one pair's flow field then touches little else.
      rows.write().mode(SaveMode.Overwrite).format(TableFileFormat.class.getName())
          .option(TableFileFormat.TABLE, table.name()).option(TableFileFormat.SCHEMA_VERSION, table.schemaVersion())
          .option("parquet.block.size", ROW_GROUP_BYTES).save(staged(table).toString());
    } finally {
      if (before == null) {
        conf.unset(TIMESTAMP_TYPE);
      } else {
        conf.set(TIMESTAMP_TYPE, before);
      }
    }
  }

  private static final String TIMESTAMP_TYPE = "spark.sql.parquet.outputTimestampType";

  /**
   * Puts every staged table in place of this run's earlier rows. Each table is replaced whole (in one
   * commit for Iceberg and Delta); across tables, the runs row marks a run published: it goes first
   * and comes back last, so that a reader who keeps to the runs in the runs table (as {@code sql}
   * does) never sees a run half replaced.
   */
  void publish(SparkSession spark, List<Table> published) {
    boolean marked = published.contains(Runs.TABLE);
    if (marked) {
      tables.withdraw(spark, Runs.TABLE, runId);
    }
    for (Table table : published) {
      if (table != Runs.TABLE) {
        tables.publish(spark, table, runId, staged(table));
      }
    }
    if (marked) {
      tables.publish(spark, Runs.TABLE, runId, staged(Runs.TABLE));
    }
    try {
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
