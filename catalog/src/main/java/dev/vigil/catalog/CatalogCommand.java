package dev.vigil.catalog;

import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.telemetry.admin.AdminConfig;
import dev.vigil.telemetry.lifecycle.ForegroundRun;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code vigil catalog}: runs the catalog service in the foreground until SIGTERM or SIGINT, then
 * stops gracefully and exits 0.
 */
@Command(
    name = "catalog",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the catalog service until SIGTERM/SIGINT, then drains in-flight requests and exits 0.",
      "Configuration (environment, defaults): VIGIL_HOST=127.0.0.1, VIGIL_PORT=8000, VIGIL_DATA_DIR=.vigil,",
      "VIGIL_DB_URL (empty = embedded H2 under $VIGIL_DATA_DIR/db/), VIGIL_DB_USER, VIGIL_DB_PASSWORD,",
      "DB_POOL_SIZE=10, DB_POOL_TIMEOUT=5000 (ms), VIGIL_SLOW_QUERY=500ms, VIGIL_SHUTDOWN_GRACE=10s,",
      "VIGIL_SHUTDOWN_DRAIN=5s (serving after SIGTERM while readiness is 503), VIGIL_MAX_CONCURRENT_REQUESTS=256,",
      "VIGIL_BODY_DEADLINE=10s (slower request bodies get 408), VIGIL_MAX_CONNECTIONS_PER_CLIENT=256 (0 = no limit),",
      "VIGIL_RECONCILE_INTERVAL=30s (order reconciler),",
      "LOG_LEVEL=INFO, VIGIL_TELEMETRY=metrics,access-log,tracing (or none),",
      "VIGIL_PAYMENTS_URL=http://127.0.0.1:8001, VIGIL_PAYMENTS_TIMEOUT=2s, VIGIL_PAYMENTS_BREAKER_WAIT=10s,",
      "VIGIL_CONFIRMATION_QUEUE_CAPACITY=1000, VIGIL_CONFIRMATION_DELAY=0ms, OTEL_* for tracing (docs/tracing.md).",
      "Admin API (faults): VIGIL_ADMIN_TOKEN (unset = off), VIGIL_ADMIN_TOKEN_NAME=admin,",
      "VIGIL_ADMIN_BIND=127.0.0.1, VIGIL_ADMIN_PORT=8010.",
      "Exit codes: 0 stopped cleanly, 1 failed to start, 2 invalid configuration."
    })
public final class CatalogCommand implements Callable<Integer> {

  /**
   * Starts the service and blocks until it has stopped.
   *
   * @return 0 after a clean stop, 1 when the service could not start, 2 on invalid configuration
   */
  @Override
  public Integer call() {
    return ForegroundRun.run(
        "catalog",
        System.getenv(),
        env ->
            Map.entry(
                CatalogConfig.fromEnvironment(env),
                AdminConfig.fromEnvironment(env, CatalogServer.ADMIN_PORT)),
        configs -> CatalogServer.start(configs.getKey(), configs.getValue()));
  }

  /**
   * Runs the command without the {@code vigil} launcher, e.g. from tests started as a subprocess.
   *
   * @param args command line arguments ({@code --help})
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new CatalogCommand()).execute(args));
  }
}
