package dev.vigil.payments;

import dev.vigil.telemetry.lifecycle.ForegroundRun;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code vigil payments}: runs the payment provider in the foreground until SIGTERM or SIGINT, then
 * stops gracefully and exits 0.
 */
@Command(
    name = "payments",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the payment provider the catalog calls, until SIGTERM/SIGINT; exits 0 after a clean stop.",
      "Exit codes: 0 stopped cleanly, 1 failed to start, 2 invalid configuration."
    })
public final class PaymentsCommand implements Callable<Integer> {

  /**
   * Lists the settings in the help, from the one declaration they are read through.
   *
   * @param spec this command's model, injected by picocli when the command line is built
   */
  @Spec
  void settingsHelp(CommandSpec spec) {
    spec.usageMessage()
        .footer(
            "",
            PaymentsConfig.SETTINGS.helpText(),
            "OTEL_* variables configure tracing (docs/tracing.md). Admin API faults:"
                + " payment_errors, payment_latency, payment_unreachable, e.g. vigil fault set"
                + " payment_errors --service payments --param ratio=1 --ttl 10m (docs/faults.md).");
  }

  /**
   * Starts the provider and blocks until it has stopped.
   *
   * @return 0 after a clean stop, 1 when it could not start, 2 on invalid configuration
   */
  @Override
  public Integer call() {
    return ForegroundRun.run(
        "payments",
        System.getenv(),
        PaymentsConfig::fromEnvironment,
        config -> PaymentsServer.start(config, System.getenv()));
  }

  /**
   * Runs the command without the {@code vigil} launcher.
   *
   * @param args command line arguments ({@code --help})
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new PaymentsCommand()).execute(args));
  }
}
