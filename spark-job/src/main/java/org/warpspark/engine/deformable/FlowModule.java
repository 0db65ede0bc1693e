package org.warpspark.engine.deformable;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.engine.loss.TorchScriptLosses;
import org.warpspark.torch.TorchScriptModule;

/**
 * The dense flow model's maths as one TorchScript module (PyTorch's {@code grid_sampler},
 * {@code align_corners=True}; device-agnostic). A displacement {@code u} is a tensor
 * {@code (1, d, [nz,] ny, nx)} of LPS millimetres on a level's fixed grid (component {@code c} is
 * physical axis {@code c}); the map it stands for is {@code x -> A(x + u(x))}, {@code A} the affine
 * result. {@code identity} {@code (1, [nz,] ny, nx, d)} holds each voxel's normalised coordinates,
 * {@code mm_to_fixed} and {@code mm_to_moving} {@code (d, d)} turn mm rows into normalised
 * displacements of the fixed grid and (through {@code A}) of the moving image, and {@code base} is
 * the moving coordinates of the voxels under {@code A} alone. Methods:
 * <ul>
 *   <li>{@code flow(u, ...)}: the similarity of the fixed image and the warped moving image (the
 *       gradient with respect to {@code u} is the force that drives the flow);
 *   <li>{@code fixed_stats(fixed, ...)}: what local NCC needs of the fixed image, once per level: its
 *       local means and variances;
 *   <li>{@code update(u, gradient, ...)}: one greedy step: the gradient smoothed (fluid), scaled so
 *       that its largest vector is {@code step} mm, composed with the map ({@code u <- s + u o (id + s)}),
 *       and the result smoothed (elastic);
 *   <li>{@code compose(a, b, ...)}: {@code a + b o (id + a)}, the displacement of {@code (id + b) o (id + a)};
 *   <li>{@code symmetric(p, q, ...)}: the similarity at a midpoint grid {@code z} of the fixed image at
 *       {@code z + p(z)} and the moving image at {@code A(z + q(z))} (the symmetric model's two halves);
 *   <li>{@code forward}: {@code flow} or {@code symmetric}, whichever the model differentiates;
 *   <li>{@code inverse(u, ...)}: {@code v} with {@code (id + u) o (id + v) = id}, by the fixed point
 *       {@code v = -u o (id + v)};
 *   <li>{@code resample(u, points)}: {@code u} at normalised points (another level's voxels),
 *       edge values repeated outside.
 * </ul>
 */
