package org.warpspark.job;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command-line entry point: one main class, one subcommand per job. */
@Command(name = "warpspark", mixinStandardHelpOptions = true, version = "warpspark 0.1.0",
    description = "Registers 2D and 3D image pairs.",
    subcommands = {RegisterPairCommand.class, SampleDataCommand.class, BenchCommand.class})
public final class WarpsparkCli {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; errors we raise on purpose print as one line, without a stack trace. */
  static CommandLine commandLine() {
    return new CommandLine(new WarpsparkCli()).setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("error: " + e.getMessage());
      return 2;
    });
  }
}
