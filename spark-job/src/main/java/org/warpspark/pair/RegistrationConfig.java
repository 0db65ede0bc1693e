package org.warpspark.pair;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.warpspark.engine.affine.AffineSettings;
import org.warpspark.engine.deformable.DeformableSettings;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.image.ReadLimits;
import org.warpspark.udfs.spatial.TransformModel;

/**
 * One registration's settings as {@code key = value} text: what {@code conf/warpspark.properties},
 * {@code --set key=value} and a manifest's per-pair overrides say, and what {@code register-pair}'s
 * options say too (a key is an option's name without its dashes). Unknown keys and invalid values are
 * refused when the config is made, so a job fails before any work starts. Empty values take the
 * documented default, some of which follow from another key (the deformable loss from the loss).
 */
public final class RegistrationConfig {
  /** Each key, its default ("" where it follows from other keys) and what it means, in the order documented. */
  public record Key(String name, String defaultValue, String description) {}

  /** Random voxels per affine iteration: beyond this a batch no longer fits a device comfortably. */
  private static final int MAX_SAMPLES = 1 << 24;
  private static final int MAX_LEVEL_FACTOR = 1024;
  private static final int MAX_ITERATIONS = 100_000;
  /** Local NCC windows wider than this (voxels per axis) are no longer local. */
  private static final int MAX_LNCC_WINDOW = 99;
  /** Generous: a 1 mm brain pair with every stage takes minutes on two cores. */
  private static final int TIME_LIMIT_SECONDS = 3600;
  /** A week: beyond that a limit is no limit. */
  private static final int MAX_TIME_LIMIT_SECONDS = 7 * 24 * 3600;
  /** What the default learning rate adds to its steps. */
  private static final String WITHIN_EXTENT = "within " + Math.round(100 * AffineSettings.MAX_STEP_FRACTION)
      + "% of the image's extent";
  /** The default model and losses; every other default is the engine's own ({@code defaults()}). */
  private static final TransformModel MODEL = TransformModel.RIGID;
  private static final LossKind LOSS = LossKind.MI;
  /** Local NCC, whatever the linear stage's loss: it compares windows, so it holds across modalities. */
  private static final LossKind DEFORMABLE_LOSS = LossKind.LNCC;
  private static final AffineSettings AFFINE = AffineSettings.defaults(MODEL, LOSS);
  private static final DeformableSettings DEFORMABLE = DeformableSettings.defaults(DEFORMABLE_LOSS);
  private static final DeformableSettings BSPLINE = DeformableSettings.bsplineDefaults(DEFORMABLE_LOSS);

  public static final List<Key> KEYS = List.of(
      new Key("stages", "affine,deformable", "affine, or affine,deformable"),
      new Key("model", lower(MODEL), "affine stage: translation, rigid, similarity or affine"),
      new Key("loss", lower(LOSS), "affine stage: mse, ncc or mi"),
      new Key("levels", list(AFFINE.levelFactors()), "affine pyramid factors, coarse to fine"),
      new Key("iterations", list(AFFINE.iterations()), "affine iterations per level"),
      new Key("learning-rate", "", "affine Adam step in mm at the finest level (default " + plain(AFFINE.learningRate())
          + ", each level's first step " + WITHIN_EXTENT + ", which suits microscopy as well as brains; a rate given "
          + "is used as it is)"),
      new Key("samples", String.valueOf(AFFINE.samplesPerIteration()),
          "random fixed voxels per affine iteration; 0 = all"),
      new Key("centre", lower(AFFINE.centre()), "centre of rotation: image or mass"),
      new Key("init", lower(AFFINE.initialisation()), "initial translation: geometry, mass or none"),
      new Key("sampler", lower(AFFINE.sampler()), "fused (PyTorch grid_sampler) or gather (reference)"),
      new Key("fixed-sampling", lower(AFFINE.fixedSampling()),
          "random fixed samples on voxel centres, or jittered up to half a voxel off them"),
      new Key("seed", String.valueOf(AFFINE.seed()), "seed of the voxel sampling"),
      new Key("deformable-model", lower(DEFORMABLE.model()),
          "flow (dense, diffeomorphic, with its inverse), symmetric (the flow to a midpoint) or bspline "
          + "(control grid)"),
      new Key("deformable-loss", lower(DEFORMABLE_LOSS), "mse, ncc, mi or lncc"),
      new Key("lncc-window", String.valueOf(DEFORMABLE.window()), "local NCC window, voxels per axis, odd"),
      new Key("flow-step", plain(DEFORMABLE.learningRate()),
          "flow, symmetric: largest update of the map per iteration, voxels"),
      new Key("fluid-sigma", plain(DEFORMABLE.fluidSigma()), "flow, symmetric: smoothing of each update, voxels"),
      new Key("elastic-sigma", plain(DEFORMABLE.elasticSigma()), "flow, symmetric: smoothing of the field, voxels"),
      new Key("control-spacing", plain(DEFORMABLE.controlSpacing()), "bspline: control-point spacing, mm"),
      new Key("regulariser", lower(DEFORMABLE.regulariser()), "bspline: diffusion or bending"),
      new Key("regularisation-weight", "", "bspline: penalty weight; diffusion dimensionless, bending 1/mm^2 (default "
          + plain(DeformableSettings.defaultWeight(DeformableSettings.Regulariser.DIFFUSION)) + " for diffusion, "
          + plain(DeformableSettings.defaultWeight(DeformableSettings.Regulariser.BENDING)) + " for bending)"),
      new Key("diffeomorphic", String.valueOf(DEFORMABLE.diffeomorphic()),
          "bspline: optimise a stationary velocity field (cannot fold)"),
      new Key("deformable-levels", "", "deformable pyramid factors (default: " + list(DEFORMABLE.levelFactors())
          + " for flow and symmetric, " + list(BSPLINE.levelFactors()) + " for bspline)"),
      new Key("deformable-iterations", "", "deformable iterations per level (default: " + list(DEFORMABLE.iterations())
          + " for flow and symmetric, " + list(BSPLINE.iterations()) + " for bspline)"),
      new Key("max-voxels", String.valueOf(ReadLimits.DEFAULT.maxVoxels()), "refuse images with more voxels"),
      new Key("time-limit", String.valueOf(TIME_LIMIT_SECONDS),
          "seconds a pair may take, reading included; a pair over it fails and the run goes on"));

