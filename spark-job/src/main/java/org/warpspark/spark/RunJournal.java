package org.warpspark.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.warpspark.storage.OutputFolder;
import org.warpspark.storage.StorageAccess;
import org.warpspark.udfs.table.FlowFields;
import org.warpspark.udfs.table.Losses;
import org.warpspark.udfs.table.Registrations;
import org.warpspark.udfs.table.Table;

/**
 * What a run has finished so far, kept durably as it goes, so that a run whose driver dies loses
 * nothing but the pairs in flight: each task writes each pair it registered, as soon as it has, into
 * {@code DIR/_journal/run_id=R/<table>/<pair_id>.json} (its rows as JSON lines, {@link RowJson}, read
 * back with the table's exact schema: no code is ever deserialised). The registrations file goes last and is the
 * pair's commit: a file appears whole ({@link OutputFolder#writeWhole}), and a pair counts only once
 * its registrations file is there. {@code --resume} takes the journal's pairs as finished;
 * the journal goes once the run's tables are published.
 */
final class RunJournal implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final List<Table> TABLES = List.of(Losses.TABLE, FlowFields.TABLE, Registrations.TABLE);

  private final String root;

  RunJournal(Path out, String runId) {
    this.root = new Path(new Path(out, "_journal"), Table.RUN_ID + "=" + runId).toString();
  }

  /** Records one pair's rows (on the executor that registered it); the registrations file commits it. */
  void record(String pairId, PairRows.Outcome outcome, Configuration conf) {
    for (Table table : TABLES) {
      List<Row> rows = table == Registrations.TABLE ? outcome.registrations()
          : table == Losses.TABLE ? outcome.losses() : outcome.flowFields();
      new OutputFolder(new Path(root, table.name()).toString(), conf).writeWhole(pairId + ".json", out -> {
        for (Row row : rows) {
          out.write((RowJson.of(row, table.schema()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
      });
    }
  }

  /** The journal's rows of {@code table} of the pairs it committed, or null when it has none. */
  Dataset<Row> rows(SparkSession spark, Table table) {
    Path committed = new Path(root, Registrations.TABLE.name());
    try {
      FileSystem fs = committed.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(committed) || fs.listStatus(committed, p -> p.getName().endsWith(".json")).length == 0) {
        return null;
      }
    } catch (IOException e) {
      throw StorageAccess.failure("cannot read the run's journal " + root, e);
    }
    Dataset<Row> rows = spark.read().schema(table.schema()).option("timestampFormat", RowJson.TIMESTAMP_FORMAT)
        .json(new Path(root, table.name()).toString());
    if (table == Registrations.TABLE) {
      return rows;
    }
    // a pair whose task died after its other files but before its registrations file is not committed
    Dataset<Row> pairs = rows(spark, Registrations.TABLE).select(Registrations.PAIR_ID).distinct();
    return rows.join(pairs, Registrations.PAIR_ID, "left_semi");
  }

  /** Removes the journal: after publishing, or before a run of the same id that does not resume. */
  void delete(Configuration conf) {
    Path folder = new Path(root);
    try {
      FileSystem fs = folder.getFileSystem(conf);
      fs.delete(folder, true);
      Path journals = folder.getParent();
      if (fs.exists(journals) && fs.listStatus(journals).length == 0) {
        fs.delete(journals, false);
      }
    } catch (IOException e) {
      throw StorageAccess.failure("cannot remove the run's journal " + root, e);
    }
  }
}
