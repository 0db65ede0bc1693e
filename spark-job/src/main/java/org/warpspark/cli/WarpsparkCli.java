package org.warpspark.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.warpspark.udfs.WarpsparkException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command-line entry point: one main class, one subcommand per job. */
@Command(name = "warpspark", mixinStandardHelpOptions = true, version = "warpspark 0.1.0",
    description = "Registers 2D and 3D image pairs.",
    subcommands = {RunCommand.class, SqlCommand.class, RegisterPairCommand.class, SampleDataCommand.class})
public final class WarpsparkCli {
  private static final Logger LOG = LoggerFactory.getLogger(WarpsparkCli.class);

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The configured command line. Bad input (our own errors, invalid values, unreadable files) prints
   * as one line; anything else is a bug and is logged with its stack trace.
   */
  static CommandLine commandLine() {
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
