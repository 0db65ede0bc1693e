package org.warpspark.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.warpspark.pair.RegistrationConfig;
import org.warpspark.storage.InputUris;
import org.warpspark.storage.StorageAccess;
import org.warpspark.pair.PairInput;
import org.warpspark.pair.PairSpec;

/**
 * The driver's side of a run: every pair's settings (the run's, then its overrides) are checked before
 * anything runs, and every input is looked up. A missing input does not stop the run: the pair is
 * planned to fail with the reason, so that it gets its rows like every other pair. A store that
 * cannot be reached is tried once: the inputs after it fail with the same cause at once.
 */
public final class Planner {
  /**
   * How long the driver waits for one input's lookup (at most the pair's time limit); a store that does
   * not answer is not asked again.
   */
  private static final int LOOKUP_SECONDS = 120;

  private Planner() {}

  /**
   * One task per pair; refuses the whole run if any pair's settings are invalid. With an
   * {@code exportRoot}, each pair writes its files into {@code exportRoot/<pair_id>/}.
   */
  public static List<PairTask> plan(List<PairSpec> pairs, RegistrationConfig runConfig, String exportRoot,
      Configuration conf) {
    return plan(pairs, runConfig, exportRoot, null, conf);
  }

  /** As {@link #plan(List, RegistrationConfig, String, Configuration)}; with a {@code qcRoot}, QC pictures go to {@code qcRoot/<pair_id>/}. */
  public static List<PairTask> plan(List<PairSpec> pairs, RegistrationConfig runConfig, String exportRoot,
      String qcRoot, Configuration conf) {
    List<PairTask> tasks = new ArrayList<>();
    Map<String, String> unreachable = new HashMap<>();
    try (LookupThread lookups = new LookupThread()) {
      for (PairSpec pair : pairs) {
        RegistrationConfig config;
        try {
          config = runConfig.with(pair.overrides());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("pair " + pair.pairId() + ": " + e.getMessage(), e);
        }
        String exports = exportRoot == null ? null : new Path(exportRoot, pair.pairId()).toString();
        String qc = qcRoot == null ? null : new Path(qcRoot, pair.pairId()).toString();
        tasks.add(new PairTask(pair, config.given(), config.hash(), config.stages(), missingInput(pair, conf,
            unreachable, lookups, Math.min(LOOKUP_SECONDS, config.timeLimitSeconds())), exports, qc, true));
      }
    }
    return tasks;
  }

  /**
   * Null when every input of {@code pair} exists, else which one does not or cannot be reached.
   * {@code unreachable} holds the cause for each store (scheme and authority) already found unreachable.
   */
  static String missingInput(PairSpec pair, Configuration conf, Map<String, String> unreachable,
      LookupThread lookups, int lookupSeconds) {
    for (PairInput input : PairInput.values()) {
      String uri = input.of(pair);
      if (uri == null) {
        continue;
      }
      String refusal = InputUris.refusal(uri, conf);
      String problem = refusal != null ? refusal : lookUp(uri, conf, unreachable, lookups, lookupSeconds);
      if (problem != null) {
        return input.description() + " " + InputUris.redacted(uri) + (refusal != null ? ": " : " ") + problem;
      }
    }
    return null;
  }

  private static String lookUp(String uri, Configuration conf, Map<String, String> unreachable, LookupThread lookups,
      int seconds) {
    Path path;
    try {
      path = new Path(uri);
    } catch (IllegalArgumentException e) {
      return "is not a valid path: " + e.getMessage();
    }
    URI u = path.toUri();
    String store = u.getScheme() == null ? FileSystem.getDefaultUri(conf).toString()
        : u.getScheme() + "://" + u.getAuthority();
    if (unreachable.containsKey(store)) {
      return "cannot be reached: " + unreachable.get(store) + " (" + store + " not tried again)";
    }
    try {
      Boolean exists = lookups.within(seconds, () -> path.getFileSystem(conf).exists(path));
      if (exists == null) {
        String cause = "no answer within " + seconds + " s (a stalled mount or store?)";
        unreachable.put(store, cause);
        return "cannot be reached: " + cause;
      }
      return exists ? null : missing(path);
    } catch (UncheckedIOException e) {
      return lookUpFailure(e.getCause(), store, unreachable);
    } catch (RuntimeException e) {
      return "cannot be read: " + e.getMessage();
    }
  }

  /** "does not exist", or for a local link that leads nowhere, why. */
  private static String missing(Path path) {
    URI u = path.toUri();
    if (u.getScheme() == null || "file".equals(u.getScheme())) {
      java.nio.file.Path local = java.nio.file.Path.of(u.getPath());
      if (java.nio.file.Files.isSymbolicLink(local)) {
        try {
          local.toRealPath();
        } catch (IOException e) {
          return "is a symbolic link that leads nowhere (" + e.getClass().getSimpleName() + ": " + e.getMessage()
              + "; a loop of links, or a missing target)";
        }
      }
    }
    return "does not exist";
  }

  private static String lookUpFailure(IOException e, String store, Map<String, String> unreachable) {
    String cause = StorageAccess.cause(e);
    if (StorageAccess.isUnreachable(e)) {
      unreachable.put(store, cause);
      return "cannot be reached: " + cause;
    }
    return "cannot be read: " + cause; // this object only, as far as we know
  }
}
