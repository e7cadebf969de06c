package dev.vigil.stack.receiver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.telemetry.TelemetryPlugin;
import dev.vigil.telemetry.TelemetrySwitches;
import dev.vigil.telemetry.http.JsonBody;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The local alert receiver: an HTTP server that accepts Alertmanager webhook notifications at
 * {@code POST /alerts/<receiver>} and records every alert of each notification in a {@link
 * NotificationLog}, so that a page is visible without PagerDuty, Slack or email.
 *
 * <p>A Javalin application with the telemetry plugin (metrics only), like every vigil service:
 * {@code POST /alerts/<receiver>} (Alertmanager webhook payload version 4; answers 200), {@code GET
 * /readyz} (200 while serving), {@code /healthz} and {@code /metrics}. Client mistakes (unknown
 * path, wrong method, body that is not a webhook payload, body over 1 MiB) get a 4xx RFC 9457
 * {@code application/problem+json}, written by telemetry's shared problem responses. For each
 * notification one line goes to the given console: receiver, status, alert name, severity and
 * service, never annotations or request headers (they may carry credentials).
 */
public final class AlertReceiver implements AutoCloseable {

  /** Largest accepted webhook body in bytes (1 MiB); Alertmanager sends a few KiB per group. */
  public static final int MAX_BODY_BYTES = Math.toIntExact(JsonBody.MAX_BYTES);

  private static final Pattern RECEIVER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final NotificationLog log;
  private final PrintStream console;
  private final Clock clock;
  private Javalin app;

  private AlertReceiver(NotificationLog log, PrintStream console, Clock clock) {
    this.log = log;
    this.console = console;
    this.clock = clock;
  }

  /**
   * Binds and starts the receiver.
   *
   * @param host address to bind, normally {@code 127.0.0.1}
   * @param port TCP port, 0 for a free random one (read it back with {@link #port()})
   * @param log where notifications are recorded
   * @param console where the one-line summary of each notification is printed
   * @return the running receiver; close it to stop
   * @throws UncheckedIOException when the port cannot be bound (e.g. already in use)
   */
  public static AlertReceiver start(
      String host, int port, NotificationLog log, PrintStream console) {
    AlertReceiver receiver = new AlertReceiver(log, console, Clock.systemUTC());
    Javalin app =
        Javalin.create(
            javalin -> {
              javalin.startup.showJavalinBanner = false;
              javalin.startup.startupWatcherEnabled = false;
              javalin.registerPlugin(new TelemetryPlugin(TelemetrySwitches.metricsOnly()));
              javalin.routes.post("/alerts/{receiver}", receiver::notification);
            });
    try {
      app.start(host, port);
    } catch (JavalinBindException e) {
      throw new UncheckedIOException(
          "alert receiver cannot listen on "
              + host
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "); stop whatever uses the port or choose another with --port",
          new IOException(e));
    }
    receiver.app = app;
    return receiver;
  }

  /**
   * The TCP port the receiver listens on.
   *
   * @return the bound port
   */
  public int port() {
    return app.port();
  }

  /** Stops accepting requests and releases the port. */
  @Override
  public void close() {
    app.stop();
  }

  private void notification(Context ctx) {
    String receiverName = ctx.pathParam("receiver");
    if (!RECEIVER_NAME.matcher(receiverName).matches()) {
      throw new ProblemException(
          Problem.of(
              404,
              "the receiver name after /alerts/ must be 1-64 letters, digits, '_', '.' or '-',"
                  + " e.g. /alerts/pager"));
    }
    byte[] body = ctx.bodyAsBytes(); // over MAX_BODY_BYTES: 413 from the telemetry plugin
    List<Notification> notifications;
    try {
      notifications = parse(receiverName, body, clock.instant());
    } catch (IllegalArgumentException e) {
      throw new ProblemException(
          Problem.of(400, "not an Alertmanager webhook payload: " + e.getMessage()));
    }
    log.append(notifications);
    for (Notification n : notifications) {
      console.println(n.summaryLine());
    }
    ctx.contentType("application/json").result("{\"recorded\":" + notifications.size() + "}\n");
  }

  /**
   * Turns a webhook body into notification records.
   *
   * @throws IllegalArgumentException naming what is wrong with the body
   */
  private static List<Notification> parse(String receiverName, byte[] body, Instant now) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("the body cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("expected a JSON object with an \"alerts\" array");
    }
    JsonNode alerts = root.get("alerts");
    if (alerts == null || !alerts.isArray() || alerts.isEmpty()) {
      throw new IllegalArgumentException(
          "the field \"alerts\" must be a non-empty array of alerts");
    }
    List<Notification> out = new ArrayList<>(alerts.size());
    for (int i = 0; i < alerts.size(); i++) {
      JsonNode alert = alerts.get(i);
      Map<String, String> labels = stringMap(alert.get("labels"), "alerts[" + i + "].labels");
      Map<String, String> annotations =
          alert.has("annotations")
              ? stringMap(alert.get("annotations"), "alerts[" + i + "].annotations")
              : Map.of();
      String alertname = labels.get("alertname");
      if (alertname == null || alertname.isBlank()) {
        throw new IllegalArgumentException("alerts[" + i + "].labels has no \"alertname\"");
      }
      String status = alert.path("status").asText("");
      if (!status.equals(Notification.FIRING) && !status.equals(Notification.RESOLVED)) {
        throw new IllegalArgumentException(
            "alerts[" + i + "].status must be \"firing\" or \"resolved\", got \"" + status + "\"");
      }
      out.add(
          new Notification(
              now,
              receiverName,
              status,
              alertname,
              labels.get("severity"),
              labels.get("service"),
              labels,
              annotations,
              alert.path("startsAt").asText(null),
              alert.path("endsAt").asText(null)));
    }
    return out;
  }

  private static Map<String, String> stringMap(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(where + " must be an object of string values");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException(where + "." + e.getKey() + " must be a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }
}
