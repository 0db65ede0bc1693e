package org.warpspark.udfs.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/TABLES.md holds, between its markers, exactly what {@link TablesDoc} renders from the schemas.
 * After changing a table, regenerate with {@code mvn -pl udfs test -Dtest=TablesDocTest -Dwarpspark.regenerate=true}.
 */
class TablesDocTest {
  private static final Path DOC = Path.of("..", "docs", "TABLES.md");
  private static final String BEGIN = "<!-- columns: generated from udfs/.../table/Tables.java, begin -->\n";
  private static final String END = "<!-- columns: end -->";

  @Test
  void theDocumentedColumnsAreTheSchemas() throws IOException {
    String doc = Files.readString(DOC);
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertTrue(begin >= 0 && end > begin, "docs/TABLES.md lacks its generated-section markers");
    String generated = TablesDoc.render();
    if (Boolean.getBoolean("warpspark.regenerate")) {
      Files.writeString(DOC, doc.substring(0, begin + BEGIN.length()) + generated + doc.substring(end));
      return;
    }
    assertEquals(generated, doc.substring(begin + BEGIN.length(), end),
        "docs/TABLES.md is out of date: regenerate it (see this test's Javadoc)");
  }

  @Test
  void everyTableHasItsKeyColumns() {
    for (Table table : Tables.ALL) {
      assertTrue(table.schema().fieldNames().length > 3, table.name());
    }
    assertEquals("array<double>", Registrations.TABLE.column(Registrations.FIXED_TO_MOVING).type().simpleString());
  }
}
