package org.warpspark.engine.affine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warpspark.engine.InvalidPairException;
import org.warpspark.engine.RegistrationDivergedException;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.engine.optim.Adam;
import org.warpspark.engine.optim.CosineSchedule;
import org.warpspark.engine.optim.AnnealOnConvergence;
import org.warpspark.engine.optim.LevelLoop;
import org.warpspark.engine.optim.LevelTrace;
import org.warpspark.engine.pyramid.ImagePyramid;
import org.warpspark.udfs.spatial.Grid;
import org.warpspark.engine.sample.FixedVoxels;
import org.warpspark.engine.sample.SampleStack;
import org.warpspark.image.Image;
import org.warpspark.torch.Autograd;
import org.warpspark.udfs.spatial.TransformModel;

/**
 * Finds the {@code fixedToMoving} affine map that makes the moving image look like the fixed one:
 * coarse-to-fine over a pyramid, Adam on per-parameter-scaled motion parameters, random voxel subsets
 * per iteration, and a loss-slope stopping rule per level. Each level ends on the average of its last
 * window of iterates (Polyak-Ruppert averaging), which removes most of the jitter that random subsets
 * leave in the last steps. One instance holds settings only; every
 * array of a registration belongs to the manager it is given (closed by the caller per pair).
 */
public final class AffineRegistration {
  private static final Logger LOG = LoggerFactory.getLogger(AffineRegistration.class);
  /** Voxels in the deterministic subset that measures the initial and final loss. */
  private static final int EVALUATION_SAMPLES = 1 << 16;
  /**
   * The iterates that are averaged (a level's last window) see this many times more samples: with an
   * unbiased objective the last error left is gradient noise, and these few steps decide the result.
   */
  private static final int FINAL_WINDOW_SAMPLE_FACTOR = 4;
  /** Random fixed samples drawn per level into the device-resident pool that iterations take windows of. */
  private static final int POOL_SAMPLES = 1 << 17;
  /** Final learning rate of a level as a fraction of its first. */
  private static final double FINAL_RATE_FRACTION = 0.02;

  private final AffineSettings settings;

  public AffineRegistration(AffineSettings settings) {
    this.settings = settings;
  }

  /** @param fixedMask on the fixed grid, voxels > 0.5 count; null to use every fixed voxel */
  public AffineResult register(Image fixed, Image moving, Image fixedMask, NDManager manager) {
    return registerAll(List.of(new AffinePair(fixed, moving, fixedMask)), manager).get(0).resultOrThrow();
  }

  /**
   * Registers {@code pairs} together: those whose moving images share their shape at every level are
   * optimised in lockstep, one objective call per iteration for all of them, each with its own
   * parameters, samples, rates, convergence and result (what it would get alone). A pair that fails
   * (bad input, a loss that is no number) leaves its batch without stopping the others. A result's
   * seconds are its batch's time shared equally among the batch.
   */
  public List<AffineOutcome> registerAll(List<AffinePair> pairs, NDManager manager) {
    AffineOutcome[] outcomes = new AffineOutcome[pairs.size()];
    Map<String, List<Integer>> batches = new LinkedHashMap<>();
    for (int i = 0; i < pairs.size(); i++) {
      AffinePair pair = pairs.get(i);
      try {
        checkInputs(pair.fixed(), pair.moving(), pair.fixedMask());
        batches.computeIfAbsent(batchKey(pair.moving()), k -> new ArrayList<>()).add(i);
      } catch (InvalidPairException e) {
        outcomes[i] = new AffineOutcome(null, e);
      }
    }
    for (List<Integer> batch : batches.values()) {
      List<AffinePair> members = batch.stream().map(pairs::get).toList();
      List<AffineOutcome> done;
      try {
        // Spark task threads start with libtorch's grad mode on: record graphs only inside the steps.
        done = Autograd.notRecording(() -> registerBatch(members, manager));
      } catch (CancellationException e) {
        throw e; // a time limit stops the whole call
      } catch (RuntimeException e) { // the batch's own failure (native memory, the device): its pairs only
        done = Collections.nCopies(batch.size(), new AffineOutcome(null, e));
      }
      for (int k = 0; k < batch.size(); k++) {
        outcomes[batch.get(k)] = done.get(k);
      }
    }
    return Arrays.asList(outcomes);
  }

