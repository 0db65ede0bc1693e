package org.warpspark.pair;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.ImageFormat;
import org.warpspark.storage.OutputFolder;
import org.warpspark.udfs.spatial.ElastixTransformParameters;
import org.warpspark.udfs.spatial.ItkTransformFile;

/**
 * The files of one registered pair, the one place their names are defined: what {@code register-pair}
 * writes into its folder and the batch job into each pair's export folder.
 * <ul>
 *   <li>{@code transform.tfm} (ITK) and {@code TransformParameters.txt} (elastix/transformix): the affine;
 *   <li>{@code displacement.nii.gz}: the deformable stage's whole map, an ITK displacement field;
 *   <li>{@code warped.<moving's format>}, {@code warped_labels.<format>} (with a moving label map) and
 *       {@code summary.json}: the pair through its final map.
 * </ul>
 */
public final class ResultFiles {
  public static final String ITK_TRANSFORM = "transform.tfm";
  public static final String ELASTIX_PARAMETERS = "TransformParameters.txt";
  public static final String DISPLACEMENT = "displacement.nii.gz";
  public static final String SUMMARY = "summary.json";

  private ResultFiles() {}

  /**
   * Writes every file of the finished stages into {@code folder}, replacing older ones; returns, per
   * stage, each file's kind ({@code itk_transform}, {@code elastix_parameters}, {@code displacement_field},
   * {@code warped}, {@code warped_labels}, {@code summary}) and URI. The files of the final map go with
   * the last finished stage.
   */
  public static Map<String, Map<String, String>> write(OutputFolder folder, PairSpec spec, RegistrationConfig config,
      PairResult result, Configuration conf) {
    Map<String, String> names = names(spec, result);
    Map<String, Map<String, String>> byStage = new LinkedHashMap<>();
    Map<String, String> affine = byStage.computeIfAbsent(PairResult.AFFINE, s -> new LinkedHashMap<>());
    folder.writeText(ITK_TRANSFORM, ItkTransformFile.format(result.affine().result().fixedToMoving(),
        result.affine().result().centre()));
    affine.put("itk_transform", folder.resolve(ITK_TRANSFORM));
    folder.writeText(ELASTIX_PARAMETERS, ElastixTransformParameters.format(result.affine().result().fixedToMoving(),
        result.affine().result().centre(), result.fixedGrid(), ElastixTransformParameters.Options.defaults()));
    affine.put("elastix_parameters", folder.resolve(ELASTIX_PARAMETERS));
    Map<String, String> last = affine;
    if (result.deformable() != null) {
      last = byStage.computeIfAbsent(PairResult.DEFORMABLE, s -> new LinkedHashMap<>());
      ImageFiles.writeDisplacementField(result.deformable().result().fixedToMoving(), folder.resolve(DISPLACEMENT),
          conf);
      last.put("displacement_field", folder.resolve(DISPLACEMENT));
    }
    Warped warped = result.finalWarped();
    ImageFiles.write(warped.image(), folder.resolve(names.get("warped")), conf);
    last.put("warped", folder.resolve(names.get("warped")));
    if (warped.labels() != null) {
      ImageFiles.write(warped.labels(), folder.resolve(names.get("warped_labels")), conf);
      last.put("warped_labels", folder.resolve(names.get("warped_labels")));
    }
    folder.writeText(SUMMARY, PairSummary.json(spec, config, result, names));
    last.put("summary", folder.resolve(SUMMARY));
    return byStage;
  }

  /** Each file's kind and name within the folder, for the result's stages. */
  static Map<String, String> names(PairSpec spec, PairResult result) {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("itk_transform", ITK_TRANSFORM);
    names.put("elastix_parameters", ELASTIX_PARAMETERS);
    if (result.deformable() != null) {
      names.put("displacement_field", DISPLACEMENT);
    }
    names.put("warped", "warped" + ImageFormat.extensionOf(spec.moving()));
    if (spec.movingLabels() != null) {
      names.put("warped_labels", "warped_labels" + ImageFormat.extensionOf(spec.movingLabels()));
    }
    names.put("summary", SUMMARY);
    return names;
  }
}
