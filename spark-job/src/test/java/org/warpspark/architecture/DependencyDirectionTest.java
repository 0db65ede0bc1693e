package org.warpspark.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layering visible and true: {@code cli -> spark -> pair -> {engine, sample, storage, image,
 * torch} -> udfs}, and {@code spark -> apply -> {storage, image} -> udfs} (applying transforms needs no
 * native code), read from every reference in the main sources (imports and fully qualified names in
 * code; comments and strings do not count). Nothing imports the command line; only the Spark glue
 * sees Spark; only {@code torch} reaches into DJL's PyTorch internals; no two packages depend on each
 * other, directly or round about.
 */
class DependencyDirectionTest {
  private static final List<Path> ROOTS = List.of(Path.of("src/main/java"), Path.of("../udfs/src/main/java"));

  /** What each top-level package may use besides itself (udfs is one layer; its packages are checked for cycles). */
  private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      Map.entry("cli", Set.of("spark", "apply", "pair", "engine", "sample", "storage", "image", "torch", "qc", "udfs")),
      Map.entry("apply", Set.of("storage", "image", "udfs")),
      Map.entry("qc", Set.of("image", "udfs")),
      Map.entry("spark", Set.of("pair", "apply", "engine", "storage", "image", "torch", "qc", "udfs")),
      Map.entry("pair", Set.of("engine", "sample", "storage", "image", "torch", "qc", "udfs")),
      Map.entry("engine", Set.of("image", "torch", "udfs")),
      Map.entry("sample", Set.of("image", "udfs")),
      Map.entry("storage", Set.of("udfs")),
      Map.entry("image", Set.of("storage", "udfs")),
      Map.entry("torch", Set.of("udfs")),
      Map.entry("udfs", Set.of()));

  private static final Pattern REFERENCE = Pattern.compile("\\b(org\\.warpspark(?:\\.[a-z]\\w*)+)\\.[A-Z]");
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

  @Test
  void everyPackageUsesOnlyTheLayersBelowIt() {
    List<String> offences = new ArrayList<>();
    sources().forEach((pkg, code) -> {
      String layer = layer(pkg);
      assertTrue(ALLOWED.containsKey(layer), "package " + pkg + " has no place in the layering");
      for (String used : references(code)) {
        String usedLayer = layer(used);
        if (!usedLayer.equals(layer) && !ALLOWED.get(layer).contains(usedLayer)) {
          offences.add(pkg + " uses " + used);
        }
      }
    });
    assertEquals(List.of(), offences);
  }

  @Test
  void noPackageCycles() {
    Map<String, Set<String>> graph = new TreeMap<>();
    sources().forEach((pkg, code) -> graph.computeIfAbsent(pkg, p -> new TreeSet<>()).addAll(references(code)));
    graph.values().forEach(uses -> uses.removeIf(u -> !graph.containsKey(u)));
    graph.forEach((pkg, uses) -> uses.remove(pkg));
    for (String start : graph.keySet()) {
      assertTrue(!reaches(graph, graph.get(start), start, new HashSet<>()),
          "package cycle through " + start + ": " + graph);
    }
  }

  @Test
  void onlyTheSparkGlueAndTheCommandLineSeeSpark() {
    assertNoUse("org\\.apache\\.spark\\.", "apply", "engine", "pair", "sample", "storage", "image", "torch", "udfs.spatial",
        "udfs.metric");
  }

  @Test
  void theEngineAndTorchNeverSeeHadoop() {
    assertNoUse("org\\.apache\\.hadoop\\.", "engine", "torch", "sample", "udfs");
  }

  @Test
  void onlyTorchTouchesPytorchInternals() {
    assertNoUse("ai\\.djl\\.pytorch\\.", "cli", "spark", "apply", "pair", "engine", "sample", "storage", "image", "udfs");
  }

  @Test
  void imageIoAndStorageDoNotDependOnDjl() {
    assertNoUse("ai\\.djl\\.", "image", "storage", "sample", "udfs");
  }

  /** No source in the given layers (or packages, as {@code udfs.spatial}) mentions {@code forbidden} in code. */
  private static void assertNoUse(String forbidden, String... places) {
    Pattern p = Pattern.compile("\\b" + forbidden);
    List<String> offenders = new ArrayList<>();
    for (Path file : files()) {
      String code = code(read(file));
      String pkg = packageOf(code);
      String local = pkg.replaceFirst("^org\\.warpspark\\.", "");
      for (String place : places) {
        if ((local.equals(place) || local.startsWith(place + ".")) && p.matcher(code).find()) {
          offenders.add(file.toString());
        }
      }
    }
    assertEquals(List.of(), offenders, "these sources use " + forbidden);
  }

  private static boolean reaches(Map<String, Set<String>> graph, Set<String> from, String target, Set<String> seen) {
    for (String next : from) {
      if (next.equals(target) || seen.add(next) && reaches(graph, graph.get(next), target, seen)) {
        return true;
      }
    }
    return false;
  }

  /** {@code cli} for {@code org.warpspark.cli}, {@code engine} for {@code org.warpspark.engine.affine}, {@code udfs} for all of udfs. */
  private static String layer(String pkg) {
    String[] parts = pkg.split("\\.");
    return parts.length > 2 ? parts[2] : pkg;
  }

  private static Set<String> references(String code) {
    Set<String> used = new TreeSet<>();
    Matcher m = REFERENCE.matcher(code);
    while (m.find()) {
      used.add(m.group(1));
    }
    return used;
  }

  /** Code without comments and string literals, by package (sources of one package joined). */
  private static Map<String, String> sources() {
    Map<String, String> byPackage = new TreeMap<>();
    for (Path file : files()) {
      String code = code(read(file));
      byPackage.merge(packageOf(code), code, String::concat);
    }
    return byPackage;
  }

  private static String packageOf(String code) {
    Matcher m = PACKAGE.matcher(code);
    assertTrue(m.find(), "a source without a package");
    return m.group(1);
  }

  private static String code(String source) {
    // Text blocks first (TorchScript sources are long), then string literals as an unrolled loop: a
    // per-character alternation recurses once per character and overflows the stack on long strings.
    return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ")
        .replaceAll("(?s)\"\"\".*?\"\"\"", "\"\"").replaceAll("\"[^\"\\\\\\n]*(?:\\\\.[^\"\\\\\\n]*)*\"", "\"\"");
  }

  private static List<Path> files() {
    List<Path> files = new ArrayList<>();
    for (Path root : ROOTS) {
      assertTrue(Files.isDirectory(root), "missing source folder " + root.toAbsolutePath());
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(f -> f.toString().endsWith(".java")).forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
