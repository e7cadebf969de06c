package dev.vigil.drills.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil drill run NAME --url URL} targets a deployment the user names, not only loopback:
 * its Prometheus and Alertmanager are given or derived from the URL's host, and whatever does not
 * answer, or is missing for the drill, is named with the option that fixes it. Every request of
 * these tests goes to loopback ports that nothing listens on.
 */
class DrillRunAgainstADeploymentTest {

  private static final Path ROOT = Path.of(System.getProperty("vigil.root", ".."));

  @TempDir Path state;

  /** Exit code, standard output and standard error of one command. */
  private record Run(int exit, String out, String err) {}

  private Run drill(String... args) {
    List<String> all = new ArrayList<>(List.of("run"));
    all.addAll(List.of(args));
    all.addAll(
        List.of(
            "--state-dir",
            state.resolve("no-stack").toString(),
            "--drills",
            ROOT.resolve("drills").toString(),
            "--deploy-dir",
            ROOT.resolve("deploy").toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    int exit;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      exit = new CommandLine(new DrillCommand()).execute(all.toArray(String[]::new));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    Run run =
        new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    originalOut.println(run);
    return run;
  }

  /** A loopback port nothing listens on (bound once by the OS, then released). */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aDeploymentThatDoesNotAnswerFailsNamingEachUrlAndTheOptionThatSetsIt() throws IOException {
    String service = "http://127.0.0.1:" + closedPort();
    String prometheus = "http://127.0.0.1:" + closedPort();
    String alertmanager = "http://localhost:" + closedPort();

    Run run =
        drill(
            "client-error-flood",
            "--url",
            service,
            "--prometheus",
            prometheus,
            "--alertmanager",
            alertmanager,
            "--receiver-log",
            state.resolve("notifications.jsonl").toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err())
        .contains("drill client-error-flood cannot start: the service at " + service)
        .contains("does not answer")
        .contains("check --url")
        .contains("Prometheus at " + prometheus)
        .contains("check --prometheus")
        .contains("Alertmanager at " + alertmanager)
        .contains("check --alertmanager")
        .doesNotContain("Exception\n\tat ");
  }

  @Test
  void prometheusAndAlertmanagerAreDerivedFromTheDeploymentsHostWhenNotNamed() {
    DrillTarget target =
        DrillTarget.deployment(
            URI.create("https://shop.example.com"),
            null,
            null,
            Path.of("notifications.jsonl"),
            Map.of(),
            null);

    assertThat(target.prometheus()).hasToString("https://shop.example.com:9090");
    assertThat(target.alertmanager()).hasToString("https://shop.example.com:9093");
    assertThat(target.plan().stack()).as("no local process to stop").isNull();
    assertThat(target.plan().service()).hasToString("https://shop.example.com");
  }

  @Test
  void aUrlThatIsNotHttpOrHasAPathIsRefusedNamingTheOptionAndTheFix() {
    Run ftp =
        drill(
            "client-error-flood",
            "--url",
            "ftp://127.0.0.1/",
            "--receiver-log",
            state.resolve("n.jsonl").toString());
    Run path =
        drill(
            "client-error-flood",
            "--url",
            "http://127.0.0.1:8000/api",
            "--receiver-log",
            state.resolve("n.jsonl").toString());

    assertThat(ftp.exit()).isEqualTo(2);
    assertThat(ftp.err()).contains("--url ftp://127.0.0.1/ is not an http:// or https:// URL");
    assertThat(path.exit()).isEqualTo(2);
    assertThat(path.err())
        .contains("--url http://127.0.0.1:8000/api has a path")
        .contains("give the service's root, e.g. http://127.0.0.1:8000");
  }

  @Test
  void whatADrillNeedsFromADeploymentIsAskedForBeforeAnyTraffic() throws IOException {
    String service = "http://127.0.0.1:" + closedPort();

    Run stop =
        drill(
            "service-down",
            "--url",
            service,
            "--receiver-log",
            state.resolve("n.jsonl").toString());
    Run admin =
        drill(
            "pool-exhaustion",
            "--url",
            service,
            "--receiver-log",
            state.resolve("n.jsonl").toString());
    Run receiver = drill("client-error-flood", "--url", service);
    Run stray = drill("client-error-flood", "--prometheus", service);

    assertThat(stop.exit()).isEqualTo(2);
    assertThat(stop.err()).contains("stops the catalog process, which only the local stack can do");
    assertThat(admin.exit()).isEqualTo(2);
    assertThat(admin.err())
        .contains("through the admin API of catalog: give --admin catalog=URL")
        .contains("--admin-token-file FILE or VIGIL_ADMIN_TOKEN");
    assertThat(receiver.exit()).isEqualTo(2);
    assertThat(receiver.err()).contains("give --receiver-log FILE");
    assertThat(stray.exit()).isEqualTo(2);
    assertThat(stray.err()).contains("give its service with --url too");
  }
}
