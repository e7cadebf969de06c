package dev.vigil.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.payments.PaymentsConfig;
import dev.vigil.payments.PaymentsServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog as a real process: JSON logs on stdout, SIGTERM under load, invalid configuration.
 */
class GracefulShutdownTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;

  @Test
  void sigtermUnderLoadExitsZeroAndLosesNoAcknowledgedOrder() throws Exception {
    PaymentsServer payments =
        PaymentsServer.start(
            PaymentsConfig.fromEnvironment(Map.of("VIGIL_TELEMETRY", "none")).withPort(0),
            Map.of());
    CatalogProcess catalog =
        CatalogProcess.start(
            Map.of(
                "VIGIL_DATA_DIR",
                dataDir.toString(),
                "VIGIL_PAYMENTS_URL",
                "http://127.0.0.1:" + payments.port()));
    Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicBoolean loading = new AtomicBoolean(true);
    try (CatalogClient client = new CatalogClient(catalog.port());
        HttpClient buyerClient =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      HttpResponse<String> secret =
          buyerClient.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + catalog.port() + "/api/products/1"))
                  .header("Authorization", "Bearer s3cr3t-token")
                  .header("Cookie", "session=c00kie-value")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(secret.statusCode()).isEqualTo(200);

      try (ExecutorService buyers = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 8; i++) {
          buyers.submit(() -> buy(buyerClient, catalog.port(), acknowledged, loading));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acknowledged.size() < 50 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(acknowledged).as("orders placed before SIGTERM").hasSizeGreaterThanOrEqualTo(50);

        catalog
            .process()
            .toHandle()
            .destroy(); // SIGTERM; Process.destroy() would also close our end of stdout
        assertThat(catalog.process().waitFor(60, TimeUnit.SECONDS))
            .as("catalog exited after SIGTERM")
            .isTrue();
        loading.set(false);
      }
      assertThat(catalog.process().exitValue()).as("exit code after SIGTERM").isZero();
    } finally {
      payments.close();
    }

    List<JsonNode> logs = catalog.jsonLines();
    assertThat(logs)
        .allSatisfy(
            line ->
                assertThat(line.fieldNames())
                    .toIterable()
                    .contains("timestamp", "level", "logger", "message", "thread"));
    assertThat(logs)
        .anySatisfy(
            line -> {
              assertThat(line.get("logger").asText()).isEqualTo("http.access");
              assertThat(line.get("endpoint").asText()).isEqualTo("/api/orders");
              assertThat(line.fieldNames())
                  .toIterable()
                  .contains("method", "path", "status", "duration_ms", "bytes", "request_id");
            });
    assertThat(logs)
        .anySatisfy(line -> assertThat(line.get("message").asText()).startsWith("shutting down"));
    assertThat(catalog.output()).doesNotContain("s3cr3t-token", "c00kie-value");

    try (CatalogServer restarted =
            CatalogServer.start(
                CatalogConfig.fromEnvironment(
                    Map.of(
                        "VIGIL_PORT",
                        "0",
                        "VIGIL_DATA_DIR",
                        dataDir.toString(),
                        "VIGIL_TELEMETRY",
                        "none")));
        CatalogClient client = new CatalogClient(restarted.port())) {
      for (long id : acknowledged) {
        assertThat(client.get("/api/orders/" + id).statusCode())
            .as("acknowledged order %d", id)
            .isEqualTo(200);
      }
    }
  }

  @Test
  void afterSigtermReadinessIs503ButTheListenerKeepsServingThroughTheDrain() throws Exception {
    CatalogProcess catalog =
        CatalogProcess.start(
            Map.of(
                "VIGIL_DATA_DIR",
                dataDir.toString(),
                "VIGIL_TELEMETRY",
                "metrics")); // VIGIL_SHUTDOWN_DRAIN: the default, 5 s
    try (CatalogClient client = new CatalogClient(catalog.port())) {
      assertThat(client.get("/readyz").statusCode()).isEqualTo(200);

      catalog.process().toHandle().destroy(); // SIGTERM
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      int readiness = client.get("/readyz").statusCode();
      while (readiness != 503 && System.nanoTime() < deadline) {
        Thread.sleep(50);
        readiness = client.get("/readyz").statusCode();
      }
      HttpResponse<String> during = client.get("/api/products/1");

      assertThat(readiness)
          .as("readiness says 503 at once, so load balancers stop routing here")
          .isEqualTo(503);
      assertThat(during.statusCode())
          .as("a request arriving during the drain is served, not reset")
          .isEqualTo(200);
      assertThat(catalog.process().waitFor(60, TimeUnit.SECONDS))
          .as("exits after the drain")
          .isTrue();
      assertThat(catalog.process().exitValue()).isZero();
    }
  }

  @Test
  void aMalformedDatabaseUrlIsReportedWithItsPasswordMasked() throws Exception {
    Process process =
        CatalogProcess.command(
                Map.of(
                    "VIGIL_DATA_DIR",
                    dataDir.toString(),
                    "VIGIL_DB_URL",
                    "postgres://app:hunter2@db:5432/catalog?password=hunter2"))
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(output).contains("VIGIL_DB_URL").contains("app:****@db").doesNotContain("hunter2");
  }

  @Test
  void anInvalidVariableStopsTheStartWithAMessageNamingIt() throws Exception {
    Process process =
        CatalogProcess.command(Map.of("VIGIL_DATA_DIR", dataDir.toString(), "DB_POOL_SIZE", "zero"))
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(output).contains("DB_POOL_SIZE='zero'").contains("an integer from 1 to 500");
  }

  private static void buy(
      HttpClient http, int port, Set<Long> acknowledged, AtomicBoolean loading) {
    while (loading.get()) {
      long product = ThreadLocalRandom.current().nextLong(1, 1001);
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/orders"))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"items\":[{\"product_id\":" + product + ",\"quantity\":1}]}"))
              .timeout(Duration.ofSeconds(30))
              .build();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 201) {
          acknowledged.add(JSON.readTree(response.body()).get("id").asLong());
        }
      } catch (IOException e) {
        return; // the server went away: nothing acknowledged for this request
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
