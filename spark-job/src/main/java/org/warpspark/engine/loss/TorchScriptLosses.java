package org.warpspark.engine.loss;

import java.util.Arrays;
import java.util.Locale;

/**
 * The losses as TorchScript methods {@code loss(fixed, moving, w, ranges) -> Tensor}, for modules that
 * run a whole forward pass in one native call. Point losses take {@code (N)} samples and weights, or
 * {@code (B, N)} for a batch of registrations (one loss each), and mirror {@link MeanSquaredError},
 * {@link NormalizedCrossCorrelation} and {@link MutualInformation} ({@code ranges}, {@code (4)} or
 * {@code (B, 4)}, holds MI's intensity ranges); local NCC compares windows of a dense image.
 * Text blocks keep two spaces of indentation: TorchScript methods sit two spaces into the class.
 */
public final class TorchScriptLosses {
  private static final String MSE = """
        def loss(self, fixed: Tensor, moving: Tensor, w: Tensor, ranges: Tensor) -> Tensor:
          diff = moving - fixed
          return torch.sum(w * diff * diff, -1) / torch.sum(w, -1)
      """;
  private static final String NCC = """
        def loss(self, fixed: Tensor, moving: Tensor, w: Tensor, ranges: Tensor) -> Tensor:
          total = torch.sum(w, -1, keepdim=True)
          f = fixed - torch.sum(w * fixed, -1, keepdim=True) / total
          m = moving - torch.sum(w * moving, -1, keepdim=True) / total
          return -torch.sum(w * f * m, -1) / torch.sqrt(torch.sum(w * f * f, -1) * torch.sum(w * m * m, -1) + 1e-12)
      """;
  /**
   * Mutual information with {@link MutualInformation}'s Gaussian Parzen window (sigma half a bin), of
   * which each sample's 7 nearest bins are kept: a bin left out weighs below {@code exp(-18)}, 1.5e-8
   * of the window, under float precision. The joint histogram is a scatter-add of each sample's 7 x 7
   * products: 49 terms per sample instead of {@code bins^2} in a dense product, which made MI the
   * slowest loss by far. A sample that is no number gives a loss that is none, never a bin outside the
   * histogram.
   */
  private static final String MI = """
        def window(self, values: Tensor, low: Tensor, high: Tensor) -> Tuple[Tensor, Tensor]:
          position = torch.clamp((values - low) / (high - low) * (%1$d - 1), 0.0, %1$d - 1.0)
          first = torch.clamp(torch.floor(torch.nan_to_num(position.detach())) - %3$d, 0.0, %1$d - %2$d.0)
          bins = first.unsqueeze(-1) + torch.arange(%2$d).to(values)
          d = position.unsqueeze(-1) - bins
          window = torch.exp(-2.0 * d * d)
          return window / torch.sum(window, -1, keepdim=True), bins.long()
        def loss(self, fixed: Tensor, moving: Tensor, w: Tensor, ranges: Tensor) -> Tensor:
          lead = fixed.size()[:-1]
          n = fixed.size(-1)
          weights = w.reshape([-1, n])
          r = ranges.reshape([-1, 4])
          wf, bf = self.window(fixed.reshape([-1, n]), r[:, 0:1], r[:, 1:2])
          wm, bm = self.window(moving.reshape([-1, n]), r[:, 2:3], r[:, 3:4])
          b = weights.size(0)
          terms = ((wf * weights.unsqueeze(-1)).unsqueeze(-1) * wm.unsqueeze(-2)).reshape([b, -1])
          cells = (bf.unsqueeze(-1) * %1$d + bm.unsqueeze(-2)).reshape([b, -1])
          joint = torch.zeros([b, %1$d * %1$d], dtype=terms.dtype, device=terms.device).scatter_add(1, cells, terms)
          joint = joint.view([b, %1$d, %1$d]) / torch.sum(weights, -1).view([b, 1, 1])
          pf = torch.sum(joint, -1, keepdim=True)
          pm = torch.sum(joint, -2, keepdim=True)
          mi = torch.sum(joint * (torch.log(joint + 1e-10) - torch.log(pf + 1e-10) - torch.log(pm + 1e-10)), [-2, -1])
          return -mi.reshape(lead)
      """;
  /** Bins kept on each side of a sample's bin by the MI window. */
  private static final int MI_REACH = 3;

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
      int kept = Math.min(2 * MI_REACH + 1, mi.bins());
      return new Source("Mi" + mi.bins(), String.format(Locale.ROOT, MI, mi.bins(), kept, kept / 2));
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
