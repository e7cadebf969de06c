package dev.vigil.payments;

import dev.vigil.telemetry.lifecycle.ForegroundRun;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code vigil payments}: runs the payment provider in the foreground until SIGTERM or SIGINT, then
 * stops gracefully and exits 0.
 */
@Command(
    name = "payments",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the payment provider the catalog calls, until SIGTERM/SIGINT; exits 0 after a clean stop.",
      "Configuration (environment, defaults): VIGIL_HOST=127.0.0.1, VIGIL_PAYMENTS_PORT=8001,",
      "VIGIL_PAYMENTS_FAILURE_RATE=0 (ratio 0..1 answered 503), VIGIL_PAYMENTS_LATENCY_MS=0,",
      "VIGIL_TELEMETRY=metrics,access-log,tracing (or none), OTEL_* for tracing, VIGIL_DATA_DIR (unset =",
      "known error fingerprints in memory only; set = kept in $VIGIL_DATA_DIR/errors/ across restarts).",
      "Admin API (faults payment_errors, payment_latency, payment_unreachable): VIGIL_ADMIN_TOKEN (unset = off),",
      "VIGIL_ADMIN_TOKEN_NAME=admin, VIGIL_ADMIN_BIND=127.0.0.1, VIGIL_ADMIN_PORT=8011; e.g. vigil fault set",
      "payment_errors --service payments --param ratio=1 --ttl 10m (docs/faults.md).",
      "Exit codes: 0 stopped cleanly, 1 failed to start, 2 invalid configuration."
    })
public final class PaymentsCommand implements Callable<Integer> {

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