final class FlowModule {
  private static final String SOURCE = """
        def flow(self, u: Tensor, fixed: Tensor, stats: Tensor, weight: Tensor, base: Tensor, mm_to_moving: Tensor, moving: Tensor, ranges: Tensor, %3$s) -> Tensor:
          grid = base + torch.matmul(u.permute(%1$s), mm_to_moving)
          warped = torch.grid_sampler(moving, grid, 0, 0, True)
          return self.similarity(fixed, stats, warped, weight * self.inside(grid), ranges, %4$s)
        def update(self, u: Tensor, gradient: Tensor, identity: Tensor, mm_to_fixed: Tensor, %5$s, %6$s, step: Tensor) -> Tensor:
          s = self.smooth(gradient, %7$s)
          length = torch.sqrt(torch.sum(s * s, 1, keepdim=True))
          s = s * (-step / (torch.max(length) + 1e-12))
          return self.smooth(self.compose(s, u, identity, mm_to_fixed), %8$s)
        def compose(self, a: Tensor, b: Tensor, identity: Tensor, mm_to_fixed: Tensor) -> Tensor:
          return a + torch.grid_sampler(b, identity + torch.matmul(a.permute(%1$s), mm_to_fixed), 0, 1, True)
        def symmetric(self, p: Tensor, q: Tensor, fixed: Tensor, weight: Tensor, identity: Tensor, mm_to_fixed: Tensor, base: Tensor, mm_to_moving: Tensor, moving: Tensor, ranges: Tensor, %3$s) -> Tensor:
          at_fixed = identity + torch.matmul(p.permute(%1$s), mm_to_fixed)
          fw = torch.grid_sampler(torch.cat([fixed, weight], 1), at_fixed, 0, 0, True)
          grid = base + torch.matmul(q.permute(%1$s), mm_to_moving)
          warped = torch.grid_sampler(moving, grid, 0, 0, True)
          inside = self.inside(at_fixed) * self.inside(grid)
          f = fw[:, 0:1]
          return self.similarity(f, %10$s, warped, fw[:, 1:2].detach() * inside, ranges, %4$s)
        def inside(self, grid: Tensor) -> Tensor:
          return torch.prod(torch.le(torch.abs(grid.detach()), 1.0).to(grid.dtype), -1).unsqueeze(1)
        def inverse(self, u: Tensor, identity: Tensor, mm_to_fixed: Tensor) -> Tensor:
          v = -u
          for _ in range(%2$d):
            v = -torch.grid_sampler(u, identity + torch.matmul(v.permute(%1$s), mm_to_fixed), 0, 1, True)
          return v
        def resample(self, u: Tensor, points: Tensor) -> Tensor:
          return torch.grid_sampler(u, points, 0, 1, True)
        def fixed_stats(self, fixed: Tensor, %3$s) -> Tensor:
          mean = self.smooth(fixed, %4$s)
          var = torch.clamp(self.smooth(fixed * fixed, %4$s) - mean * mean, 0.0)
          return torch.cat([mean, var], 1)
      %9$s%11$s""";
  /** {@code forward} is the method autograd records (other methods run without a graph). */
  private static final String FORWARD = """
        def forward(self, %1$s) -> Tensor:
          return self.%2$s(%3$s)
      """;
  /**
   * A separable filter as one matrix product per index axis ({@code m0} along x, the last tensor
   * dimension): each matrix row holds the filter's weights around its voxel, renormalised where the
   * filter meets the border. Far faster on CPUs than depthwise convolutions.
   */
  private static final String SMOOTH_3D = """
        def smooth(self, x: Tensor, m0: Tensor, m1: Tensor, m2: Tensor) -> Tensor:
          s = x.size()
          x = torch.matmul(x, torch.t(m0))
          x = torch.matmul(m1, x.reshape([-1, s[3], s[4]]))
          x = torch.matmul(m2, x.reshape([-1, s[2], s[3] * s[4]]))
          return x.reshape(s)
      """;
  private static final String SMOOTH_2D = """
        def smooth(self, x: Tensor, m0: Tensor, m1: Tensor) -> Tensor:
          s = x.size()
          x = torch.matmul(x, torch.t(m0))
          x = torch.matmul(m1, x.reshape([-1, s[2], s[3]]))
          return x.reshape(s)
      """;
  /**
   * Local NCC as {@link TorchScriptLosses}' dense form, with the fixed image's statistics computed
   * once per level: one box filter pass over the three warped maps per iteration.
   */
  private static final String LOCAL_NCC = """
        def similarity(self, fixed: Tensor, stats: Tensor, warped: Tensor, w: Tensor, ranges: Tensor, %1$s) -> Tensor:
          mean_f = stats[:, 0:1]
          var_f = stats[:, 1:2]
          s = self.smooth(torch.cat([warped, warped * warped, fixed * warped], 1), %2$s)
          mean_m = s[:, 0:1]
          var_m = torch.clamp(s[:, 1:2] - mean_m * mean_m, 0.0)
          cross = s[:, 2:3] - mean_f * mean_m
          eps = 1e-4 * torch.var(fixed.detach()) * torch.var(warped.detach()) + 1e-20
          return -torch.sum(w * cross * cross / (var_f * var_m + eps)) / torch.sum(w)
      """;
  private static final String POINT = """
        def similarity(self, fixed: Tensor, stats: Tensor, warped: Tensor, w: Tensor, ranges: Tensor, %1$s) -> Tensor:
          return self.loss(fixed.reshape([-1]), warped.reshape([-1]), w.reshape([-1]), ranges)
      """;
  /** Fixed-point iterations of the inverse: each shrinks the error by about the field's largest gradient (< 0.5 here). */
  static final int INVERSE_ITERATIONS = 12;

  private final TorchScriptModule module;
  private final boolean symmetric;

  private FlowModule(TorchScriptModule module, boolean symmetric) {
    this.module = module;
    this.symmetric = symmetric;
  }

  /**
   * The module for a {@code d}-dimensional flow with {@code loss} ({@code pointLoss} built for point
   * losses); {@code symmetric}: {@link #recorded} takes the two halves, else the flow's one field.
   */
  static FlowModule compile(int d, LossKind loss, SimilarityLoss pointLoss, boolean symmetric, NDManager manager) {
    String permute = d == 3 ? "[0, 2, 3, 4, 1]" : "[0, 2, 3, 1]";
    String similarity = loss == LossKind.LNCC ? LOCAL_NCC : POINT;
    String source = String.format(Locale.ROOT, SOURCE, permute, INVERSE_ITERATIONS, parameters(d, "box"),
        arguments(d, "box"), parameters(d, "fluid"), parameters(d, "elastic"), arguments(d, "fluid"),
        arguments(d, "elastic"), d == 3 ? SMOOTH_3D : SMOOTH_2D,
        loss == LossKind.LNCC ? "self.fixed_stats(f, " + arguments(d, "box") + ")" : "f", forward(d, symmetric))
        + String.format(Locale.ROOT, similarity, parameters(d, "box"), arguments(d, "box"))
        + (loss == LossKind.LNCC ? "" : TorchScriptLosses.of(pointLoss).text());
    String name = (symmetric ? "Symmetric" : "Flow") + d + "d"
        + (loss == LossKind.LNCC ? "Lncc" : TorchScriptLosses.of(pointLoss).name());
    return new FlowModule(TorchScriptModule.load(name, source, manager), symmetric);
  }

