package org.warpspark.spark;

import static org.apache.spark.sql.functions.col;

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
import org.apache.spark.sql.types.DataTypes;
import org.warpspark.storage.OutputFolder;
import org.warpspark.storage.StorageAccess;
import org.warpspark.udfs.table.FlowFields;
import org.warpspark.udfs.table.Losses;
import org.warpspark.udfs.table.Registrations;
import org.warpspark.udfs.table.Table;

/**
 * What a run has finished so far, kept durably as it goes, so that a run whose driver dies loses
 * nothing but the pairs in flight: each task writes each pair it registered, as soon as it has, into
 * {@code DIR/_journal/run_id=R/pair-<pair_id>.json}: all of the pair's rows as JSON lines
 * ({@link RowJson}), each tagged with its table, read back with the table's exact schema (no code is
 * ever deserialised). The file appears whole or not at all ({@link OutputFolder#writeWhole}), so a
 * pair is either in the journal with every row of one attempt, or not in it. {@code --resume} takes
 * the journal's pairs as finished; the journal goes once the run's tables are published.
 */
final class RunJournal implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The column that says which table a line's row belongs to. */
  private static final String TABLE = "_table";
  /** File names start with a letter: Spark's readers skip names starting with '_' or '.', which pair ids may. */
  private static final String PREFIX = "pair-";

  private final String root;

  RunJournal(Path out, String runId) {
    this.root = new Path(new Path(out, "_journal"), Table.RUN_ID + "=" + runId).toString();
  }

  /** Records one pair's rows, on the executor that registered it. */
  void record(String pairId, PairRows.Outcome outcome, Configuration conf) {
    new OutputFolder(root, conf).writeWhole(PREFIX + pairId + ".json", out -> {
      for (Table table : List.of(Registrations.TABLE, Losses.TABLE, FlowFields.TABLE)) {
        List<Row> rows = table == Registrations.TABLE ? outcome.registrations()
            : table == Losses.TABLE ? outcome.losses() : outcome.flowFields();
        for (Row row : rows) {
          out.write((RowJson.of(row, table.schema(), TABLE, table.name()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
    });
  }

  /** The journal's rows of {@code table}, or null when it holds no pair. */
  Dataset<Row> rows(SparkSession spark, Table table) {
    Path folder = new Path(root);
    try {
      FileSystem fs = folder.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(folder) || fs.listStatus(folder, p -> p.getName().startsWith(PREFIX)).length == 0) {
        return null;
      }
    } catch (IOException e) {
      throw StorageAccess.failure("cannot read the run's journal " + root, e);
    }
    return spark.read().schema(table.schema().add(TABLE, DataTypes.StringType))
        .option("timestampFormat", RowJson.TIMESTAMP_FORMAT).json(root)
        .filter(col(TABLE).equalTo(table.name())).drop(TABLE);
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
