package dev.vigil.stack.receiver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The local alert receiver: an HTTP server that accepts Alertmanager webhook notifications at
 * {@code POST /alerts/<receiver>} and records every alert of each notification in a {@link
 * NotificationLog}, so that a page is visible without PagerDuty, Slack or email.
 *
 * <p>Endpoints: {@code POST /alerts/<receiver>} (Alertmanager webhook payload version 4; answers
 * 200), {@code GET /readyz} (200 while serving). Client mistakes (unknown path, wrong method, body
 * that is not a webhook payload, body over 1 MiB) get a 4xx RFC 9457 {@code
 * application/problem+json}. For each notification one line goes to the given console: receiver,
 * status, alert name, severity and service, never annotations or request headers (they may carry
 * credentials).
 */
public final class AlertReceiver implements AutoCloseable {

  /** Largest accepted webhook body in bytes (1 MiB); Alertmanager sends a few KiB per group. */
  public static final int MAX_BODY_BYTES = 1 << 20;

  private static final Pattern RECEIVER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final NotificationLog log;
  private final PrintStream console;
  private final Clock clock;

  private AlertReceiver(HttpServer server, NotificationLog log, PrintStream console, Clock clock) {
    this.server = server;
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
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "alert receiver cannot listen on "
              + host
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "); stop whatever uses the port or choose another with --port",
          e);
    }
    AlertReceiver receiver = new AlertReceiver(server, log, console, Clock.systemUTC());
    server.createContext("/", receiver::handle);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    return receiver;
  }

  /**
   * The TCP port the receiver listens on.
   *
   * @return the bound port
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * Stops accepting requests and releases the port (waits at most one second for requests in
   * flight).
   */
  @Override
  public void close() {
    server.stop(1);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (path.equals("/readyz")) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
          problem(exchange, 405, "Method not allowed", "use GET /readyz");
          return;
        }
        respond(exchange, 200, "text/plain; charset=utf-8", "ready\n");
        return;
      }
      if (!path.startsWith("/alerts/")) {
        problem(
            exchange,
            404,
            "Not found",
            "this is vigil's alert receiver: Alertmanager posts to /alerts/<receiver>, e.g. /alerts/pager");
        return;
      }
      String receiverName = path.substring("/alerts/".length());
      if (!RECEIVER_NAME.matcher(receiverName).matches()) {
        problem(
            exchange,
            404,
            "Unknown receiver path",
            "the receiver name after /alerts/ must be 1-64 letters, digits, '_', '.' or '-', e.g. /alerts/pager");
        return;
      }
      if (!method.equals("POST")) {
        exchange.getResponseHeaders().set("Allow", "POST");
        problem(exchange, 405, "Method not allowed", "Alertmanager webhooks use POST " + path);
        return;
      }
      byte[] body = readBody(exchange.getRequestBody());
      if (body == null) {
        problem(
            exchange,
            413,
            "Payload too large",
            "a webhook body may hold at most " + MAX_BODY_BYTES + " bytes");
        return;
      }
      List<Notification> notifications;
      try {
        notifications = parse(receiverName, body, clock.instant());
      } catch (IllegalArgumentException e) {
        problem(exchange, 400, "Not an Alertmanager webhook payload", e.getMessage());
        return;
      }
      log.append(notifications);
      for (Notification n : notifications) {
        console.println(n.summaryLine());
      }
      respond(exchange, 200, "application/json", "{\"recorded\":" + notifications.size() + "}\n");
    }
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

  /** Reads at most {@link #MAX_BODY_BYTES}; returns null when the body is larger. */
  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    return body.length > MAX_BODY_BYTES ? null : body;
  }

  private static void problem(HttpExchange exchange, int status, String title, String detail)
      throws IOException {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    problem.put("instance", exchange.getRequestURI().getPath());
    respond(exchange, status, "application/problem+json", JSON.writeValueAsString(problem) + "\n");
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
