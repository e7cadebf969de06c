package dev.vigil.catalog;

import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.telemetry.admin.AdminConfig;
import dev.vigil.telemetry.lifecycle.ForegroundRun;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code vigil catalog}: runs the catalog service in the foreground until SIGTERM or SIGINT, then
 * stops gracefully and exits 0.
 */
@Command(
    name = "catalog",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the catalog service until SIGTERM/SIGINT, then drains in-flight requests and exits 0.",
      "Exit codes: 0 stopped cleanly, 1 failed to start, 2 invalid configuration."
    })
public final class CatalogCommand implements Callable<Integer> {

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
            CatalogConfig.SETTINGS.helpText(),
            "OTEL_* variables configure tracing (docs/tracing.md).");
  }

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
                AdminConfig.fromEnvironment(env, CatalogConfig.ADMIN_PORT)),
        configs -> CatalogServer.start(configs.getKey(), configs.getValue(), System.getenv()));
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
