package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.prometheus.PrometheusTool;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inhibition proven on a real Alertmanager (amtool cannot evaluate inhibit_rules): the test starts
 * prometheus-alertmanager with deploy/alertmanager/alertmanager.yml on a random loopback port,
 * clustering off, posts alerts to /api/v2/alerts and reads back which ones Alertmanager reports as
 * inhibited. The webhook URLs are pointed at a closed port so that no notification reaches a
 * running `./vigil up`.
 */
class InhibitionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process alertmanager;
  private URI api;

  @BeforeEach
  void startAlertmanager(@TempDir Path work) throws Exception {
    PrometheusTool binary = PrometheusTool.ALERTMANAGER;
    String config =
        Files.readString(SourceTree.deploy().resolve("alertmanager").resolve("alertmanager.yml"))
            .replace("http://127.0.0.1:9095/", "http://127.0.0.1:" + freePort() + "/");
    Path configFile = Files.writeString(work.resolve("alertmanager.yml"), config);
    int port = freePort();
    alertmanager =
        new ProcessBuilder(
                binary.require().toString(),
                "--config.file=" + configFile,
                "--storage.path=" + work.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("alertmanager.log").toFile())
            .start();
    api = URI.create("http://127.0.0.1:" + port);
    awaitReady(work.resolve("alertmanager.log"));
  }

  @AfterEach
  void stopAlertmanager() throws InterruptedException {
    if (alertmanager != null) {
      alertmanager.destroy();
      alertmanager.waitFor();
    }
  }

  @Test
  void criticalMutesWarningsOfTheSameServiceAndFamilyOrSloOnly() throws Exception {
    inhibitsTheSameAlertsWithLabels();
  }

  /**
   * vmalert, the HA topology's evaluator, adds an {@code alertgroup} label (the rule group's name)
   * to every alert it sends: inhibitions hold the same with it, since they compare only the labels
   * they name.
   */
  @Test
  void theSameAlertsFromVmalertWithTheirAlertgroupLabelAreInhibitedAlike() throws Exception {
    inhibitsTheSameAlertsWithLabels("alertgroup", "vmalert-group");
  }

  private void inhibitsTheSameAlertsWithLabels(String... extra) throws Exception {
    post(
        extra,
        alert(
            "ServiceDown", "severity", "critical", "family", "availability", "service", "catalog"),
        alert(
            "BlackboxProbeFailed",
            "severity",
            "warning",
            "family",
            "availability",
            "service",
            "catalog"),
        alert(
            "TrafficDrop", "severity", "warning", "family", "availability", "service", "payments"),
        alert("HighLatency", "severity", "warning", "family", "latency", "service", "catalog"),
        alert(
            "SloBurnRatePage", "severity", "critical", "slo", "availability", "service", "catalog"),
        alert(
            "SloBurnRateTicket",
            "severity",
            "warning",
            "slo",
            "availability",
            "service",
            "catalog"),
        alert(
            "SloErrorBudgetExhausted",
            "severity",
            "warning",
            "slo",
            "latency",
            "service",
            "catalog"));

    Map<String, String> expected =
        new TreeMap<>(
            Map.of(
                "ServiceDown", "active",
                "BlackboxProbeFailed", "suppressed by ServiceDown", // same service, same family
                "TrafficDrop", "active", // same family, other service
                "HighLatency", "active", // same service, other family
                "SloBurnRatePage", "active",
                "SloBurnRateTicket", "suppressed by SloBurnRatePage", // same service, same SLO
                "SloErrorBudgetExhausted", "active")); // same service, other SLO

    assertThat(awaitStates(expected, Duration.ofSeconds(30)))
        .as("what Alertmanager reports for each alert (active, or suppressed by which alert)")
        .containsExactlyInAnyOrderEntriesOf(expected);
  }

  private static ObjectNode alert(String name, String... labelPairs) {
    ObjectNode alert = JSON.createObjectNode();
    ObjectNode labels = alert.putObject("labels");
    labels.put("alertname", name);
    for (int i = 0; i < labelPairs.length; i += 2) {
      labels.put(labelPairs[i], labelPairs[i + 1]);
    }
    alert.putObject("annotations").put("summary", name + " (inhibition test)");
    alert.put("startsAt", Instant.now().minusSeconds(60).toString());
    alert.put("endsAt", Instant.now().plusSeconds(600).toString());
    return alert;
  }

  /** Posts the alerts, each with the {@code extra} label pairs added. */
  private void post(String[] extra, ObjectNode... alerts) throws IOException, InterruptedException {
    ArrayNode body = JSON.createArrayNode();
    for (ObjectNode alert : alerts) {
      ObjectNode labels = (ObjectNode) alert.get("labels");
      for (int i = 0; i < extra.length; i += 2) {
        labels.put(extra[i], extra[i + 1]);
      }
      body.add(alert);
    }
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(api.resolve("/api/v2/alerts"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as("POST /api/v2/alerts answered %s", response.body())
        .isEqualTo(200);
  }

  /**
   * Reads each alert's state (alertname -> {@code active}, or {@code suppressed by <alertname>,
   * ...} naming its inhibitors) until it equals {@code expected} or the deadline passes, and
   * returns the last read.
   *
   * <p>Why one matching read is final: Alertmanager decides "suppressed" at read time, against the
   * source alerts its inhibitor has received so far (asynchronously, after the POST). Every
   * expected suppression names its inhibitor, and the inhibitors are the only critical alerts
   * posted, so a read that matches was made with every possible source alert in the inhibitor's
   * cache: an alert it shows active stays active. Equality of two consecutive reads proved nothing
   * (both could predate the inhibitor).
   *
   * @param expected the states the test expects
   * @param deadline how long to keep reading (Alertmanager needs well under a second when idle)
   * @return the last states read: {@code expected}, or what Alertmanager still reported at the
   *     deadline
   */
  private Map<String, String> awaitStates(Map<String, String> expected, Duration deadline)
      throws IOException, InterruptedException {
    long until = System.nanoTime() + deadline.toNanos();
    Map<String, String> states;
    do {
      states = readStates();
      if (states.equals(expected)) {
        return states;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < until);
    return states;
  }

  /**
   * One read of GET /api/v2/alerts: alertname -> "active" or "suppressed by A, B" (inhibitors by
   * name).
   */
  private Map<String, String> readStates() throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(api.resolve("/api/v2/alerts")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as("GET /api/v2/alerts answered %s", response.body())
        .isEqualTo(200);
    JsonNode alerts = JSON.readTree(response.body());
    Map<String, String> nameByFingerprint = new TreeMap<>();
    for (JsonNode alert : alerts) {
      nameByFingerprint.put(
          alert.get("fingerprint").asText(), alert.at("/labels/alertname").asText());
    }
    Map<String, String> states = new TreeMap<>();
    for (JsonNode alert : alerts) {
      String state = alert.at("/status/state").asText();
      if (state.equals("suppressed")) {
        List<String> inhibitors = new ArrayList<>();
        alert
            .at("/status/inhibitedBy")
            .forEach(f -> inhibitors.add(nameByFingerprint.getOrDefault(f.asText(), f.asText())));
        inhibitors.sort(null);
        state =
            inhibitors.isEmpty()
                ? "suppressed by a silence"
                : "suppressed by " + String.join(", ", inhibitors);
      }
      states.put(alert.at("/labels/alertname").asText(), state);
    }
    return states;
  }

  private void awaitReady(Path log) throws IOException, InterruptedException {
    for (int attempt = 0; attempt < 200; attempt++) {
      if (!alertmanager.isAlive()) {
        throw new AssertionError(
            "prometheus-alertmanager exited with "
                + alertmanager.exitValue()
                + ":\n"
                + Files.readString(log));
      }
      try {
        HttpResponse<Void> ready =
            http.send(
                HttpRequest.newBuilder(api.resolve("/-/ready")).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // the process is still starting
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "prometheus-alertmanager did not become ready on " + api + ":\n" + Files.readString(log));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
