package org.warpspark.pair;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.warpspark.engine.affine.AffineResult;
import org.warpspark.engine.deformable.DeformableResult;
import org.warpspark.image.ImageFiles;
import org.warpspark.image.ImageFormat;
import org.warpspark.image.TransformFiles;
import org.warpspark.storage.OutputFolder;
import org.warpspark.udfs.spatial.Affine;
import org.warpspark.udfs.spatial.ElastixTransformParameters;
import org.warpspark.udfs.spatial.FixedToMoving;
import org.warpspark.udfs.spatial.ItkMatFile;
import org.warpspark.udfs.spatial.ItkTransformFile;

/**
 * The files of one registered pair, the one place their names are defined: what {@code register-pair}
 * writes into its folder and the batch job into each pair's export folder.
 * <ul>
 *   <li>{@code transform.tfm} (ITK), {@code 0GenericAffine.mat} (ITK's binary form, named as
 *       {@code antsRegistration} names it) and {@code TransformParameters.txt} (elastix/transformix): the affine;
 *   <li>{@code displacement.nii.gz}: the deformable stage's whole map, an ITK displacement field on the
 *       fixed grid: it maps fixed points to moving ones, and so warps moving images onto the fixed grid;
 *   <li>{@code inverse_displacement.nii.gz} (the dense models, flow and symmetric): the inverse map on
 *       the moving grid: it maps moving points to fixed ones, and warps fixed images (atlas labels) onto
 *       the moving grid;
 *   <li>{@code Composite.h5} and {@code InverseComposite.h5} (ITK composites, named as
 *       {@code antsRegistration} names them): the final map as an affine and the field it acts after
 *       (split exactly: {@code x + u(x) = A(x + r(x))} at every voxel), and its inverse as {@code A^-1}
 *       after a field on the moving grid; the affine alone without a deformable stage. Beyond a field's
 *       grid they move points by the affine, where {@code displacement.nii.gz} leaves them;
 *   <li>{@code warped.<moving's format>}, {@code warped_labels.<format>} (with a moving label map) and
 *       {@code summary.json}: the pair through its final map.
 * </ul>
 */
public final class ResultFiles {
  public static final String ITK_TRANSFORM = "transform.tfm";
  public static final String ANTS_AFFINE = "0GenericAffine.mat";
  public static final String ELASTIX_PARAMETERS = "TransformParameters.txt";
  public static final String DISPLACEMENT = "displacement.nii.gz";
  public static final String INVERSE_DISPLACEMENT = "inverse_displacement.nii.gz";
  public static final String ANTS_COMPOSITE = "Composite.h5";
  public static final String ANTS_INVERSE_COMPOSITE = "InverseComposite.h5";
  public static final String SUMMARY = "summary.json";
  private static final String WARPED = "warped";
  private static final String WARPED_LABELS = "warped_labels";
  /** The kinds that belong to the affine stage; the others go with the last finished stage. */
  private static final Set<String> AFFINE_FILES = Set.of("itk_transform", "ants_affine", "elastix_parameters");

  private ResultFiles() {}