  /** Moving images batch together when they have one shape at full resolution and at every level. */
  private String batchKey(Image moving) {
    StringBuilder key = new StringBuilder(Arrays.toString(moving.grid().size()));
    for (int factor : settings.levelFactors()) {
      key.append(Arrays.toString(ImagePyramid.levelSize(moving.grid(), factor)));
    }
    return key.toString();
  }

  private List<AffineOutcome> registerBatch(List<AffinePair> pairs, NDManager manager) {
    long start = System.nanoTime();
    List<AffineMember> members = pairs.stream().map(this::member).toList();
    Objectives loss = Objectives.of(settings.sampler(), members.get(0).similarity, manager);
    List<AffineMember> alive = running(members);
    double[] initial = evaluate(alive, loss, manager);
    for (int k = 0; k < alive.size(); k++) {
      alive.get(k).initialLoss = initial[k];
    }
    int[] factors = settings.levelFactors();
    int[] iterations = settings.iterations();
    for (int level = 0; level < factors.length; level++) {
      runLevel(level, factors[level], iterations[level], running(members), loss, manager);
    }
    alive = running(members);
    double[] last = alive.isEmpty() ? new double[0] : evaluate(alive, loss, manager);
    double seconds = (System.nanoTime() - start) / 1e9 / members.size();
    List<AffineOutcome> outcomes = new ArrayList<>();
    for (AffineMember member : members) {
      int k = alive.indexOf(member);
      outcomes.add(member.failed() ? new AffineOutcome(null, member.failure())
          : new AffineOutcome(result(member, last[k], seconds), null));
    }
    return outcomes;
  }

  private AffineMember member(AffinePair pair) {
    Image fixed = pair.fixed();
    int d = fixed.dim();
    TransformModel model = settings.model();
    double[] centre = settings.centre() == AffineSettings.Centre.MASS ? CentreOfMass.of(fixed) : fixed.grid().centre();
    MotionJacobian motion = new MotionJacobian(model, d, model.parameterScales(d, fixed.grid().radius()), centre);
    SimilarityLoss similarity = settings.loss().create(fixed.voxels(), pair.moving().voxels(),
        settings.histogramBins());
    return new AffineMember(pair, motion, similarity, settings.seed(),
        motion.scaledOf(initialParameters(fixed, pair.moving(), d)));
  }

  private AffineResult result(AffineMember member, double finalLoss, double seconds) {
    double[] q = member.q;
    boolean keptStart = finalLoss > member.initialLoss;
    if (keptStart) { // worse than where it started, by its own measure: keep the start and say so
      LOG.warn("affine {} registration ended worse than it started ({} -> {}): keeping the initial transform",
          settings.loss(), member.initialLoss, finalLoss);
      System.arraycopy(member.start, 0, q, 0, q.length);
      finalLoss = member.initialLoss;
    }
    TransformModel model = settings.model();
    LOG.info("affine {} {} registration: loss {} -> {} in {} iterations, {} s", model, settings.loss(),
        member.initialLoss, finalLoss, member.levels.stream().mapToInt(LevelTrace::iterations).sum(),
        String.format("%.2f", seconds));
    return new AffineResult(model, member.motion.parameters(q), member.motion.centre(), member.motion.fixedToMoving(q),
        List.copyOf(member.levels), member.initialLoss, finalLoss, keptStart, seconds);
  }

  private static List<AffineMember> running(List<AffineMember> members) {
    return members.stream().filter(m -> !m.failed()).toList();
  }

  /** A level's first step: the learning rate times how much coarser the level is, within the image's extent. */
  private double levelRate(Grid grid, int factor) {
    double smallestExtent = Double.POSITIVE_INFINITY;
    for (int a = 0; a < grid.dim(); a++) {
      smallestExtent = Math.min(smallestExtent, grid.size()[a] * grid.spacing()[a]);
    }
    double rate = settings.learningRate() * ImagePyramid.growth(grid, factor);
    return settings.stepWithinExtent() ? Math.min(rate, AffineSettings.MAX_STEP_FRACTION * smallestExtent) : rate;
  }

