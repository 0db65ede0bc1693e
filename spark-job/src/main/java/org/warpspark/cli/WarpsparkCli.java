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

  /** The build's version ({@code RunJob.version()}), the same from the jar and from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"warpspark " + RunJob.version()};
    }
  }

  /** Exit code: the run finished, but more pairs failed than --max-failed-fraction allows. */
  public static final int TOO_MANY_FAILED = 1;
  /** Exit code: bad input or settings (or an unreachable store), said in one line; a retry cannot fix it as it is. */
  public static final int BAD_INPUT = 2;
  /** Exit code: a crash (a bug, a missing class, out of memory), logged with its stack trace. */
  public static final int CRASHED = 3;

  public static void main(String[] args) {
    int code;
    try {
      code = commandLine().execute(args);
    } catch (Throwable e) { // an Error escapes picocli's handler: still a crash, not a failed run
      LOG.error("crashed", e);
      code = CRASHED;
    }
    System.exit(code);
  }

  /**
   * The configured command line. Bad input (our own errors, invalid values, unreadable files) prints
   * as one line and exits {@link #BAD_INPUT}; anything else is a bug, logged with its stack trace, and
   * exits {@link #CRASHED}.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new WarpsparkCli());
    SettingsOptions.addKeyOptions(cli.getSubcommands().get("register-pair").getCommandSpec());
    return cli.setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          boolean badInput = isBadInput(e);
          if (!badInput) {
            LOG.error("unexpected failure", e);
          }
          cmd.getErr().println("error: " + e.getMessage());
          return badInput ? BAD_INPUT : CRASHED;
        });
  }

  static boolean isBadInput(Throwable e) {
    return e instanceof WarpsparkException || e instanceof IllegalArgumentException
        || e instanceof java.io.UncheckedIOException;
  }
}
