package org.warpspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** sql prints nested values as JSON, never Scala's text, as a table, CSV or JSON lines. */
class SqlCommandTest {
  private static final String QUERY = "SELECT array(1.5D, 2.0D) AS a, map('k', 1) AS m, named_struct('x', 1) AS s, "
      + "'a,b \"c\"' AS t, CAST(NULL AS STRING) AS n, double('NaN') AS nan, "
      + "TIMESTAMP '2026-12-05T10:00:00Z' AS ts, '' AS e, INTERVAL '90' SECOND AS i, 1 AS a";

  private static List<String> lines(Path dir, String format) {
    CommandLine cli = WarpsparkCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    assertEquals(0, cli.execute("sql", "--tables", dir.toString(), "--format", format, QUERY), err.toString());
    return out.toString().lines().toList();
  }

  @Test
  void everyFormatPrintsNestedValuesAsJson(@TempDir Path dir) {
    List<String> table = lines(dir, "table");
    assertEquals(List.of("a | m | s | t | n | nan | ts | e | i | a_2",
        "[1.5,2.0] | {\"k\":1} | {\"x\":1} | a,b \"c\" | NULL | NaN | 2026-12-05T10:00:00Z |  | PT1M30S | 1",
        "(1 rows)"), table);

    List<String> csv = lines(dir, "csv");
    assertEquals(List.of("a,m,s,t,n,nan,ts,e,i,a_2",
        "\"[1.5,2.0]\",\"{\"\"k\"\":1}\",\"{\"\"x\"\":1}\",\"a,b \"\"c\"\"\",,NaN,2026-12-05T10:00:00Z,\"\",PT1M30S,1"),
        csv, "a null is empty, an empty text quoted");

    List<String> json = lines(dir, "json");
    assertEquals(1, json.size());
    JsonObject row = JsonParser.parseString(json.get(0)).getAsJsonObject();
    assertEquals(2.0, row.getAsJsonArray("a").get(1).getAsDouble());
    assertEquals(1, row.getAsJsonObject("m").get("k").getAsInt());
    assertEquals("a,b \"c\"", row.get("t").getAsString());
    assertTrue(row.get("n").isJsonNull());
    assertTrue(Double.isNaN(row.get("nan").getAsDouble()));
    assertEquals("2026-12-05T10:00:00Z", row.get("ts").getAsString());
    assertEquals("PT1M30S", row.get("i").getAsString(), "an interval as its text (Gson cannot reflect on it)");
    assertEquals(1, row.get("a_2").getAsInt(), "a repeated column name keeps both values");
  }
}