  private void runLevel(int level, int factor, int maxIterations, List<AffineMember> candidates, Objectives loss,
      NDManager manager) {
    List<AffineMember> members = new ArrayList<>();
    List<Image> fixedLevels = new ArrayList<>();
    List<Image> movingLevels = new ArrayList<>();
    List<FixedVoxels.Draw> draws = new ArrayList<>();
    boolean jittered = settings.fixedSampling() == AffineSettings.FixedSampling.JITTERED;
    boolean everyVoxel = settings.samplesPerIteration() == 0;
    for (AffineMember member : candidates) {
      Image levelFixed = ImagePyramid.level(member.fixed(), factor);
      Image mask = member.pair.fixedMask();
      FixedVoxels voxels = new FixedVoxels(levelFixed, mask == null ? null : ImagePyramid.level(mask, factor));
      if (voxels.size() == 0) {
        member.fail(new InvalidPairException("the fixed mask selects no voxel at pyramid factor " + factor));
        continue;
      }
      members.add(member);
      fixedLevels.add(levelFixed);
      movingLevels.add(ImagePyramid.level(member.moving(), factor));
      draws.add(everyVoxel ? voxels.all() : voxels.random(POOL_SAMPLES, member.random, jittered));
    }
    if (members.isEmpty()) {
      return;
    }
    int count = members.size();
    Adam[] adams = new Adam[count];
    IterateAverage[] averages = new IterateAverage[count];
    LevelLoop.Ending[] endings = new LevelLoop.Ending[count];
    for (int m = 0; m < count; m++) {
      adams[m] = new Adam(members.get(m).q.length);
      averages[m] = new IterateAverage(members.get(m).q.length);
      endings[m] = new AnnealOnConvergence(
          new CosineSchedule(levelRate(members.get(m).fixed().grid(), factor), FINAL_RATE_FRACTION, maxIterations),
          settings.convergenceWindow(), settings.convergenceTolerance());
    }
    LevelTrace[] traces;
    try (NDManager levelScope = manager.newSubManager()) {
      LevelObjective objective = loss.create(fixedLevels.stream().map(Image::grid).toList(), movingLevels,
          members.stream().map(m -> m.similarity).toList(), levelScope);
      SampleStack samples = new SampleStack(draws, fixedLevels.get(0).dim(), levelScope);
      LevelLoop.Iterates iterates = new LevelLoop.Iterates() {
        @Override
        public double[] step(int iteration, int[] running, double[] rates, boolean[] finalWindows) {
          int[] counts = new int[running.length];
          SplittableRandom[] randoms = new SplittableRandom[running.length];
          float[][] matrices = new float[running.length][];
          for (int k = 0; k < running.length; k++) {
            AffineMember member = members.get(running[k]);
            counts[k] = settings.samplesPerIteration() * (finalWindows[k] ? FINAL_WINDOW_SAMPLE_FACTOR : 1);
            randoms[k] = member.random;
            matrices[k] = member.motion.frameMatrix(member.q, objective.frames(running[k]));
          }
          LevelObjective.Steps steps;
          try (NDManager stepScope = levelScope.newSubManager()) {
            steps = objective.evaluate(samples, running, samples.windows(running, counts, randoms, stepScope),
                matrices, true);
          }
          for (int k = 0; k < running.length; k++) {
            AffineMember member = members.get(running[k]);
            double[] gradient = member.motion.chain(member.q, steps.gradientsToMatrix()[k],
                objective.frames(running[k]));
            if (!Double.isFinite(steps.losses()[k]) || !allFinite(gradient)) {
              member.fail(new RegistrationDivergedException(String.format("affine %s loss is %s at level %d "
                  + "(factor %d), iteration %d: the moving image left the fixed field of view or the input holds "
                  + "non-finite values", settings.loss(), steps.losses()[k], level, factor, iteration)));
              continue;
            }
            adams[running[k]].step(member.q, gradient, rates[k]);
          }
          return steps.losses();
        }

        @Override
        public boolean failed(int member) {
          return members.get(member).failed();
        }

        @Override
        public void addToAverage(int member) {
          averages[member].add(members.get(member).q);
        }

        @Override
        public void restartAverage(int member) {
          averages[member] = new IterateAverage(members.get(member).q.length);
        }

        @Override
        public void applyAverage(int member) {
          averages[member].copyInto(members.get(member).q);
        }
      };
      traces = LevelLoop.runTogether(factor, maxIterations, endings, iterates);
    }
    for (int m = 0; m < count; m++) {
      if (traces[m] != null) {
        members.get(m).levels.add(traces[m]);
        LOG.debug("level {} (factor {}): {} iterations, converged {}", level, factor, traces[m].iterations(),
            traces[m].converged());
      }
    }
  }

