package org.warpspark.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command the README and docs/ show names a script that exists, and what it passes to the job
 * parses: in code blocks each option exists, takes the value shown, and the required ones are there;
 * in inline code, which may show part of a command, each option exists. Optional parts shown in
 * brackets count as given, "..." as once, "--KEY VALUE" as nothing; commands with "…" stand for more and are left out. Running them is other tests' work (the demo, docs/SQL.md's queries, the cluster).
 */
class DocumentedCommandsTest {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final Pattern FENCE = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern INLINE = Pattern.compile("`(scripts/[^`]+)`");

  /** A command as shown, and where; inline code may show only part of one (its options must exist). */
  record Shown(String file, String text, boolean whole) {}

  static List<Shown> commands() throws IOException {
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    List<Shown> shown = new ArrayList<>();
    for (Path file : files) {
      String md = Files.readString(file);
      Matcher block = FENCE.matcher(md);
      while (block.find()) {
        String joined = block.group(1).replaceAll("\\\\\\n\\s*", " ");
        for (String line : joined.split("\n")) {
          if (line.strip().startsWith("scripts/")) {
            shown.add(new Shown(file.getFileName().toString(), line.strip(), true));
          }
        }
      }
      Matcher inline = INLINE.matcher(md.replaceAll("\\s*\\n\\s*", " "));
      while (inline.find()) {
        shown.add(new Shown(file.getFileName().toString(), inline.group(1), false));
      }
    }
    return shown;
  }

  @Test
  void everyDocumentedCommandParses() throws IOException {
    List<Shown> shown = commands();
    assertTrue(shown.size() > 30, "commands found: " + shown.size());
    List<String> wrong = new ArrayList<>();
    int parsed = 0;
    for (Shown command : shown) {
      List<String> words = words(command.text());
      String script = words.get(0);
      if (!Files.isExecutable(ROOT.resolve(script))) {
        wrong.add(command + ": no such script");
        continue;
      }
      if (command.text().contains("…")) {
        continue; // stands for more than it shows
      }
      List<String> args = jobArguments(script, concrete(words.subList(1, words.size())));
      if (args == null) {
        continue; // a script of its own (demo, tests, cluster, benchmarks), not the job's command line
      }
      if (!command.whole()) {
        CommandLine.Model.CommandSpec job = WarpsparkCli.commandLine().getSubcommands().get(args.get(0))
            .getCommandSpec();
        args.stream().filter(a -> a.startsWith("-") && !a.equals("--")).map(a -> a.split("=", 2)[0])
            .filter(a -> job.findOption(a) == null).forEach(a -> wrong.add(command + ": no option " + a));
        continue;
      }
      try {
        WarpsparkCli.commandLine().parseArgs(args.toArray(String[]::new));
        parsed++;
      } catch (CommandLine.ParameterException e) {
        wrong.add(command + ": " + e.getMessage());
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    assertTrue(parsed > 10, "commands parsed: " + parsed);
  }

  /** Without "..." ("[--set key=value ...]": one or more) and options named by placeholders ("--KEY VALUE"). */
  private static List<String> concrete(List<String> words) {
    List<String> concrete = new ArrayList<>();
    for (int i = 0; i < words.size(); i++) {
      if (words.get(i).matches("--[A-Z]+")) {
        i++;
      } else if (!words.get(i).equals("...")) {
        concrete.add(words.get(i));
      }
    }
    return concrete;
  }

  /** What a script passes to the job's command line, or null for scripts that do not. */
  static List<String> jobArguments(String script, List<String> words) {
    List<String> args = new ArrayList<>();
    switch (script) {
      case "scripts/run-job.sh" -> {
        boolean other = !words.isEmpty() && List.of("apply", "report").contains(words.get(0));
        args.add(other ? words.get(0) : "run");
        addWithoutSparkOptions(other ? words.subList(1, words.size()) : words, args);
      }
      case "scripts/sql.sh" -> {
        args.add("sql");
        addWithoutSparkOptions(words, args);
      }
      case "scripts/submit.sh" -> {
        int split = words.indexOf("--"); // spark-submit's options, then the run's
        args.add("run");
        args.addAll(words.subList(split + 1, words.size()));
      }
      case "scripts/register-pair.sh" -> {
        args.add("register-pair");
        args.addAll(words);
      }
      case "scripts/apply.sh" -> {
        args.add("apply");
        args.addAll(words);
      }
      default -> {
        return null;
      }
    }
    return args;
  }

  /** The scripts take {@code --master} and {@code --conf} for Spark, the rest for the job. */
  private static void addWithoutSparkOptions(List<String> words, List<String> args) {
    for (int i = 0; i < words.size(); i++) {
      if (words.get(i).equals("--master") || words.get(i).equals("--conf")) {
        i++;
      } else if (!words.get(i).startsWith("--master=")) {
        args.add(words.get(i));
      }
    }
  }

  /** Shell words: quotes kept together, a comment dropped, optional brackets opened. */
  static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (c == '#' && word == null) {
        break;
      } else if (Character.isWhitespace(c) || c == '[' || c == ']') {
        if (word != null) {
          if (word.toString().equals("|")) {
            return words; // a pipe: the rest is another program
          }
          words.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (word != null && !word.toString().equals("|")) {
      words.add(word.toString());
    }
    return words;
  }

  @Test
  void theReaderOfCommandsKeepsQuotesAndOptionalParts() {
    assertTrue(words("scripts/sql.sh --tables t/ \"SELECT a, b FROM r\" # note").equals(
        List.of("scripts/sql.sh", "--tables", "t/", "SELECT a, b FROM r")));
    assertTrue(words("scripts/run-job.sh --out t/ [--run-id R]").equals(
        List.of("scripts/run-job.sh", "--out", "t/", "--run-id", "R")));
    assertTrue(words("scripts/sql.sh --tables t 'q' | python3 x.py").equals(
        List.of("scripts/sql.sh", "--tables", "t", "q")));
  }
}
