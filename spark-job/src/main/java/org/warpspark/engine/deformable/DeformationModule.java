package org.warpspark.engine.deformable;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Locale;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.engine.loss.SimilarityLoss;
import org.warpspark.engine.loss.TorchScriptLosses;
import org.warpspark.torch.TorchScriptModule;
import org.warpspark.udfs.spatial.Grid;

/**
 * The deformable stage's maths as one TorchScript module, so that an iteration is a single native
 * call with its backward in C++ (PyTorch's {@code grid_sampler}, {@code align_corners=True}).
 * The control field is a tensor {@code (1, d, [nz,] ny, nx)} of LPS millimetres on the control grid
 * (component {@code c} is physical axis {@code c}; index axes reversed as in
 * {@link org.warpspark.udfs.spatial}). Methods:
 * <ul>
 *   <li>{@code displacement(field, identity, mm_to_control)}: the displacement on the control grid:
 *       the field itself, or with the diffeomorphic option {@code exp(field)} by scaling and squaring:
 *       from {@code u = v / 2^n}, {@code n} times {@code u <- u + u o (x + u)}, sampling {@code u}
 *       with edge values repeated outside; a smooth velocity gives a map that cannot fold;
 *   <li>{@code at(u, points, to_control)}: {@code (d, N)} displacements at homogeneous voxel rows: a cubic
 *       B-spline of the control values (displacements), or trilinear (velocity fields);
 *   <li>{@code penalty(field)}: the regulariser of {@link DeformableSettings.Regulariser}, each mean over
 *       the control points where its finite difference is defined;
 *   <li>{@code forward(...)}: {@code [loss + weight * penalty, loss]} for a batch of fixed samples.
 * </ul>
 */
