package org.warpspark.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warpspark.spark.RunJob;
import org.warpspark.udfs.WarpsparkException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command-line entry point: one main class, one subcommand per job. */
@Command(name = "warpspark", mixinStandardHelpOptions = true, versionProvider = WarpsparkCli.Version.class,
    description = "Registers 2D and 3D image pairs.",
    subcommands = {RunCommand.class, SqlCommand.class, ReportCommand.class, RegisterPairCommand.class, ApplyCommand.class,
        SampleDataCommand.class})
public final class WarpsparkCli {
  private static final Logger LOG = LoggerFactory.getLogger(WarpsparkCli.class);

  /** The version the build wrote into the jar's manifest ({@code dev} when run from classes). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"warpspark " + RunJob.version()};
    }
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The configured command line. Bad input (our own errors, invalid values, unreadable files) prints
   * as one line; anything else is a bug and is logged with its stack trace.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new WarpsparkCli());
    SettingsOptions.addKeyOptions(cli.getSubcommands().get("register-pair").getCommandSpec());
    return cli.setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          if (!(e instanceof WarpsparkException || e instanceof IllegalArgumentException
              || e instanceof java.io.UncheckedIOException)) {
            LOG.error("unexpected failure", e);
          }
          cmd.getErr().println("error: " + e.getMessage());
          return 2;
        });
  }
}
