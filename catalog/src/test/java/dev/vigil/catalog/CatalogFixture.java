package dev.vigil.catalog;

import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.payments.PaymentsConfig;
import dev.vigil.payments.PaymentsServer;
import dev.vigil.telemetry.admin.AdminConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A catalog and the payment provider it calls, both running in this JVM on free random ports, as
 * most of the catalog's end-to-end tests need them: H2 under the test's data directory, the
 * provider without telemetry, and the catalog's admin API (faults, errors, profiles) when a token
 * is given.
 *
 * <pre>
 * catalog = CatalogFixture.builder(dataDir).telemetry("metrics,tracing").adminToken("t").start();
 * catalog.client().get("/api/products");   // ... catalog.admin("PUT", "/admin/faults/...", body)
 * catalog.close();                          // in @AfterAll
 * </pre>
 */
public final class CatalogFixture implements AutoCloseable {

  private static final HttpClient ADMIN_HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final PaymentsServer payments;
  private final CatalogServer server;
  private final CatalogClient client;
  private final String adminToken;

  private CatalogFixture(
      PaymentsServer payments, CatalogServer server, CatalogClient client, String adminToken) {
    this.payments = payments;
    this.server = server;
    this.client = client;
    this.adminToken = adminToken;
  }

  /**
   * A fixture with its defaults: {@code VIGIL_TELEMETRY=metrics}, no admin API.
   *
   * @param dataDir the catalog's {@code VIGIL_DATA_DIR}, usually a {@code @TempDir}
   * @return a builder
   */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** The running catalog. */
  public CatalogServer server() {
    return server;
  }

  /** The running payment provider the catalog calls. */
  public PaymentsServer payments() {
    return payments;
  }

  /** The catalog's HTTP port on 127.0.0.1. */
  public int port() {
    return server.port();
  }

  /** A client of the catalog's public port, closed with the fixture. */
  public CatalogClient client() {
    return client;
  }

  /**
   * Calls the catalog's admin API with the fixture's token.
   *
   * @param method e.g. {@code PUT}
   * @param path e.g. {@code /admin/faults/db_unavailable}
   * @param json the JSON body, or {@code null} for none
   * @return the answer
   * @throws IllegalStateException when the fixture was started without an admin token
   */
  public HttpResponse<String> admin(String method, String path, String json)
      throws IOException, InterruptedException {
    if (adminToken == null) {
      throw new IllegalStateException(
          "this catalog has no admin API: start the fixture with adminToken(...)");
    }
    return ADMIN_HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.admin().port() + path))
            .header("Authorization", "Bearer " + adminToken)
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json))
            .timeout(Duration.ofSeconds(60))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Stops the catalog, then the payment provider. */
  @Override
  public void close() {
    client.close();
    server.close();
    payments.close();
  }

  /** Options of a {@link CatalogFixture}. */
  public static final class Builder {
    private final Map<String, String> env = new LinkedHashMap<>();
    private String adminToken;

    private Builder(Path dataDir) {
      env.put("VIGIL_PORT", "0");
      env.put("VIGIL_DATA_DIR", dataDir.toString());
      env.put("VIGIL_TELEMETRY", "metrics");
    }

    /**
     * @param switches the catalog's {@code VIGIL_TELEMETRY}, e.g. {@code metrics,access-log}
     * @return this builder
     */
    public Builder telemetry(String switches) {
      return env("VIGIL_TELEMETRY", switches);
    }

    /**
     * @param name a variable of the catalog's environment, e.g. {@code DB_POOL_SIZE}
     * @param value its value
     * @return this builder
     */
    public Builder env(String name, String value) {
      env.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
      return this;
    }

    /**
     * Starts the catalog's admin API on a free loopback port, with this bearer token.
     *
     * @param token the token {@link #admin} sends
     * @return this builder
     */
    public Builder adminToken(String token) {
      this.adminToken = Objects.requireNonNull(token);
      return this;
    }

    /**
     * Starts the payment provider, then the catalog pointed at it.
     *
     * @return the running fixture
     */
    public CatalogFixture start() {
      PaymentsServer payments =
          PaymentsServer.start(
              PaymentsConfig.fromEnvironment(Map.of("VIGIL_TELEMETRY", "none")).withPort(0),
              Map.of());
      CatalogServer server;
      try {
        Map<String, String> catalogEnv = new LinkedHashMap<>(env);
        catalogEnv.put("VIGIL_PAYMENTS_URL", "http://127.0.0.1:" + payments.port());
        CatalogConfig config = CatalogConfig.fromEnvironment(catalogEnv);
        server =
            adminToken == null
                ? CatalogServer.start(config)
                : CatalogServer.start(
                    config, AdminConfig.loopback(0, adminToken, "tester"), Map.of());
      } catch (RuntimeException e) {
        payments.close();
        throw e;
      }
      return new CatalogFixture(payments, server, new CatalogClient(server.port()), adminToken);
    }
  }
}
