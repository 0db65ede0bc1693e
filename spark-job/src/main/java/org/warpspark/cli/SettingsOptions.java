package org.warpspark.cli;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.warpspark.pair.RegistrationConfig;
import org.warpspark.storage.InputUris;
import org.warpspark.storage.StorageAccess;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * A registration's settings on the command line, the same for {@code run} and {@code register-pair}:
 * a settings file, then {@code --set key=value}; {@code register-pair} also takes each key as an option
 * of its own ({@code --model rigid}), made from {@link RegistrationConfig#KEYS} so that names,
 * descriptions and defaults are written once.
 */
final class SettingsOptions {
  @Option(names = "--config", description = "settings file (key = value), e.g. conf/warpspark.properties; "
      + "default: the built-in defaults, which that file documents")
  String config;
  @Option(names = "--set", description = "a setting over the config file: key=value (repeatable)")
  Map<String, String> set = new LinkedHashMap<>();

  @Option(names = "--input-schemes", defaultValue = "file,hdfs,s3a", description = "where inputs may be read from "
      + "(default ${DEFAULT-VALUE}); add http or https to read images from web servers, and a manifest or header "
      + "can then make tasks send requests to them. A run's choice, never a pair's")
  String inputSchemes = String.join(",", InputUris.SCHEMES);

  /**
   * The config file's settings (if any), then --set, then {@code more}, over the defaults; records the
   * input schemes in {@code conf}, which carries them to the tasks.
   */
  RegistrationConfig resolve(Configuration conf, Map<String, String> more) {
    conf.set(InputUris.SCHEMES_KEY, String.join(",", InputUris.parse(inputSchemes)));
    StorageAccess.refuseCredentialsInUri(config, "--config");
    Map<String, String> values = new LinkedHashMap<>();
    if (config != null) {
      Properties file = new Properties();
      Path path = new Path(config);
      try (Reader reader = new InputStreamReader(path.getFileSystem(conf).open(path), StandardCharsets.UTF_8)) {
        file.load(reader);
      } catch (IOException e) {
        throw StorageAccess.failure("cannot read the config " + config, e);
      }
      file.stringPropertyNames().forEach(key -> values.put(key, file.getProperty(key)));
    }
    values.putAll(set);
    values.putAll(more);
    try {
      return RegistrationConfig.of(values);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException((config == null ? "" : config + ": ") + e.getMessage(), e);
    }
  }

  /** Adds {@code --<key> VALUE} for every settings key; a true/false key is also a flag ({@code --diffeomorphic}). */
  static void addKeyOptions(CommandSpec spec) {
    for (RegistrationConfig.Key key : RegistrationConfig.KEYS) {
      boolean flag = key.defaultValue().equals("false") || key.defaultValue().equals("true");
      OptionSpec.Builder option = OptionSpec.builder("--" + key.name()).type(String.class).paramLabel("VALUE")
          .description(key.description() + (key.defaultValue().isEmpty() ? "" : " (default " + key.defaultValue()
              + ")"));
      spec.addOption(flag ? option.arity("0..1").fallbackValue("true").build() : option.build());
    }
  }

  /** The values given to the options {@link #addKeyOptions} made, by key. */
  static Map<String, String> keyOptionValues(CommandSpec spec) {
    Map<String, String> values = new LinkedHashMap<>();
    for (RegistrationConfig.Key key : RegistrationConfig.KEYS) {
      OptionSpec option = spec.findOption("--" + key.name());
      if (option != null && option.getValue() != null) {
        values.put(key.name(), option.getValue());
      }
    }
    return values;
  }
}
