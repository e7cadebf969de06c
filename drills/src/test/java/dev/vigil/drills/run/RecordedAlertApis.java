package dev.vigil.drills.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.prometheus.AlertmanagerClient;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.receiver.Notification;
import dev.vigil.stack.receiver.NotificationLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replays a recording of what a drill's watches read (a JSON file under {@code recorded-alerts/} in
 * the test resources) on a clock that the poll step advances instead of sleeping: a JDK HTTP server
 * on a free loopback port answers Prometheus's {@code /api/v1/alerts} and Alertmanager's {@code
 * /api/v2/alerts} with the last body recorded at or before the clock's instant (HTTP 503 before the
 * first), and {@code /api/v1/query_range} for {@code ALERTS{alertname="X"}} with the recorded
 * history of X (an empty matrix when none is recorded). The receiver's notifications are written to
 * a JSONL file and read back by a {@link NotificationLog} as the log stood at the clock's instant.
 * The real {@link PrometheusClient} and {@link AlertmanagerClient} parse every answer.
 */
final class RecordedAlertApis implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ALERTNAME = Pattern.compile("alertname=\"([^\"]+)\"");

  private final JsonNode recording;
  private final SteppedClock clock;
  private final HttpServer server;
  private final NotificationLog log;
  private final ProgressTicker ticker;

  /** A clock that stands still until advanced. */
  static final class SteppedClock extends Clock {
    private volatile Instant now;

    SteppedClock(Instant start) {
      this.now = start;
    }

    void set(Instant instant) {
      now = instant;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  /**
   * Starts replaying a recording.
   *
   * @param name the file under {@code recorded-alerts/}, e.g. {@code routed-elsewhere.json}
   * @param start the clock's first instant
   * @param dir where the receiver's log is written
   * @return the replay; close it
   * @throws IOException when the recording cannot be read or the server cannot start
   */
  static RecordedAlertApis replay(String name, Instant start, Path dir) throws IOException {
    try (InputStream in = RecordedAlertApis.class.getResourceAsStream("/recorded-alerts/" + name)) {
      if (in == null) {
        throw new IOException("no recording recorded-alerts/" + name + " in the test resources");
      }
      return new RecordedAlertApis(JSON.readTree(in), start, dir.resolve(name + ".jsonl"));
    }
  }

  private RecordedAlertApis(JsonNode recording, Instant start, Path logFile) throws IOException {
    this.recording = recording;
    this.clock = new SteppedClock(start);
    StringBuilder lines = new StringBuilder();
    for (JsonNode n : recording.path("notifications")) {
      lines.append(JSON.writeValueAsString(n)).append('\n');
    }
    Files.writeString(logFile, lines);
    this.log = new NotificationLog(logFile);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/alerts", exchange -> answer(exchange, atNow("prometheusAlerts")));
    server.createContext(
        "/api/v2/alerts", exchange -> answer(exchange, atNow("alertmanagerAlerts")));
    server.createContext("/api/v1/query_range", exchange -> answer(exchange, history(exchange)));
    server.start();
    this.ticker =
        new ProgressTicker(new PrintStream(new ByteArrayOutputStream()), "recorded", start);
  }

  private JsonNode atNow(String series) {
    JsonNode latest = null;
    for (JsonNode snapshot : recording.path(series)) {
      if (!Instant.parse(snapshot.path("at").asText()).isAfter(clock.instant())) {
        latest = snapshot.path("body");
      }
    }
    return latest;
  }

  private JsonNode history(HttpExchange exchange) {
    String query =
        URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
    Matcher name = ALERTNAME.matcher(query);
    JsonNode recorded = name.find() ? recording.path("alertsHistory").get(name.group(1)) : null;
    return recorded != null
        ? recorded
        : JSON.createObjectNode()
            .put("status", "success")
            .set(
                "data",
                JSON.createObjectNode()
                    .put("resultType", "matrix")
                    .set("result", JSON.createArrayNode()));
  }

  private static void answer(HttpExchange exchange, JsonNode body) throws IOException {
    byte[] bytes =
        body == null
            ? "{\"status\":\"error\",\"error\":\"not recorded yet\"}"
                .getBytes(StandardCharsets.UTF_8)
            : JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(body == null ? 503 : 200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  /** The clock the replay answers by; the poll step advances it. */
  SteppedClock clock() {
    return clock;
  }

  /** A client of the replayed Prometheus. */
  PrometheusClient prometheus() {
    return new PrometheusClient(base());
  }

  /** A client of the replayed Alertmanager. */
  AlertmanagerClient alertmanager() {
    return new AlertmanagerClient(base());
  }

  /** The receiver's log as it stood at the clock's instant. */
  List<Notification> notifications() {
    return log.readAll().stream().filter(n -> !n.receivedAt().isAfter(clock.instant())).toList();
  }

  /** The drill's poll step (500 ms), on the replay's clock: each pause advances it. */
  PollStep poll() {
    return new PollStep(clock, PollStep.INTERVAL, clock::advance, ticker);
  }

  private URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    ticker.close();
    server.stop(0);
  }
}
