package org.warpspark.engine.loss;

import java.util.Arrays;
import java.util.Locale;

/**
 * The losses as TorchScript methods {@code loss(fixed, moving, w, ranges) -> Tensor}, for modules that
 * run a whole forward pass in one native call. Point losses take {@code (N)} samples and weights and
 * mirror {@link MeanSquaredError}, {@link NormalizedCrossCorrelation} and {@link MutualInformation}
 * ({@code ranges} holds MI's intensity ranges); local NCC compares windows of a dense image.
 * Text blocks keep two spaces of indentation: TorchScript methods sit two spaces into the class.
 */
public final class TorchScriptLosses {
  private static final String MSE = """
        def loss(self, fixed: Tensor, moving: Tensor, w: Tensor, ranges: Tensor) -> Tensor:
          diff = moving - fixed
          return torch.sum(w * diff * diff) / torch.sum(w)
      """;
  private static final String NCC = """
        def loss(self, fixed: Tensor, moving: Tensor, w: Tensor, ranges: Tensor) -> Tensor:
          total = torch.sum(w)
          f = fixed - torch.sum(w * fixed) / total
          m = moving - torch.sum(w * moving) / total
          return -torch.sum(w * f * m) / torch.sqrt(torch.sum(w * f * f) * torch.sum(w * m * m) + 1e-12)
      """;
  private static final String MI = """
        def window(self, values: Tensor, low: Tensor, high: Tensor) -> Tensor:
          position = torch.clamp((values - low) / (high - low) * (%1$d - 1), 0.0, %1$d - 1.0).unsqueeze(1)
          d = position - torch.arange(%1$d).to(values).unsqueeze(0)
          window = torch.exp(-2.0 * d * d)
          return window / torch.sum(window, 1, keepdim=True)
        def loss(self, fixed: Tensor, moving: Tensor, w: Tensor, ranges: Tensor) -> Tensor:
          wf = self.window(fixed, ranges[0], ranges[1]) * w.unsqueeze(1)
          wm = self.window(moving, ranges[2], ranges[3])
          joint = torch.matmul(torch.t(wf), wm) / torch.sum(w)
          pf = torch.sum(joint, 1, keepdim=True)
          pm = torch.sum(joint, 0, keepdim=True)
          return -torch.sum(joint * (torch.log(joint + 1e-10) - torch.log(pf + 1e-10) - torch.log(pm + 1e-10)))
      """;
  /**
   * Local NCC over windows of {@code w} voxels per axis: the weighted mean of the squared local
   * correlation {@code cov^2 / (var_f var_m + eps)}, negated. Window means are separable box filters
   * (one convolution per axis), divided by the box of ones so that windows are clipped at the border
   * rather than padded with zeros. The samples are a whole image in memory order; {@code fixed} comes
   * shaped {@code (1, 1, [nz,] ny, nx)}. {@code eps} is relative to the global variances, so the loss
   * keeps NCC's invariance to gain and offset.
   */
  private static final String LOCAL_NCC = """
        def loss(self, fixed: Tensor, moving: Tensor, w: Tensor, ranges: Tensor) -> Tensor:
          m = moving.view(fixed.size())
          weights = w.view(fixed.size())
          count = self.box(torch.ones_like(fixed))
          mean_f = self.box(fixed) / count
          mean_m = self.box(m) / count
          cross = self.box(fixed * m) / count - mean_f * mean_m
          var_f = torch.clamp(self.box(fixed * fixed) / count - mean_f * mean_f, 0.0)
          var_m = torch.clamp(self.box(m * m) / count - mean_m * mean_m, 0.0)
          eps = 1e-4 * torch.var(fixed) * torch.var(m.detach()) + 1e-20
          return -torch.sum(weights * cross * cross / (var_f * var_m + eps)) / torch.sum(weights)
        def box(self, x: Tensor) -> Tensor:
          k = torch.ones(%s, dtype=x.dtype, device=x.device) / %d
      """;

  private TorchScriptLosses() {}

  /** The {@code loss} method of a point loss, and a name that tells its sources apart. */
  public static Source of(SimilarityLoss loss) {
    if (loss instanceof MeanSquaredError) {
      return new Source("Mse", MSE);
    }
    if (loss instanceof NormalizedCrossCorrelation) {
      return new Source("Ncc", NCC);
    }
    if (loss instanceof MutualInformation mi) {
      return new Source("Mi" + mi.bins(), String.format(Locale.ROOT, MI, mi.bins()));
    }
    throw new IllegalArgumentException("no TorchScript form of " + loss.getClass().getSimpleName());
  }

  /** Local NCC of a {@code dim}-dimensional image over windows of {@code window} (odd) voxels per axis. */
  public static Source localNcc(int dim, int window) {
    if (window < 3 || window % 2 == 0) {
      throw new IllegalArgumentException("the local NCC window must be an odd number of voxels >= 3, got " + window);
    }
    // One convolution per tensor axis, the kernel laid along it: (1, 1, window, 1[, 1]) and its turns.
    StringBuilder box = new StringBuilder(String.format(Locale.ROOT, LOCAL_NCC, shape(dim, 0, window), window));
    for (int axis = 0; axis < dim; axis++) {
      int[] padding = new int[dim];
      padding[axis] = window / 2;
      String call = String.format(Locale.ROOT, "torch.conv%dd(x, k.view(%s), None, %s, %s)", dim,
          shape(dim, axis, window), list(dim, 1), Arrays.toString(padding));
      box.append(axis < dim - 1 ? "    x = " + call + "\n" : "    return " + call + "\n");
    }
    return new Source("Lncc" + window, box.toString());
  }

  /** {@code [1, 1, ...]} with {@code window} on spatial axis {@code axis} and 1 elsewhere. */
  private static String shape(int dim, int axis, int window) {
    int[] s = new int[dim + 2];
    Arrays.fill(s, 1);
    s[2 + axis] = window;
    return Arrays.toString(s);
  }

  private static String list(int dim, int value) {
    int[] v = new int[dim];
    Arrays.fill(v, value);
    return Arrays.toString(v);
  }

  /** A {@code loss} method's text and a short name for the class compiled from it. */
  public record Source(String name, String text) {}
}
