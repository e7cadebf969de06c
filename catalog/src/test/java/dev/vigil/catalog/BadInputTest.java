package dev.vigil.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.catalog.config.CatalogConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client's mistakes are 4xx problems, never a 5xx that burns the error budget and pages the
 * on-call.
 */
class BadInputTest {

  @TempDir static Path dataDir;

  private static CatalogServer server;
  private static CatalogClient client;

  @BeforeAll
  static void start() {
    server =
        CatalogServer.start(
            CatalogConfig.fromEnvironment(
                Map.of(
                    "VIGIL_PORT",
                    "0",
                    "VIGIL_DATA_DIR",
                    dataDir.toString(),
                    "VIGIL_TELEMETRY",
                    "metrics,access-log")));
    client = new CatalogClient(server.port());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void aJsonBodyDeclaredInAnUnsupportedCharsetIs415Not500() throws Exception {
    for (String charset : new String[] {"ebcdic", "utf-16", "x-no-such-charset"}) {
      HttpResponse<String> response =
          client.send(
              "/api/products",
              "POST",
              "application/json; charset=" + charset,
              "{\"name\":\"x\",\"category\":\"Books\",\"price_cents\":1,\"stock\":1}");

      assertThat(response.statusCode()).as(charset + ": " + response.body()).isEqualTo(415);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
      assertThat(CatalogClient.json(response).get("detail").asText())
          .contains("charset")
          .contains("UTF-8");
    }
    assertThat(
            client
                .send(
                    "/api/products",
                    "POST",
                    "application/json; charset=UTF-8",
                    "{\"name\":\"x\",\"category\":\"Books\",\"price_cents\":1,\"stock\":1}")
                .statusCode())
        .isEqualTo(201);
  }

  @Test
  void aJsonObjectWithAKeyGivenTwiceIs400NotLastOneWins() throws Exception {
    HttpResponse<String> response =
        client.postJson(
            "/api/orders",
            "{\"items\":[{\"product_id\":1,\"quantity\":1}],\"payment_method\":\"card\",\"payment_method\":\"paypal\"}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(CatalogClient.json(response).get("detail").asText())
        .contains("twice")
        .contains("payment_method");
  }

  @Test
  void aMalformedHttpVersionIs400Not505() throws Exception {
    String answer = raw("GET / HTTP/9.Z\r\nHost: x\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 400");
  }

  @Test
  void aRequestLineWithoutAVersionIs400AClientErrorNot505() throws Exception {
    // Before: printf 'GET /\r\n\r\n' | nc host 8000 was a 505, burning the availability budget.
    double serverErrorsBefore = requests("5\\d\\d");
    double clientErrorsBefore = requests("400");
    for (String line : new String[] {"GET /\r\n\r\n", "GET / HTTP/0.9\r\n\r\n"}) {
      String answer = raw(line);

      assertThat(answer).as(line).startsWith("HTTP/1.1 400");
      assertThat(answer).contains("application/problem+json").contains("\"title\":\"Bad Request\"");
    }
    assertThat(requests("400") - clientErrorsBefore).as("400s counted").isEqualTo(2);
    assertThat(requests("5\\d\\d")).as("5xx counted").isEqualTo(serverErrorsBefore);
  }

  /** The sum of http_requests_total over the series whose status matches a regex. */
  private static double requests(String status) throws Exception {
    double sum = 0;
    for (String line : client.get("/metrics").body().split("\n")) {
      if (line.startsWith("http_requests_total{")
          && line.matches(".*status=\"" + status + "\".*")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  @Test
  void requestsRejectedBeforeRoutingAreCountedUnderOneEndpoint() throws Exception {
    double before = client.metricSum("http_requests_total");
    double before414 = rejected(414);
    double before431 = rejected(431);
    String tooLong = raw("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    String headersTooLarge =
        raw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");
    String badVersion = raw("GET /random-" + System.nanoTime() + " HTTP/9.Z\r\nHost: x\r\n\r\n");

    assertThat(tooLong).startsWith("HTTP/1.1 414");
    assertThat(headersTooLarge).startsWith("HTTP/1.1 431");
    assertThat(badVersion).startsWith("HTTP/1.1 400");
    assertThat(rejected(414)).isEqualTo(before414 + 1);
    assertThat(rejected(431)).isEqualTo(before431 + 1);
    assertThat(client.metricSum("http_requests_total"))
        .as("the three rejections, and only them")
        .isEqualTo(before + 3);
  }

  /** {@code http_requests_total} of the endpoint {@code _REJECTED} with this status, summed. */
  private static double rejected(int status) throws Exception {
    java.util.regex.Pattern sample =
        java.util.regex.Pattern.compile(
            "^http_requests_total\\{([^}]*)\\} (\\S+)$", java.util.regex.Pattern.MULTILINE);
    java.util.regex.Matcher m = sample.matcher(client.get("/metrics").body());
    double sum = 0;
    while (m.find()) {
      if (m.group(1).contains("endpoint=\"_REJECTED\"")
          && m.group(1).contains("status=\"" + status + "\"")) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  @Test
  void requestsRejectedBeforeRoutingLeaveAnAccessLogLine() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    List<JsonNode> rejected = new ArrayList<>();
    // the access log writes in batches from a background thread: a line of an earlier test's
    // rejected request can reach the captured output late. Only lines recorded from now count.
    java.time.Instant start = java.time.Instant.now();
    try {
      String marker = "/rejected-" + System.nanoTime();
      assertThat(raw("GET " + marker + "-" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"))
          .startsWith("HTTP/1.1 414");
      assertThat(
              raw(
                  "GET "
                      + marker
                      + " HTTP/1.1\r\nHost: x\r\nX-Big: "
                      + "b".repeat(20_000)
                      + "\r\n\r\n"))
          .startsWith("HTTP/1.1 431");
      assertThat(raw("GET " + marker + " HTTP/9.Z\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 400");
      // the access log is written in batches by a background thread: wait for the three lines
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (rejected.size() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(50);
        rejected.clear();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
          if (line.contains("\"logger\":\"http.access\"") && line.contains("_REJECTED")) {
            JsonNode access = CatalogClient.JSON.readTree(line);
            if (!java.time.Instant.parse(access.get("timestamp").asText()).isBefore(start)) {
              rejected.add(access);
            }
          }
        }
      }
    } finally {
      System.setOut(original);
    }

    assertThat(rejected)
        .as("access lines of the rejected requests in:%n%s", rejected)
        .extracting(line -> line.get("status").asInt())
        .containsExactlyInAnyOrder(414, 431, 400);
    assertThat(rejected)
        .allSatisfy(line -> assertThat(line.get("endpoint").asText()).isEqualTo("_REJECTED"));
  }

  @Test
  void aSlowlorisConnectionIsClosedWithin30Seconds() throws Exception {
    byte[] request =
        "GET /api/products/1 HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1);
    long start = System.nanoTime();
    boolean closed = false;
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(2000);
      for (int i = 0; i < 40 && !closed; i++) {
        try {
          socket
              .getOutputStream()
              .write(request[i % request.length]); // one byte every ~2 s: never idle
          socket.getOutputStream().flush();
          closed = socket.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException stillOpen) {
          // nothing to read: the server still holds the connection
        } catch (IOException reset) {
          closed = true;
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;

    assertThat(closed).as("closed by the server after %.1f s", seconds).isTrue();
    assertThat(seconds).as("the header deadline is %s", App.HEADER_DEADLINE).isLessThan(30);
  }

  private static String raw(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      byte[] buffer = new byte[4096];
      int n = socket.getInputStream().read(buffer);
      return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
    }
  }
}