  private static final Map<String, Key> BY_NAME = byName();

  private final TreeMap<String, String> given;
  private final AffineSettings affine;
  private final DeformableSettings deformable;

  private RegistrationConfig(Map<String, String> given) {
    this.given = new TreeMap<>();
    given.forEach((key, value) -> {
      if (!BY_NAME.containsKey(key)) {
        throw new IllegalArgumentException("unknown setting '" + key + "' (known: " + String.join(", ", BY_NAME.keySet())
            + ")");
      }
      String trimmed = value == null ? "" : value.trim();
      if (!trimmed.isEmpty()) {
        this.given.put(key, trimmed);
      }
    });
    try {
      this.affine = buildAffine();
      this.deformable = stages().contains("deformable") ? buildDeformable(affine) : null;
      readLimits();
      timeLimitSeconds();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid settings " + this.given + ": " + e.getMessage(), e);
    }
  }

  /** The documented defaults. */
  public static RegistrationConfig defaults() {
    return new RegistrationConfig(Map.of());
  }

  /** {@code values} over the defaults; refuses unknown keys and invalid values. */
  public static RegistrationConfig of(Map<String, String> values) {
    return new RegistrationConfig(values);
  }

  /** This config with {@code overrides} on top (a per-pair override, {@code --set}). */
  public RegistrationConfig with(Map<String, String> overrides) {
    Map<String, String> merged = new TreeMap<>(given);
    merged.putAll(overrides);
    return new RegistrationConfig(merged);
  }

  /** The stages in order: always "affine", then "deformable" if asked for. */
  public List<String> stages() {
    List<String> stages = Arrays.stream(value("stages").split(",")).map(String::trim).toList();
    for (String stage : stages) {
      if (!stage.equals("affine") && !stage.equals("deformable")) {
        throw new IllegalArgumentException("unknown stage '" + stage + "' (expected affine or affine,deformable)");
      }
    }
    if (!stages.contains("affine")) {
      throw new IllegalArgumentException("the deformable stage starts from the affine one: use affine,deformable");
    }
    return stages.contains("deformable") ? List.of("affine", "deformable") : List.of("affine");
  }

  public AffineSettings affine() {
    return affine;
  }

  /** The deformable stage's settings, or null when the stages stop at affine. */
  public DeformableSettings deformable() {
    return deformable;
  }

  public ReadLimits readLimits() {
    return ReadLimits.DEFAULT.withMaxVoxels(maxVoxels());
  }

  /** How long the pair may take, reading included, before it is stopped and failed. */
  public int timeLimitSeconds() {
    return wholeIn("time-limit", 1, MAX_TIME_LIMIT_SECONDS);
  }

  /** Every key with the value in force (derived defaults spelled out), one {@code key = value} per line. */
  public String text() {
    StringBuilder text = new StringBuilder();
    resolved().forEach((key, value) -> text.append(key).append(" = ").append(value).append('\n'));
    return text.toString();
  }

