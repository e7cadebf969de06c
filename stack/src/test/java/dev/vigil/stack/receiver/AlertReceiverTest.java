package dev.vigil.stack.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertReceiverTest {

  /**
   * A notification as Alertmanager 0.25 posts it (webhook payload version 4), trimmed to what
   * matters.
   */
  private static final String WEBHOOK_OF_STATUS =
      """
      {"version":"4","groupKey":"{}:{alertname=\\"HighErrorRate\\"}","status":"firing","receiver":"pager",
       "groupLabels":{"alertname":"HighErrorRate"},"commonLabels":{},"commonAnnotations":{},
       "externalURL":"http://127.0.0.1:9093","truncatedAlerts":0,
       "alerts":[{"status":"%s",
         "labels":{"alertname":"HighErrorRate","severity":"critical","service":"catalog","family":"errors"},
         "annotations":{"summary":"catalog: more than 5%% of requests fail","runbook_url":"https://example/HighErrorRate.md"},
         "startsAt":"2026-11-21T19:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"abc"}]}
      """;

  private static final String WEBHOOK = WEBHOOK_OF_STATUS.formatted("firing");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private NotificationLog log;
  private AlertReceiver receiver;
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  @BeforeEach
  void start() {
    log = new NotificationLog(dir.resolve("alerts/notifications.jsonl"));
    receiver =
        AlertReceiver.start(
            "127.0.0.1", 0, log, new PrintStream(console, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void recordsEveryAlertOfAWebhookNotificationAsOneJsonLine() throws Exception {
    HttpResponse<String> response = post("/alerts/pager", WEBHOOK);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(log.readAll())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.receiver()).isEqualTo("pager");
              assertThat(n.status()).isEqualTo("firing");
              assertThat(n.alertname()).isEqualTo("HighErrorRate");
              assertThat(n.severity()).isEqualTo("critical");
              assertThat(n.service()).isEqualTo("catalog");
              assertThat(n.labels()).containsEntry("family", "errors");
              assertThat(n.annotations())
                  .containsEntry("summary", "catalog: more than 5% of requests fail");
              assertThat(n.startsAt()).isEqualTo("2026-11-21T19:00:00Z");
              assertThat(n.receivedAt()).isNotNull();
            });
    JsonNode line = JSON.readTree(java.nio.file.Files.readAllLines(log.file()).getFirst());
    assertThat(line.fieldNames())
        .toIterable()
        .containsExactly(
            "received_at",
            "receiver",
            "status",
            "alertname",
            "severity",
            "service",
            "labels",
            "annotations",
            "startsAt",
            "endsAt");
    assertThat(console.toString(StandardCharsets.UTF_8))
        .contains("pager firing HighErrorRate severity=critical service=catalog")
        .doesNotContain("runbook_url");
  }

  @Test
  void appendsNotificationsNewestLast() throws Exception {
    post("/alerts/pager", WEBHOOK);
    post("/alerts/pager", WEBHOOK_OF_STATUS.formatted("resolved"));

    assertThat(log.readAll())
        .extracting(Notification::status)
        .containsExactly("firing", "resolved");
    assertThat(log.last(1)).extracting(Notification::status).containsExactly("resolved");
  }

  @Test
  void rejectsABodyThatIsNotJsonWithAProblemDocument() throws Exception {
    HttpResponse<String> response = post("/alerts/pager", "alert!");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.path("status").asInt()).isEqualTo(400);
    assertThat(problem.path("detail").asText()).contains("not valid JSON");
    assertThat(log.readAll()).isEmpty();
  }

  @Test
  void rejectsAnAlertWithoutAlertname() throws Exception {
    HttpResponse<String> response =
        post(
            "/alerts/pager",
            "{\"alerts\":[{\"status\":\"firing\",\"labels\":{\"severity\":\"critical\"}}]}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).path("detail").asText())
        .contains("alerts[0].labels has no \"alertname\"");
  }

  @Test
  void rejectsAnUnknownStatusAndAnEmptyAlertList() throws Exception {
    assertThat(post("/alerts/pager", WEBHOOK_OF_STATUS.formatted("on")).statusCode())
        .isEqualTo(400);
    assertThat(post("/alerts/pager", "{\"alerts\":[]}").statusCode()).isEqualTo(400);
  }

  @Test
  void answersOtherPathsAndMethodsWith4xx() throws Exception {
    HttpResponse<String> get =
        HTTP.send(
            HttpRequest.newBuilder(url("/alerts/pager")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    assertThat(post("/webhook", WEBHOOK).statusCode()).isEqualTo(404);
    assertThat(post("/alerts/", WEBHOOK).statusCode()).isEqualTo(404);
    assertThat(post("/alerts/pager", "x".repeat(AlertReceiver.MAX_BODY_BYTES + 1)).statusCode())
        .isEqualTo(413);
    assertThat(log.readAll()).isEmpty();
  }

  @Test
  void isReadyWhileServing() throws Exception {
    HttpResponse<String> ready =
        HTTP.send(
            HttpRequest.newBuilder(url("/readyz")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(url(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + receiver.port() + path);
  }
}
