package org.warpspark.udfs.table;

/** The column reference of docs/TABLES.md, rendered from {@link Tables} so the two cannot drift apart. */
public final class TablesDoc {
  private TablesDoc() {}

  public static String render() {
    StringBuilder md = new StringBuilder();
    for (Table table : Tables.ALL) {
      md.append("### `").append(table.name()).append("/` (schema version ").append(table.schemaVersion())
          .append(")\n\n").append(capitalised(table.description())).append(". Partitioned by `")
          .append(Table.RUN_ID).append("` (string, from the folder name).\n\n")
          .append("| column | type | unit / frame | meaning |\n|---|---|---|---|\n");
      for (Column column : table.columns()) {
        md.append("| `").append(column.name()).append("` | ").append(column.type().simpleString()).append(" | ")
            .append(column.unit()).append(" | ").append(column.description().replace("|", "\\|")).append(" |\n");
      }
      md.append('\n');
    }
    return md.toString();
  }

  private static String capitalised(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