  /** Loss on a fixed subset of full-resolution voxels per member: comparable between the start and the end. */
  private double[] evaluate(List<AffineMember> members, Objectives loss, NDManager manager) {
    List<FixedVoxels.Draw> draws = new ArrayList<>();
    float[][] matrices = new float[members.size()][];
    int[] running = new int[members.size()];
    try (NDManager scope = manager.newSubManager()) {
      LevelObjective objective = loss.create(members.stream().map(m -> m.fixed().grid()).toList(),
          members.stream().map(AffineMember::moving).toList(), members.stream().map(m -> m.similarity).toList(),
          scope);
      for (int k = 0; k < members.size(); k++) {
        AffineMember member = members.get(k);
        FixedVoxels voxels = new FixedVoxels(member.fixed(), member.pair.fixedMask());
        draws.add(voxels.size() <= EVALUATION_SAMPLES ? voxels.all()
            : voxels.random(EVALUATION_SAMPLES, new SplittableRandom(settings.seed() ^ 0x5DEECE66DL), false));
        matrices[k] = member.motion.frameMatrix(member.q, objective.frames(k));
        running[k] = k;
      }
      SampleStack samples = new SampleStack(draws, members.get(0).fixed().dim(), scope);
      NDArray windows = samples.windows(running, new int[members.size()], null, scope);
      return objective.evaluate(samples, running, windows, matrices, false).losses();
    }
  }

  private double[] initialParameters(Image fixed, Image moving, int d) {
    double[] p = new double[settings.model().parameterCount(d)];
    double[] from;
    double[] to;
    switch (settings.initialisation()) {
      case GEOMETRY -> {
        from = fixed.grid().centre();
        to = moving.grid().centre();
      }
      case MASS -> {
        from = CentreOfMass.of(fixed);
        to = CentreOfMass.of(moving);
      }
      default -> {
        return p;
      }
    }
    for (int a = 0; a < d; a++) {
      p[a] = to[a] - from[a];
    }
    return p;
  }

  private static void checkInputs(Image fixed, Image moving, Image fixedMask) {
    if (fixed.dim() != moving.dim()) {
      throw new InvalidPairException("the fixed image is " + fixed.dim() + "D but the moving image is " + moving.dim() + "D");
    }
    requireTwoVoxelsPerAxis("fixed", fixed);
    requireTwoVoxelsPerAxis("moving", moving);
    if (fixedMask != null && !fixedMask.grid().sameGeometry(fixed.grid(), 1e-4)) {
      throw new InvalidPairException("the fixed mask does not lie on the fixed image's grid: mask " + fixedMask.grid()
          + ", fixed " + fixed.grid());
    }
    if (fixedMask != null && new FixedVoxels(fixed, fixedMask).size() == 0) {
      throw new InvalidPairException("the fixed mask selects no voxel (none above 0.5)");
    }
    if (fixed.nonFiniteCount() > 0 || moving.nonFiniteCount() > 0) {
      throw new InvalidPairException("the images hold non-finite voxels: fixed " + fixed.nonFiniteCount()
          + ", moving " + moving.nonFiniteCount());
    }
  }

  /** Linear interpolation needs two voxels along every axis; a single slice is a 2D image. */
  private static void requireTwoVoxelsPerAxis(String which, Image image) {
    int[] size = image.grid().size();
    for (int a = 0; a < size.length; a++) {
      if (size[a] < 2) {
        throw new InvalidPairException("the " + which + " image has " + size[a] + " voxel along axis " + a
            + " (size " + Arrays.toString(size) + "): register single slices as 2D images");
      }
    }
  }

  private static boolean allFinite(double[] v) {
    for (double x : v) {
      if (!Double.isFinite(x)) {
        return false;
      }
    }
    return true;
  }
}
