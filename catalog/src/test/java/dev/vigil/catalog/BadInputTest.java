package dev.vigil.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.catalog.config.CatalogConfig;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
                    "metrics")));
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
  void requestsRejectedBeforeRoutingAreCountedUnderOneEndpoint() throws Exception {
    double before = client.metricSum("http_requests_total");
    String tooLong = raw("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    String headersTooLarge =
        raw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");
    String badVersion = raw("GET /random-" + System.nanoTime() + " HTTP/9.Z\r\nHost: x\r\n\r\n");

    assertThat(tooLong).startsWith("HTTP/1.1 414");
    assertThat(headersTooLarge).startsWith("HTTP/1.1 431");
    assertThat(badVersion).startsWith("HTTP/1.1 400");
    String metrics = client.get("/metrics").body();
    assertThat(metrics)
        .as(metrics)
        .containsPattern(
            "http_requests_total\\{[^}]*endpoint=\"_REJECTED\"[^}]*status=\"414\"\\} 1.0");
    assertThat(metrics)
        .containsPattern(
            "http_requests_total\\{[^}]*endpoint=\"_REJECTED\"[^}]*status=\"431\"\\} 1.0");
    assertThat(client.metricSum("http_requests_total"))
        .as("the three rejections, and only them")
        .isEqualTo(before + 3);
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
