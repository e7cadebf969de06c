package dev.vigil.cli;

import dev.vigil.catalog.CatalogServer;
import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.payments.PaymentsConfig;
import dev.vigil.payments.PaymentsServer;
import dev.vigil.telemetry.admin.AdminConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/**
 * What the {@code vigil fault} tests share: a real payment provider and catalog in the test's JVM,
 * their admin APIs on loopback behind one token, and the CLI run against a state directory.
 */
final class FaultCommandFixture {

  private FaultCommandFixture() {}

  /** What a run of the CLI returned and printed. */
  record Run(int exit, String out, String err) {}

  /**
   * @param token the admin API's bearer token, named {@code operator}
   * @return a started payment provider with its admin API on a free port
   */
  static PaymentsServer payments(String token) {
    return PaymentsServer.start(
        PaymentsConfig.fromEnvironment(
                Map.of(
                    "VIGIL_TELEMETRY", "metrics",
                    "VIGIL_ADMIN_TOKEN", token,
                    "VIGIL_ADMIN_TOKEN_NAME", "operator",
                    "VIGIL_ADMIN_PORT", "0"))
            .withPort(0),
        Map.of());
  }

  /**
   * @param payments the payment provider it calls
   * @param dataDir its data directory
   * @param token the admin API's bearer token, named {@code operator}
   * @return a started catalog with its admin API on a free port
   */
  static CatalogServer catalog(PaymentsServer payments, Path dataDir, String token) {
    return CatalogServer.start(
        CatalogConfig.fromEnvironment(
            Map.of(
                "VIGIL_PAYMENTS_URL",
                "http://127.0.0.1:" + payments.port(),
                "VIGIL_PORT",
                "0",
                "VIGIL_DATA_DIR",
                dataDir.toString(),
                "VIGIL_TELEMETRY",
                "metrics")),
        AdminConfig.loopback(0, token, "operator"),
        Map.of());
  }

  /**
   * Runs the CLI in this JVM with {@code --state-dir} appended.
   *
   * @param state the stack's state directory
   * @param args e.g. {@code ["fault", "list"]}
   * @return its exit code and output
   */
  static Run vigil(Path state, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--state-dir";
    all[args.length + 1] = state.toString();
    return new Run(cli.execute(all), out.toString(), err.toString());
  }
}