final class DeformationModule {
  private static final String FORWARD = """
        def forward(self, points: Tensor, field: Tensor, to_control: Tensor, to_moving: Tensor, mm_to_moving: Tensor, mm_to_control: Tensor, identity: Tensor, image: Tensor, fixed: Tensor, weight: Tensor, ranges: Tensor) -> Tensor:
          u = self.displacement(field, identity, mm_to_control)
          grid = torch.matmul(points, to_moving) + torch.matmul(torch.t(self.at(u, points, to_control)), mm_to_moving)
          n = points.size(0)
          sampled = torch.grid_sampler(image, grid.view(%1$s), 0, 0, True).view([n])
          w = weight * torch.prod(torch.le(torch.abs(grid.detach()), 1.0).to(grid.dtype), 1)
          similarity = self.loss(fixed, sampled, w, ranges)
          return torch.stack([similarity + %2$s * self.penalty(field), similarity])
      """;
  private static final String DISPLACEMENT_ENTRY = """
        def forward(self, field: Tensor, identity: Tensor, mm_to_control: Tensor) -> Tensor:
          return self.displacement(field, identity, mm_to_control)
      """;
  private static final String PENALTY_ENTRY = """
        def forward(self, field: Tensor) -> Tensor:
          return self.penalty(field)
      """;
  private static final String AT_LINEAR = """
        def at(self, u: Tensor, points: Tensor, to_control: Tensor) -> Tensor:
          n = points.size(0)
          return torch.grid_sampler(u, torch.matmul(points, to_control).view(%1$s), 0, 1, True).view([%2$d, n])
      """;
  /**
   * Cubic B-spline evaluation as 2^d linear fetches (per axis, the four B-spline weights of a point
   * pair up into two linear interpolations at shifted positions): one {@code grid_sampler} call over
   * 2^d N points. {@code half} is {@code (size - 1) / 2} per axis, normalised to index coordinates.
   */
  private static final String AT_BSPLINE = """
        def at(self, u: Tensor, points: Tensor, to_control: Tensor) -> Tensor:
          n = points.size(0)
          half = torch.tensor(%1$s, dtype=points.dtype, device=points.device)
          i = (torch.matmul(points, to_control) + 1.0) * half
          base = torch.floor(i)
          f = i - base
          w0 = (1.0 - f) * (1.0 - f) * (1.0 - f) / 6.0
          w1 = (3.0 * f * f * f - 6.0 * f * f + 4.0) / 6.0
          w3 = f * f * f / 6.0
          g0 = w0 + w1
          g1 = 1.0 - g0
          h = torch.stack([base - 1.0 + w1 / g0, base + 1.0 + w3 / g1], 0) / half - 1.0
          g = torch.stack([g0, g1], 0)
      %2$s""";
  private static final String COMBINE_3D = """
          pos = torch.stack([h[:, :, 0].view([2, 1, 1, n]).expand([2, 2, 2, n]), h[:, :, 1].view([1, 2, 1, n]).expand([2, 2, 2, n]), h[:, :, 2].view([1, 1, 2, n]).expand([2, 2, 2, n])], 4)
          wt = g[:, :, 0].view([2, 1, 1, n]) * g[:, :, 1].view([1, 2, 1, n]) * g[:, :, 2].view([1, 1, 2, n])
          s = torch.grid_sampler(u, pos.reshape([1, 1, 1, 8 * n, 3]), 0, 1, True).view([3, 8, n])
          return torch.sum(s * wt.reshape([1, 8, n]), 1)
      """;
  private static final String COMBINE_2D = """
          pos = torch.stack([h[:, :, 0].view([2, 1, n]).expand([2, 2, n]), h[:, :, 1].view([1, 2, n]).expand([2, 2, n])], 3)
          wt = g[:, :, 0].view([2, 1, n]) * g[:, :, 1].view([1, 2, n])
          s = torch.grid_sampler(u, pos.reshape([1, 1, 4 * n, 2]), 0, 1, True).view([2, 4, n])
          return torch.sum(s * wt.reshape([1, 4, n]), 1)
      """;
  private static final String DISPLACEMENT = """
        def displacement(self, field: Tensor, identity: Tensor, mm_to_control: Tensor) -> Tensor:
          u = field / %1$s
          for _ in range(%2$d):
            u = u + torch.grid_sampler(u, identity + torch.matmul(u.permute(%3$s), mm_to_control), 0, 1, True)
          return u
      """;
  private static final String PENALTY = """
        def penalty(self, f: Tensor) -> Tensor:
          total = torch.zeros([1], dtype=f.dtype, device=f.device).sum()
      %s    return total
      """;
  /** Squarings of a velocity field: 2^6 = 64 steps, ample for control points a few mm apart. */
  static final int SQUARINGS = 6;

  /**
   * Which method {@code forward} runs. libtorch records gradients only through {@code forward}, so a
   * module whose penalty or displacement must be differentiated on its own (in tests) enters there.
   */
  enum Entry { OBJECTIVE, DISPLACEMENT, PENALTY }

  private final TorchScriptModule module;
  private final Entry entry;

  private DeformationModule(TorchScriptModule module, Entry entry) {
    this.module = module;
    this.entry = entry;
  }

  /**
   * The module for {@code settings} over {@code control}; {@code pointLoss} is the built point loss
   * (null for LNCC). Owned by {@code manager}.
   */
  static DeformationModule compile(DeformableSettings settings, SimilarityLoss pointLoss, Grid control,
      NDManager manager) {
    return compile(settings, pointLoss, control, settings.diffeomorphic() ? SQUARINGS : 0, Entry.OBJECTIVE, manager);
  }

