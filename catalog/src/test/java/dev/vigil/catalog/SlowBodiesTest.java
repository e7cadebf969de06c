package dev.vigil.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.catalog.config.CatalogConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile clients that send request bodies a byte at a time must not shut the service for everyone
 * else, and their own slowness is a client error (408), never a server error that burns the
 * availability budget.
 *
 * <p>The attackers connect from {@code 127.0.0.2} and the well-behaved client from {@code
 * 127.0.0.1} (both loopback on Linux), so the per-client connection limit tells them apart as it
 * would two hosts.
 */
class SlowBodiesTest {

  private static final String ATTACKER = "127.0.0.2";
  private static final String ORDER_HEAD =
      "POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100\r\n\r\n{";

  @TempDir Path dataDir;

  private CatalogServer start(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("VIGIL_PORT", "0");
    env.put("VIGIL_DATA_DIR", dataDir.toString());
    env.put("VIGIL_TELEMETRY", "metrics");
    env.put("VIGIL_PAYMENTS_URL", "http://127.0.0.1:9");
    env.putAll(extra);
    return CatalogServer.start(CatalogConfig.fromEnvironment(env));
  }

  @Test
  void threeHundredSlowBodiesLeaveOtherClientsAnswered200NotShed503() throws Exception {
    // Before: each slow body held one of the 256 in-flight places: every other request got 503.
    try (CatalogServer server =
            start(
                Map.of(
                    "VIGIL_BODY_DEADLINE", "60s",
                    "VIGIL_MAX_CONNECTIONS_PER_CLIENT", "0"));
        CatalogClient client = new CatalogClient(server.port())) {
      List<Socket> slow = openSlowBodies(server.port(), 300);
      try {
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          long start = System.nanoTime();
          int status = client.get("/api/products/" + (1 + i % 5)).statusCode();
          millis.add((System.nanoTime() - start) / 1e6);
          statuses.merge(status, 1, Integer::sum);
        }
        HttpResponse<String> created =
            client.postJson(
                "/api/products",
                "{\"name\":\"under attack\",\"category\":\"Books\",\"price_cents\":100,\"stock\":1}");

        assertThat(statuses)
            .as("statuses of 200 requests while 300 slow bodies trickle in")
            .isEqualTo(Map.of(200, 200));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(stillOpen(slow))
            .as("the slow connections are still held open (the attack is on)")
            .isEqualTo(300);
        millis.sort(null);
        System.out.printf(
            "FIGURE slow_bodies_300_get_p50_ms=%.1f p99_ms=%.1f%n",
            millis.get(millis.size() / 2), millis.get((int) (millis.size() * 0.99)));
      } finally {
        closeAll(slow);
      }
    }
  }

  @Test
  void aBodyNotCompleteWithinTheDeadlineIs408AndCountsAsAClientError() throws Exception {
    try (CatalogServer server = start(Map.of("VIGIL_BODY_DEADLINE", "1s"));
        CatalogClient client = new CatalogClient(server.port());
        Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(ORDER_HEAD.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      String answer =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

      assertThat(answer).startsWith("HTTP/1.1 408");
      assertThat(answer).contains("application/problem+json").contains("Request Timeout");
      assertThat(
              client.metric(
                  "http_requests_total",
                  "method",
                  "POST",
                  "endpoint",
                  "_REJECTED",
                  "status",
                  "408"))
          .isEqualTo(1.0);
      assertThat(client.metricSum("http_requests_total"))
          .as("the 408 is the only request counted: no 5xx burns the availability budget")
          .isEqualTo(1.0);
    }
  }

  @Test
  void connectionsBeyondThePerClientLimitAreClosedWhileOtherClientsAreServed() throws Exception {
    try (CatalogServer server = start(Map.of("VIGIL_MAX_CONNECTIONS_PER_CLIENT", "5"));
        CatalogClient client = new CatalogClient(server.port())) {
      List<Socket> slow = openSlowBodies(server.port(), 8);
      try {
        assertThat(stillOpen(slow))
            .as("connections the catalog keeps from one client")
            .isEqualTo(5);
        assertThat(client.get("/api/products/1").statusCode()).isEqualTo(200);
        assertThat(client.metric("http_connections_refused_total", "reason", "per_client_limit"))
            .isEqualTo(3.0);
      } finally {
        closeAll(slow);
      }
    }
  }

  @Test
  void closedConnectionsGiveTheirPlaceBackSoAClientIsNeverLockedOutForGood() throws Exception {
    // Once: a closed connection's remote address was gone, its count never given back, and after
    // `limit` connections in all every later one from that address (load balancer, prober,
    // Prometheus) was closed unanswered.
    try (CatalogServer server = start(Map.of("VIGIL_MAX_CONNECTIONS_PER_CLIENT", "5"));
        CatalogClient client = new CatalogClient(server.port())) {
      for (int i = 0; i < 20; i++) {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
          socket.setSoTimeout(5_000);
          socket
              .getOutputStream()
              .write(
                  "GET /api/products/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                      .getBytes(StandardCharsets.ISO_8859_1));
          String answer =
              new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
          assertThat(answer)
              .as("connection %d of 20, one at a time", i + 1)
              .startsWith("HTTP/1.1 200");
        }
      }
      assertThat(client.get("/api/products/1").statusCode()).isEqualTo(200);
      assertThat(client.metric("http_connections_refused_total", "reason", "per_client_limit"))
          .isZero();
    }
  }

  /** Connections from the attacker's address, each having sent headers and one byte of 100. */
  private static List<Socket> openSlowBodies(int port, int count) throws IOException {
    List<Socket> sockets = new ArrayList<>();
    InetAddress from = InetAddress.getByName(ATTACKER);
    for (int i = 0; i < count; i++) {
      Socket socket = new Socket();
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      try {
        socket.getOutputStream().write(ORDER_HEAD.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
      } catch (IOException closedByTheServer) {
        // counted by stillOpen
      }
      sockets.add(socket);
    }
    return sockets;
  }

  /** How many of these connections the server has neither closed nor answered. */
  private static int stillOpen(List<Socket> sockets) throws IOException {
    int open = 0;
    for (Socket socket : sockets) {
      socket.setSoTimeout(1);
      try {
        if (socket.getInputStream().read() < 0) {
          continue;
        }
      } catch (SocketTimeoutException nothingYet) {
        open++;
      } catch (IOException reset) {
        // closed
      }
    }
    return open;
  }

  private static void closeAll(List<Socket> sockets) {
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }
}
