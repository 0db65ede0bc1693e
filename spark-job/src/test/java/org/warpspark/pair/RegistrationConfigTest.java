package org.warpspark.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.warpspark.engine.affine.AffineSettings;
import org.warpspark.engine.deformable.DeformableSettings;
import org.warpspark.engine.loss.LossKind;
import org.warpspark.udfs.spatial.TransformModel;

class RegistrationConfigTest {
  /** The shipped conf/warpspark.properties documents exactly the built-in defaults, key for key. */
  @Test
  void theShippedConfigFileHoldsEveryKeyWithItsDefault() throws IOException {
    Properties file = new Properties();
    try (Reader reader = Files.newBufferedReader(Path.of("..", "conf", "warpspark.properties"))) {
      file.load(reader);
    }
    Map<String, String> values = new HashMap<>();
    file.stringPropertyNames().forEach(k -> values.put(k, file.getProperty(k)));
    assertEquals(RegistrationConfig.KEYS.stream().map(RegistrationConfig.Key::name).sorted().toList(),
        values.keySet().stream().sorted().toList());
    for (RegistrationConfig.Key key : RegistrationConfig.KEYS) {
      assertEquals(key.defaultValue(), values.get(key.name()).trim(), key.name());
    }
    assertEquals(RegistrationConfig.defaults().hash(), RegistrationConfig.of(values).hash());
  }

  @Test
  void defaultsMatchTheEngines() {
    RegistrationConfig config = RegistrationConfig.defaults();
    AffineSettings expected = AffineSettings.defaults(org.warpspark.udfs.spatial.TransformModel.RIGID, LossKind.MI);
    assertEquals(LossKind.MI, config.affine().loss());
    assertEquals(expected.learningRate(), config.affine().learningRate());
    assertEquals(expected.fixedSampling(), config.affine().fixedSampling());
    DeformableSettings deformable = DeformableSettings.defaults(LossKind.LNCC);
    assertEquals(DeformableSettings.Model.FLOW, config.deformable().model());
    assertEquals(LossKind.LNCC, config.deformable().loss());
    assertEquals(java.util.Arrays.toString(deformable.levelFactors()),
        java.util.Arrays.toString(config.deformable().levelFactors()));
    assertEquals(deformable.fluidSigma(), config.deformable().fluidSigma());
    assertEquals(deformable.regularisationWeight(), config.deformable().regularisationWeight());
    assertEquals(java.util.List.of("affine", "deformable"), config.stages());
  }

  @Test
  void derivedDefaultsFollowTheirKeys() {
    RegistrationConfig mi = RegistrationConfig.of(Map.of("loss", "mi", "regulariser", "bending"));
    assertEquals(AffineSettings.FixedSampling.JITTERED, mi.affine().fixedSampling());
    assertEquals(LossKind.LNCC, mi.deformable().loss());
    assertEquals(0.1, mi.deformable().regularisationWeight());
    assertTrue(mi.text().contains("regularisation-weight = 0.1\n"), mi.text());
    RegistrationConfig bspline = RegistrationConfig.of(Map.of("deformable-model", "bspline"));
    assertEquals("2,1 150,250", String.join(",", java.util.Arrays.stream(bspline.deformable().levelFactors())
        .mapToObj(String::valueOf).toList()) + " " + String.join(",", java.util.Arrays.stream(
        bspline.deformable().iterations()).mapToObj(String::valueOf).toList()));
    assertTrue(bspline.text().contains("deformable-levels = 2,1\n"), bspline.text());
    assertTrue(RegistrationConfig.defaults().text().contains("deformable-levels = 4,2,1\n"));
    RegistrationConfig symmetric = RegistrationConfig.of(Map.of("deformable-model", "symmetric", "flow-step", "0.25"));
    assertEquals(DeformableSettings.Model.SYMMETRIC, symmetric.deformable().model());
    assertEquals("symmetric", symmetric.deformable().modelName());
    assertEquals(0.25, symmetric.deformable().learningRate());
    assertTrue(symmetric.text().contains("deformable-levels = 4,2,1\n"), symmetric.text());
    assertNull(RegistrationConfig.of(Map.of("stages", "affine")).deformable());
  }

