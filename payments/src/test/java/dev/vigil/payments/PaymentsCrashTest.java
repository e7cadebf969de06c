package dev.vigil.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider as a real process, killed with SIGKILL while payments are being captured, then
 * restarted on the same {@code VIGIL_DATA_DIR}. Before the ledger was durable, a restart knew 0 of
 * the earlier payments and gave their ids ({@code pay_1}, ...) again to new ones.
 */
class PaymentsCrashTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "crash-test-token-0123456789abcdef0123";
  private static final Pattern LISTENING =
      Pattern.compile("payments listening on http://[^:]+:(\\d+)/");

  @TempDir Path dataDir;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void everyPaymentAcknowledgedBeforeAKill9IsKnownAfterTheRestartAndNoIdIsGivenTwice()
      throws Exception {
    Provider first = Provider.start(dataDir);
    Map<String, String> acknowledged = new ConcurrentHashMap<>(); // key -> payment id
    List<String> sent = new CopyOnWriteArrayList<>();
    try {
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> buyers = new ArrayList<>();
      for (int b = 0; b < 4; b++) {
        int buyer = b;
        buyers.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      for (int i = 0; running.get(); i++) {
                        String key = "crash-" + buyer + "-" + i;
                        sent.add(key);
                        try {
                          HttpResponse<String> answer = capture(first.port, key);
                          if (answer.statusCode() == 201) {
                            acknowledged.put(
                                key, JSON.readTree(answer.body()).get("payment_id").asText());
                          }
                        } catch (Exception killed) {
                          return;
                        }
                      }
                    }));
      }
      while (acknowledged.size() < 200) {
        Thread.sleep(10);
      }
      first.kill9(); // while the buyers are still capturing
      running.set(false);
      for (Thread buyer : buyers) {
        buyer.join(10_000);
      }
    } finally {
      first.kill9();
    }
    assertThat(first.output()).as("idempotency keys stay out of the logs").doesNotContain("crash-");

    Provider second = Provider.start(dataDir);
    try {
      List<String> missing = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (Map.Entry<String, String> payment : acknowledged.entrySet()) {
        HttpResponse<String> found = get(second.port, "/api/payments/by-key/" + payment.getKey());
        if (found.statusCode() != 200
            || !JSON.readTree(found.body()).get("payment_id").asText().equals(payment.getValue())) {
          missing.add(payment.getKey() + " " + found.statusCode());
        }
        ids.add(payment.getValue());
      }
      long highest = 0;
      for (String key : sent) {
        HttpResponse<String> found = get(second.port, "/api/payments/by-key/" + key);
        if (found.statusCode() == 200) {
          highest =
              Math.max(
                  highest,
                  Long.parseLong(
                      JSON.readTree(found.body()).get("payment_id").asText().substring(4)));
        }
      }
      JsonNode next = JSON.readTree(capture(second.port, "after-restart").body());

      assertThat(missing)
          .as("acknowledged payments the restarted provider does not know")
          .isEmpty();
      assertThat(ids).as("payment ids are unique").hasSameSizeAs(acknowledged.keySet());
      assertThat(next.get("payment_id").asText())
          .as("the first id after the restart follows every id given before it")
          .isEqualTo("pay_" + (highest + 1));
      System.out.printf(
          "FIGURE payments_acknowledged_before_kill9=%d known_after_restart=%d%n",
          acknowledged.size(), acknowledged.size() - missing.size());
    } finally {
      second.kill9();
    }
  }

  @Test
  void withoutTheTokenNobodyCanRefundAPaymentAndKeysStayOutOfTheAccessLog() throws Exception {
    // Before: anyone who reached the provider could void a confirmed order's payment.
    Provider provider = Provider.start(dataDir);
    try {
      String key = "secret-key-" + System.nanoTime();
      assertThat(capture(provider.port, key).statusCode()).isEqualTo(201);
      String voidPath = "/api/payments/by-key/" + key + "/void";

      HttpResponse<String> anonymous = send(provider.port, voidPath, null);
      HttpResponse<String> wrong = send(provider.port, voidPath, "Bearer " + TOKEN + "x");
      HttpResponse<String> lowerCase =
          get(provider.port, "/api/payments/by-key/" + key, "bearer " + TOKEN);

      assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(anonymous.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(lowerCase.statusCode()).as("the scheme name is case-insensitive").isEqualTo(200);
      assertThat(JSON.readTree(lowerCase.body()).get("status").asText())
          .as("still captured: the unauthenticated void changed nothing")
          .isEqualTo("captured");
      assertThat(send(provider.port, voidPath, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
      Thread.sleep(500); // the access log is written asynchronously
      assertThat(provider.output()).contains("/api/payments/by-key/***/void").doesNotContain(key);
    } finally {
      provider.kill9();
    }
  }

  @Test
  void aLineCutShortByACrashIsDroppedAndTheLedgerStillOpens() throws Exception {
    Path file = dataDir.resolve("payments").resolve("ledger.jsonl");
    try (Ledger ledger = Ledger.open(file)) {
      ledger.capture("k-1", 100, "USD", "card", null);
      ledger.capture("k-2", 200, "USD", "card", null);
    }
    Files.writeString(file, "{\"payment_id\":\"pay_3\",\"sta", StandardOpenOption.APPEND);

    try (Ledger reopened = Ledger.open(file)) {
      assertThat(reopened.payments()).extracting(Payment::id).containsExactly("pay_1", "pay_2");
      assertThat(reopened.capture("k-3", 300, "USD", "card", null))
          .isEqualTo(
              new Ledger.Captured(
                  new Payment("pay_3", Payment.CAPTURED, 300, "USD", "card", null, "k-3")));
      reopened.voidKey("k-1", "USD");
    }
    try (Ledger again = Ledger.open(file)) {
      assertThat(again.find("k-1")).map(Payment::status).hasValue(Payment.REFUNDED);
      assertThat(again.find("k-3")).map(Payment::id).hasValue("pay_3");
    }
  }

  private HttpResponse<String> capture(int port, String key) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/payments"))
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Idempotency-Key", key)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString("{\"amount_cents\":1299,\"method\":\"card\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return get(port, path, "Bearer " + TOKEN);
  }

  private HttpResponse<String> get(int port, String path, String authorization) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", authorization)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A POST without a body, with this Authorization header ({@code null}: none). */
  private HttpResponse<String> send(int port, String path, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code vigil payments} in a JVM of its own, its output collected. */
  private record Provider(Process process, int port, StringBuffer log) {

    static Provider start(Path dataDir) throws Exception {
      ProcessBuilder builder =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  PaymentsCommand.class.getName())
              .redirectErrorStream(true);
      builder.environment().put("VIGIL_PAYMENTS_PORT", "0");
      builder.environment().put("VIGIL_DATA_DIR", dataDir.toString());
      builder.environment().put("VIGIL_PAYMENTS_TOKEN", TOKEN);
      builder.environment().put("VIGIL_TELEMETRY", "metrics,access-log");
      builder.environment().remove("VIGIL_ADMIN_TOKEN");
      Process process = builder.start();
      StringBuffer log = new StringBuffer();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String line;
      while ((line = out.readLine()) != null) {
        log.append(line).append('\n');
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          int port = Integer.parseInt(m.group(1));
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      String rest;
                      while ((rest = out.readLine()) != null) {
                        log.append(rest).append('\n');
                      }
                    } catch (java.io.IOException ended) {
                      // the process is gone
                    }
                  });
          return new Provider(process, port, log);
        }
        if (System.nanoTime() > deadline) {
          break;
        }
      }
      process.destroyForcibly();
      throw new AssertionError("the provider did not start:\n" + log);
    }

    /** SIGKILL: no shutdown hook, no flush, no close. */
    void kill9() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }

    String output() {
      return log.toString();
    }
  }
}