  /** As above with {@code squarings} squarings of a velocity field (0: the field is the displacement). */
  static DeformationModule compile(DeformableSettings settings, SimilarityLoss pointLoss, Grid control, int squarings,
      Entry entry, NDManager manager) {
    if (squarings < 0 || squarings > 30) {
      throw new IllegalArgumentException("scaling and squaring takes 0 to 30 squarings, got " + squarings);
    }
    int d = control.dim();
    TorchScriptLosses.Source loss = settings.loss() == LossKind.LNCC
        ? TorchScriptLosses.localNcc(d, settings.window()) : TorchScriptLosses.of(pointLoss);
    String points = d == 3 ? "[1, 1, 1, n, 3]" : "[1, 1, n, 2]";
    String permute = d == 3 ? "[0, 2, 3, 4, 1]" : "[0, 2, 3, 1]";
    String forward = switch (entry) {
      case OBJECTIVE -> String.format(Locale.ROOT, FORWARD, points, number(settings.regularisationWeight()));
      case DISPLACEMENT -> DISPLACEMENT_ENTRY;
      case PENALTY -> PENALTY_ENTRY;
    };
    String at = squarings > 0 ? String.format(Locale.ROOT, AT_LINEAR, points, d)
        : String.format(Locale.ROOT, AT_BSPLINE, halves(control), d == 3 ? COMBINE_3D : COMBINE_2D);
    String source = forward + at
        + String.format(Locale.ROOT, DISPLACEMENT, number(Math.pow(2, squarings)), squarings, permute)
        + String.format(Locale.ROOT, PENALTY, penaltyTerms(settings.regulariser(), control))
        + loss.text();
    String name = "Deformable" + d + "d" + loss.name() + (squarings > 0 ? "Velocity" : "") + entry.ordinal();
    return new DeformationModule(TorchScriptModule.load(name, source, manager), entry);
  }

  /** {@code [loss + weight * penalty, loss]}; see {@link LevelInputs} for the arguments. */
  NDArray evaluate(NDArray points, NDArray field, NDArray fixed, NDArray weight, ControlFrame control,
      LevelInputs level) {
    return module.forward(points, field, level.toControl(), level.toMoving(), level.mmToMoving(), control.mmToControl(),
        control.identity(), level.moving(), fixed, weight, level.ranges());
  }

  NDArray displacement(NDArray field, ControlFrame control) {
    return entry == Entry.DISPLACEMENT ? module.forward(field, control.identity(), control.mmToControl())
        : module.run("displacement", field, control.identity(), control.mmToControl());
  }

  NDArray penalty(NDArray field) {
    return entry == Entry.PENALTY ? module.forward(field) : module.run("penalty", field);
  }

  /**
   * Finite differences along index axis {@code k} are on tensor dimension {@code 2 + d - 1 - k}; a
   * difference divided by the spacing along {@code k} is the physical derivative along that axis's
   * direction, and a sum of squared derivatives does not depend on the frame. Means over all
   * components times {@code d} are sums over components of per-component means.
   */
  private static String penaltyTerms(DeformableSettings.Regulariser kind, Grid control) {
    int d = control.dim();
    int[] size = control.size();
    double[] h = control.spacing();
    StringBuilder s = new StringBuilder();
    for (int k = 0; k < d; k++) {
      int dk = 2 + d - 1 - k;
      if (kind == DeformableSettings.Regulariser.DIFFUSION) {
        term(s, "torch.diff(f, 1, " + dk + ")", h[k], d);
        continue;
      }
      if (size[k] >= 3) {
        term(s, "torch.diff(f, 2, " + dk + ")", h[k] * h[k], d);
      }
      for (int l = k + 1; l < d; l++) {
        term(s, "torch.diff(torch.diff(f, 1, " + dk + "), 1, " + (2 + d - 1 - l) + ")", h[k] * h[l], 2 * d);
      }
    }
    return s.toString();
  }

  private static void term(StringBuilder s, String difference, double divisor, double factor) {
    s.append(String.format(Locale.ROOT, "    g = %s / %s\n    total = total + %s * torch.mean(g * g)\n",
        difference, number(divisor), number(factor)));
  }

  private static String halves(Grid control) {
    StringBuilder s = new StringBuilder("[");
    for (int a = 0; a < control.dim(); a++) {
      s.append(a == 0 ? "" : ", ").append(number((control.size()[a] - 1) / 2.0));
    }
    return s.append(']').toString();
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.17g", value);
  }
}
