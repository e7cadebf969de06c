package dev.vigil.slo.command;

import picocli.CommandLine.Command;

/**
 * {@code vigil slo}: SLO specs compiled into Prometheus rules, alerts and tests, and error budget
 * reports. Subcommands: validate, generate, convert, report, gate, backfill, backtest.
 */
@Command(
    name = "slo",
    mixinStandardHelpOptions = true,
    description =
        "SLOs as code: validate specs, generate rules/alerts/tests, convert to OpenSLO, report error budgets, gate releases.",
    subcommands = {
      ValidateCommand.class,
      GenerateCommand.class,
      ConvertCommand.class,
      ReportCommand.class,
      GateCommand.class,
      BackfillCommand.class,
      BacktestCommand.class
    })
public final class SloCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** Without a subcommand: prints usage and fails with the usage exit code (2). */
  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: validate, generate, convert, report or gate");
  }
}