  /**
   * Writes every file of the finished stages into {@code folder}, replacing older ones; returns, per
   * stage, each file's kind ({@code itk_transform}, {@code ants_affine}, {@code elastix_parameters},
   * {@code ants_composite}, {@code ants_inverse_composite}, {@code displacement_field},
   * {@code inverse_displacement_field}, {@code warped}, {@code warped_labels}, {@code summary}) and URI. The files of the final map go with
   * the last finished stage.
   */
  public static Map<String, Map<String, String>> write(OutputFolder folder, PairSpec spec, RegistrationConfig config,
      PairResult result, Configuration conf) {
    Map<String, String> names = names(spec, result);
    AffineResult affine = result.affine().result();
    folder.writeText(ITK_TRANSFORM, ItkTransformFile.format(affine.fixedToMoving(), affine.centre()));
    folder.writeBytes(ANTS_AFFINE, ItkMatFile.format(affine.fixedToMoving(), affine.centre()));
    folder.writeText(ELASTIX_PARAMETERS, ElastixTransformParameters.format(affine.fixedToMoving(), affine.centre(),
        result.fixedGrid(), ElastixTransformParameters.Options.defaults()));
    writeComposites(folder, affine.fixedToMoving(), result.deformable() == null ? null : result.deformable().result(),
        conf);
    if (result.deformable() != null) {
      ImageFiles.writeDisplacementField(result.deformable().result().fixedToMoving(), folder.resolve(DISPLACEMENT),
          conf);
      if (result.deformable().result().movingToFixed() != null) {
        ImageFiles.writeDisplacementField(result.deformable().result().movingToFixed(),
            folder.resolve(INVERSE_DISPLACEMENT), conf);
      }
    }
    Warped warped = result.finalWarped();
    ImageFiles.write(warped.image(), folder.resolve(names.get(WARPED)), conf);
    if (warped.labels() != null) {
      ImageFiles.write(warped.labels(), folder.resolve(names.get(WARPED_LABELS)), conf);
    }
    folder.writeText(SUMMARY, PairSummary.json(spec, config, result, names));
    List<String> stages = result.finishedStages();
    Map<String, Map<String, String>> byStage = new LinkedHashMap<>();
    names.forEach((kind, name) -> byStage.computeIfAbsent(AFFINE_FILES.contains(kind) ? PairResult.AFFINE
        : stages.get(stages.size() - 1), s -> new LinkedHashMap<>()).put(kind, folder.resolve(name)));
    return byStage;
  }

  /**
   * ANTs' pair: {@code [A, r]} maps fixed points to moving ones ({@code r} on the fixed grid), and
   * {@code [A^-1, t]} moving points to fixed ones ({@code t} on the moving grid), if there is an inverse.
   */
  private static void writeComposites(OutputFolder folder, Affine a, DeformableResult deformable, Configuration conf) {
    FixedToMoving.Linear affine = new FixedToMoving.Linear(a);
    FixedToMoving.Linear inverseAffine = new FixedToMoving.Linear(a.inverse());
    // One residual field at a time: each is as large as the pair's field.
    TransformFiles.write(deformable == null ? List.of(affine)
        : List.of(affine, new FixedToMoving.Dense(deformable.fixedToMoving().followedBy(a.inverse()))),
        folder.resolve(ANTS_COMPOSITE), conf);
    if (deformable == null || deformable.movingToFixed() != null) {
      TransformFiles.write(deformable == null ? List.of(inverseAffine)
          : List.of(inverseAffine, new FixedToMoving.Dense(deformable.movingToFixed().followedBy(a))),
          folder.resolve(ANTS_INVERSE_COMPOSITE), conf);
    }
  }

  /** Each file's kind and name within the folder, for the result's stages. */
  static Map<String, String> names(PairSpec spec, PairResult result) {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("itk_transform", ITK_TRANSFORM);
    names.put("ants_affine", ANTS_AFFINE);
    names.put("elastix_parameters", ELASTIX_PARAMETERS);
    names.put("ants_composite", ANTS_COMPOSITE);
    if (result.deformable() == null || result.deformable().result().movingToFixed() != null) {
      names.put("ants_inverse_composite", ANTS_INVERSE_COMPOSITE);
    }
    if (result.deformable() != null) {
      names.put("displacement_field", DISPLACEMENT);
      if (result.deformable().result().movingToFixed() != null) {
        names.put("inverse_displacement_field", INVERSE_DISPLACEMENT);
      }
    }
    names.put(WARPED, "warped" + ImageFormat.extensionOf(spec.moving()));
    if (spec.movingLabels() != null) {
      names.put(WARPED_LABELS, "warped_labels" + ImageFormat.extensionOf(spec.movingLabels()));
    }
    names.put("summary", SUMMARY);
    return names;
  }
}