  @Test
  void unknownKeysAndInvalidValuesAreRefused() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RegistrationConfig.of(Map.of("modle", "rigid")))
        .getMessage().contains("unknown setting 'modle'"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RegistrationConfig.of(Map.of("iterations", "10,x")))
        .getMessage().contains("iterations must be whole numbers"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RegistrationConfig.of(Map.of("centre", "middle")))
        .getMessage().contains("centre must be one of [image, mass]"));
    assertThrows(IllegalArgumentException.class, () -> RegistrationConfig.of(Map.of("stages", "deformable")));
    assertThrows(IllegalArgumentException.class, () -> RegistrationConfig.of(Map.of("loss", "lncc")));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RegistrationConfig.of(Map.of("diffeomorphic", "true")))
        .getMessage().contains("deformable-model=bspline"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RegistrationConfig.of(Map.of("flow-step", "2")))
        .getMessage().contains("can fold"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RegistrationConfig.of(Map.of("deformable-model",
        "symmetric", "diffeomorphic", "true"))).getMessage().contains("symmetric model is diffeomorphic already"));
    assertThrows(IllegalArgumentException.class, () -> RegistrationConfig.of(Map.of("learning-rate", "-1")));
    // Whole numbers are checked against their range, not cast: 2^32 samples once became 0 ("all voxels").
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RegistrationConfig.of(Map.of("samples",
        "4294967296"))).getMessage().contains("samples must be a whole number from 0 to 16777216"));
    assertEquals(0, RegistrationConfig.of(Map.of("samples", "0")).affine().samplesPerIteration(), "0 = all voxels");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RegistrationConfig.of(Map.of("time-limit",
        "0"))).getMessage().contains("time-limit must be a whole number from 1 to 604800"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RegistrationConfig.of(Map.of("lncc-window",
        "1001"))).getMessage().contains("lncc-window must be a whole number from 3 to 99"));
  }

  @Test
  void theHashChangesWithAnySettingButNotWithSpellingOutADefault() {
    RegistrationConfig base = RegistrationConfig.defaults();
    assertEquals(base.hash(), RegistrationConfig.of(Map.of("model", "rigid", "seed", "0")).hash());
    assertNotEquals(base.hash(), base.with(Map.of("seed", "1")).hash());
    assertEquals(64, base.hash().length());
  }

  /** Every number a setting takes is checked: not a number, infinite, negative or absurd is refused, naming the key. */
  @Test
  void impossibleNumbersAreRefusedNamingTheKey() {
    Map<String, List<String>> bad = new java.util.LinkedHashMap<>();
    for (String key : List.of("learning-rate", "flow-step", "fluid-sigma", "elastic-sigma", "control-spacing",
        "regularisation-weight")) {
      bad.put(key, List.of("NaN", "Infinity", "-1", "1e400"));
    }
    bad.put("iterations", List.of("-1,1,1", "2000000000,1,1", "1,1"));
    bad.put("levels", List.of("0,2,1", "2000000000,2,1"));
    bad.put("deformable-iterations", List.of("2000000000,1,1", "-5"));
    bad.put("deformable-levels", List.of("0", "100000"));
    bad.put("seed", List.of("x"));
    bad.put("max-voxels", List.of("0", "-3"));
    List<String> accepted = new java.util.ArrayList<>();
    bad.forEach((key, values) -> {
      for (String value : values) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of(key, value, "stages", "affine,deformable"));
        if (List.of("control-spacing", "regularisation-weight").contains(key)) {
          settings.put("deformable-model", "bspline");
        }
        try {
          RegistrationConfig.of(settings);
          accepted.add(key + "=" + value);
        } catch (IllegalArgumentException e) {
          assertTrue(e.getMessage().contains(key) || e.getMessage().contains(key.replace("deformable-", "")),
              key + "=" + value + ": " + e.getMessage());
        }
      }
    });
    assertEquals(List.of(), accepted);
  }
}
