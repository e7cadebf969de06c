package dev.vigil.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.telemetry.admin.FaultRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider started and stopped in this JVM as a caller and an operator see it: the bearer token
 * of the payment API, the ledger kept on disk across a restart, the ports and books released at a
 * stop or a failed start, and trace ids in problems while tracing is on.
 */
class PaymentsLifecycleTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_TOKEN = "lifecycle-admin-token-0123456789abcdef";
  private static final String API_TOKEN = "lifecycle-api-token-0123456789abcdef0";
  private static final String CARD = "{\"amount_cents\":1299,\"method\":\"card\"}";

  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dataDir;

  @Test
  void withATokenEveryPaymentCallNeedsItAndAMissingOneIsToldFromAWrongOne() throws Exception {
    try (PaymentsServer server = start(config(Map.of()).withApiToken(API_TOKEN))) {
      HttpResponse<String> none = pay(server, "k-1", null);
      HttpResponse<String> wrong = pay(server, "k-1", "Bearer not-the-token-0123456789abcdef");
      HttpResponse<String> lookup = get(server, "/api/payments/by-key/k-1", null);

      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(detail(none))
          .contains("needs Authorization: Bearer")
          .contains("VIGIL_PAYMENTS_TOKEN");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(detail(wrong)).contains("is not accepted");
      assertThat(lookup.statusCode()).isEqualTo(401);
      assertThat(server.ledger().payments()).as("nothing captured without the token").isEmpty();

      assertThat(pay(server, "k-1", "Bearer " + API_TOKEN).statusCode()).isEqualTo(201);
      assertThat(get(server, "/metrics", null).statusCode())
          .as("the scrape needs no token")
          .isEqualTo(200);
    }
  }

  @Test
  void withoutATokenThePaymentApiIsOpen() throws Exception {
    try (PaymentsServer server = start(config(Map.of()))) {
      assertThat(pay(server, "k-open", null).statusCode()).isEqualTo(201);
    }
  }

  @Test
  void aProviderRestartedOnItsDataDirectoryKnowsItsPaymentsAndContinuesTheirIds() throws Exception {
    PaymentsConfig config = config(Map.of()).withDataDir(dataDir);
    try (PaymentsServer first = start(config)) {
      assertThat(pay(first, "k-1", null).statusCode()).isEqualTo(201);
    }
    assertThat(dataDir.resolve("payments").resolve("ledger.jsonl")).isRegularFile();

    try (PaymentsServer second = start(config)) {
      JsonNode known = JSON.readTree(get(second, "/api/payments/by-key/k-1", null).body());
      HttpResponse<String> next = pay(second, "k-2", null);

      assertThat(known.get("payment_id").asText()).isEqualTo("pay_1");
      assertThat(JSON.readTree(next.body()).get("payment_id").asText()).isEqualTo("pay_2");
      assertThat(second.ledger().payments()).hasSize(2);
    }
  }

  @Test
  void aStoppedProviderAnswersNothingOnEitherPortAndClosesItsBooks() throws Exception {
    PaymentsServer server = start(config(Map.of()).withDataDir(dataDir));
    int port = server.port();
    int adminPort = server.admin().port();
    assertThat(pay(server, "k-1", null).statusCode()).isEqualTo(201);

    server.close();

    assertThat(server.telemetry().health().shuttingDown()).as("readiness reports it").isTrue();
    assertThatThrownBy(() -> send(URI.create("http://127.0.0.1:" + port + "/healthz")))
        .isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> send(URI.create("http://127.0.0.1:" + adminPort + "/admin/faults")))
        .as("the admin API stops with the provider")
        .isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> server.ledger().capture("k-late", 100, "USD", "card", null))
        .as("no payment is written to the books after the stop")
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void aStoppedProviderLeavesNoFaultExpiryThreadBehind() throws Exception {
    Set<Thread> before = expiryThreads();
    PaymentsServer server = start(config(Map.of()));
    HttpResponse<String> set =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + server.admin().port()
                            + "/admin/faults/payment_latency"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"params\":{\"fixed_ms\":1},\"ttl\":\"10m\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    Set<Thread> ours = expiryThreads();
    ours.removeAll(before);
    assertThat(ours).as("the fault's expiry is scheduled on a thread of its own").isNotEmpty();

    server.close();

    for (Thread thread : ours) {
      thread.join(5_000);
      assertThat(thread.isAlive())
          .as("a provider stopped and started again in one JVM (drills) must not pile up threads")
          .isFalse();
    }
  }

  @Test
  void theBaselineFaultsFromTheEnvironmentApplyFromTheFirstPayment() throws Exception {
    try (PaymentsServer server =
        start(
            config(Map.of("VIGIL_PAYMENTS_FAILURE_RATE", "1", "VIGIL_PAYMENTS_LATENCY_MS", "5")))) {
      assertThat(server.faults().current())
          .isEqualTo(new Faults.Setting(1, java.time.Duration.ofMillis(5)));
      assertThat(pay(server, "k-1", null).statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(get(server, "/health/detailed", null).body()).get("status").asText())
          .isEqualTo("degraded");
    }
  }

  @Test
  void aDurableProviderThatCannotTakeItsPortLeavesItsLedgerClosed() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      PaymentsConfig clash = config(Map.of()).withDataDir(dataDir).withPort(taken.getLocalPort());

      for (int attempt = 0; attempt < 3; attempt++) {
        assertThatThrownBy(() -> start(clash)).isInstanceOf(RuntimeException.class);
      }
    }
    Path ledger = dataDir.resolve("payments").resolve("ledger.jsonl").toRealPath();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      assertThat(
              fds.filter(
                      fd -> {
                        try {
                          return Files.readSymbolicLink(fd).equals(ledger);
                        } catch (IOException gone) {
                          return false;
                        }
                      })
                  .count())
          .as("a provider retried on a taken port leaks no handle on its ledger")
          .isZero();
    }
  }

  @Test
  void aProviderThatCannotTakeItsPortLeavesItsAdminPortFree() throws Exception {
    int adminPort = freePort();
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      PaymentsConfig clash =
          config(Map.of("VIGIL_ADMIN_PORT", Integer.toString(adminPort)))
              .withPort(taken.getLocalPort());

      assertThatThrownBy(() -> start(clash)).isInstanceOf(RuntimeException.class);
    }
    try (PaymentsServer server =
        start(config(Map.of("VIGIL_ADMIN_PORT", Integer.toString(adminPort))))) {
      assertThat(server.admin().port())
          .as("the failed start released the admin port it had bound")
          .isEqualTo(adminPort);
    }
  }

  @Test
  void problemsCarryATraceIdWhileTracingIsOnAndNoneWithoutIt() throws Exception {
    try (PaymentsServer traced = start(config(Map.of()));
        PaymentsServer untraced = start(config(Map.of("VIGIL_TELEMETRY", "metrics,access-log")))) {
      JsonNode withTracing = JSON.readTree(pay(traced, "", null).body());
      JsonNode withoutTracing = JSON.readTree(pay(untraced, "", null).body());

      assertThat(withTracing.path("trace_id").asText()).matches("[0-9a-f]{32}");
      assertThat(withoutTracing.has("trace_id")).isFalse();
    }
  }

  private static PaymentsConfig config(Map<String, String> more) {
    Map<String, String> env = new HashMap<>();
    env.put("VIGIL_ADMIN_TOKEN", ADMIN_TOKEN);
    env.put("VIGIL_ADMIN_PORT", "0");
    env.putAll(more);
    return PaymentsConfig.fromEnvironment(env).withPort(0);
  }

  private static PaymentsServer start(PaymentsConfig config) {
    return PaymentsServer.start(config, Map.of());
  }

  private static Set<Thread> expiryThreads() {
    Set<Thread> out = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(FaultRegistry.EXPIRY_WORKER) && t.isAlive()) {
        out.add(t);
      }
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  private HttpResponse<String> pay(PaymentsServer server, String key, String authorization)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/payments"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(CARD));
    if (!key.isEmpty()) {
      request.header("Idempotency-Key", key);
    }
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(PaymentsServer server, String path, String authorization)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void send(URI uri) throws Exception {
    http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
  }

  private static String detail(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body()).get("detail").asText();
  }
}