  /** SHA-256 of {@link #text()}: equal hashes, equal settings. */
  public String hash() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }

  /** The keys that were given (not defaulted), as given. */
  public Map<String, String> given() {
    return new TreeMap<>(given);
  }

  private Map<String, String> resolved() {
    Map<String, String> all = new LinkedHashMap<>();
    for (Key key : KEYS) {
      all.put(key.name(), value(key.name()));
    }
    all.put("fixed-sampling", lower(affine.fixedSampling()));
    all.put("learning-rate", plain(affine.learningRate()) + (affine.stepWithinExtent() ? " (" + WITHIN_EXTENT + ")"
        : ""));
    if (deformable != null) {
      all.put("regularisation-weight", String.valueOf(deformable.regularisationWeight()));
      all.put("deformable-levels", list(deformable.levelFactors()));
      all.put("deformable-iterations", list(deformable.iterations()));
    }
    return all;
  }

  private String value(String key) {
    return given.getOrDefault(key, BY_NAME.get(key).defaultValue());
  }

  private AffineSettings buildAffine() {
    AffineSettings base = AffineSettings.defaults(TransformModel.parse(value("model")), LossKind.parse(value("loss")));
    String fixedSampling = value("fixed-sampling");
    boolean rateGiven = given.containsKey("learning-rate");
    return new AffineSettings(base.model(), base.loss(), levels("levels"), iterations("iterations"),
        rateGiven ? number("learning-rate") : AFFINE.learningRate(), wholeIn("samples", 0, MAX_SAMPLES),
        base.histogramBins(), choice(AffineSettings.Centre.class, "centre"),
        choice(AffineSettings.Initialisation.class, "init"), base.convergenceWindow(), base.convergenceTolerance(),
        whole("seed"), choice(AffineSettings.Sampler.class, "sampler"),
        fixedSampling.isEmpty() ? base.fixedSampling() : choice(AffineSettings.FixedSampling.class, "fixed-sampling"),
        !rateGiven);
  }

  private DeformableSettings buildDeformable(AffineSettings affineSettings) {
    LossKind kind = LossKind.parse(value("deformable-loss"));
    DeformableSettings.Model model = choice(DeformableSettings.Model.class, "deformable-model");
    if (model.dense() && bool("diffeomorphic")) {
      throw new IllegalArgumentException("diffeomorphic=true is the bspline model's velocity option; the "
          + lower(model) + " model is diffeomorphic already (set deformable-model=bspline to use it)");
    }
    DeformableSettings.Regulariser regulariser = choice(DeformableSettings.Regulariser.class, "regulariser");
    DeformableSettings base = (model.dense() ? DeformableSettings.defaults(kind)
        : DeformableSettings.bsplineDefaults(kind)).withLoss(kind, wholeIn("lncc-window", 3, MAX_LNCC_WINDOW))
        .withDiffeomorphic(bool("diffeomorphic")).withSeed(affineSettings.seed());
    double weight = given.containsKey("regularisation-weight") ? number("regularisation-weight")
        : DeformableSettings.defaultWeight(regulariser);
    base = base.withRegulariser(regulariser, weight).withControlSpacing(number("control-spacing"))
        .withSchedule(given.containsKey("deformable-levels") ? levels("deformable-levels") : base.levelFactors(),
            given.containsKey("deformable-iterations") ? iterations("deformable-iterations") : base.iterations());
    return model.dense()
        ? base.withFlow(model, number("flow-step"), number("fluid-sigma"), number("elastic-sigma")) : base;
  }

  private long maxVoxels() {
    long max = whole("max-voxels");
    if (max < 1) {
      throw new IllegalArgumentException("max-voxels must be positive, got " + max);
    }
    return max;
  }

  private double number(String key) {
    try {
      return Double.parseDouble(value(key));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, got '" + value(key) + "'");
    }
  }

  private long whole(String key) {
    try {
      return Long.parseLong(value(key));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + value(key) + "'");
    }
  }

  /** A whole number in {@code [min, max]}; the message gives the range. */
  private int wholeIn(String key, int min, int max) {
    long v = whole(key);
    if (v < min || v > max) {
      throw new IllegalArgumentException(key + " must be a whole number from " + min + " to " + max + ", got '"
          + value(key) + "'");
    }
    return (int) v;
  }

  private boolean bool(String key) {
    String v = value(key).toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(key + " must be true or false, got '" + value(key) + "'");
    }
    return Boolean.parseBoolean(v);
  }

  /** Pyramid factors: beyond this a level is a handful of voxels of any image. */
  private int[] levels(String key) {
    return intsIn(key, 1, MAX_LEVEL_FACTOR);
  }

  /** Iterations per level: a level's loss curve is held in memory, one number per iteration. */
  private int[] iterations(String key) {
    return intsIn(key, 0, MAX_ITERATIONS);
  }

  private int[] intsIn(String key, int min, int max) {
    int[] values = ints(key);
    for (int v : values) {
      if (v < min || v > max) {
        throw new IllegalArgumentException(key + " must be whole numbers from " + min + " to " + max + ", got '"
            + value(key) + "'");
      }
    }
    return values;
  }

  private int[] ints(String key) {
    try {
      return Arrays.stream(value(key).split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be whole numbers separated by commas, got '" + value(key) + "'");
    }
  }

  private <E extends Enum<E>> E choice(Class<E> type, String key) {
    try {
      return Enum.valueOf(type, value(key).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " must be one of " + Arrays.stream(type.getEnumConstants())
          .map(RegistrationConfig::lower).toList() + ", got '" + value(key) + "'");
    }
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static String list(int[] values) {
    return String.join(",", Arrays.stream(values).mapToObj(String::valueOf).toList());
  }

  /** {@code 8} for 8.0, {@code 0.0015} as it is: how a user writes it. */
  private static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private static Map<String, Key> byName() {
    Map<String, Key> map = new LinkedHashMap<>();
    KEYS.forEach(key -> map.put(key.name(), key));
    return map;
  }

  @Override
  public String toString() {
    return "RegistrationConfig" + given;
  }
}