  /** {@code forward}, delegating to the method that is differentiated. */
  private static String forward(int d, boolean symmetric) {
    String common = "fixed: Tensor, %s, base: Tensor, mm_to_moving: Tensor, moving: Tensor, ranges: Tensor, "
        + parameters(d, "box");
    String parameters = symmetric
        ? "p: Tensor, q: Tensor, " + String.format(Locale.ROOT, common,
            "weight: Tensor, identity: Tensor, mm_to_fixed: Tensor")
        : "u: Tensor, " + String.format(Locale.ROOT, common, "stats: Tensor, weight: Tensor");
    String arguments = parameters.replace(": Tensor", "");
    return String.format(Locale.ROOT, FORWARD, parameters, symmetric ? "symmetric" : "flow", arguments);
  }

  /** {@code box0: Tensor, box1: Tensor[, box2: Tensor]}: one filter matrix per index axis. */
  private static String parameters(int d, String name) {
    return names(d, name, ": Tensor");
  }

  /** {@code box0, box1[, box2]}: the same, as arguments. */
  private static String arguments(int d, String name) {
    return names(d, name, "");
  }

  private static String names(int d, String name, String suffix) {
    StringBuilder s = new StringBuilder();
    for (int a = 0; a < d; a++) {
      s.append(a == 0 ? "" : ", ").append(name).append(a).append(suffix);
    }
    return s.toString();
  }

  /** The similarity under the map of one field {@code u} (the flow's, or a composed one), unrecorded. */
  NDArray similarity(NDArray u, FlowLevel level) {
    return module.run("flow", flowInputs(u, level));
  }

  /**
   * The similarity that autograd records, of the fields being optimised: the flow's {@code u}, or the
   * symmetric model's halves {@code p} and {@code q}.
   */
  NDArray recorded(NDArray[] fields, FlowLevel level) {
    if (fields.length != (symmetric ? 2 : 1)) {
      throw new IllegalArgumentException((symmetric ? "the symmetric model takes two fields" : "the flow takes one "
          + "field") + ", got " + fields.length);
    }
    if (!symmetric) {
      return module.forward(flowInputs(fields[0], level));
    }
    List<NDArray> inputs = new ArrayList<>(List.of(fields[0], fields[1], level.fixed(), level.weight(),
        level.identity(), level.mmToFixed(), level.base(), level.mmToMoving(), level.moving(), level.ranges()));
    inputs.addAll(level.box());
    return module.forward(inputs.toArray(NDArray[]::new));
  }

  private static NDArray[] flowInputs(NDArray u, FlowLevel level) {
    List<NDArray> inputs = new ArrayList<>(List.of(u, level.fixed(), level.stats(), level.weight(), level.base(),
        level.mmToMoving(), level.moving(), level.ranges()));
    inputs.addAll(level.box());
    return inputs.toArray(NDArray[]::new);
  }

  NDArray update(NDArray u, NDArray gradient, FlowLevel level, NDArray stepMm) {
    List<NDArray> inputs = new ArrayList<>(List.of(u, gradient, level.identity(), level.mmToFixed()));
    inputs.addAll(level.fluid());
    inputs.addAll(level.elastic());
    inputs.add(stepMm);
    return module.run("update", inputs.toArray(NDArray[]::new));
  }

  /** {@code a + b o (id + a)}: the map {@code (id + b) o (id + a)} as a displacement. */
  NDArray compose(NDArray a, NDArray b, FlowLevel level) {
    return module.run("compose", a, b, level.identity(), level.mmToFixed());
  }

  NDArray inverse(NDArray u, FlowLevel level) {
    return module.run("inverse", u, level.identity(), level.mmToFixed());
  }

  NDArray resample(NDArray u, NDArray points) {
    return module.run("resample", u, points);
  }

  /** A copy made outside inference mode, since autograd keeps it for the backward pass. */
  NDArray fixedStats(NDArray fixed, List<NDArray> box) {
    List<NDArray> inputs = new ArrayList<>(List.of(fixed));
    inputs.addAll(box);
    try (NDArray stats = module.run("fixed_stats", inputs.toArray(NDArray[]::new))) {
      return stats.duplicate();
    }
  }
}
