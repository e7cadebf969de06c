package dev.vigil.catalog.fault;

import dev.vigil.telemetry.TelemetryPlugin;
import dev.vigil.telemetry.admin.ActiveFault;
import dev.vigil.telemetry.admin.FaultParam;
import dev.vigil.telemetry.admin.FaultRegistry;
import dev.vigil.telemetry.admin.FaultSpec;
import dev.vigil.telemetry.errors.ErrorTracker;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The faults the catalog can inject, and the small hooks where each acts. Set and cleared through
 * the admin API ({@link dev.vigil.telemetry.admin.AdminServer}); each shows in {@code
 * vigil_fault_active{fault,target}}.
 *
 * <table>
 *   <caption>Faults</caption>
 *   <tr><th>fault</th><th>target</th><th>params</th><th>symptom</th></tr>
 *   <tr><td>http_errors</td><td>route template or *</td><td>ratio 0..1, status 500..599 (500)</td>
 *       <td>that ratio of the route's requests answered with the status</td></tr>
 *   <tr><td>http_latency</td><td>route template or *</td><td>fixed_ms, or mean_ms and jitter_ms</td>
 *       <td>added before the handler: fixed, or uniform in mean ± jitter</td></tr>
 *   <tr><td>db_slow_statement</td><td>statement name or *</td><td>seconds</td>
 *       <td>the statement waits that long while holding its pooled connection (pool exhaustion)</td></tr>
 *   <tr><td>db_unavailable</td><td>*</td><td></td><td>every pooled connection attempt fails</td></tr>
 *   <tr><td>cache_disabled</td><td>*</td><td></td><td>every product read misses the cache</td></tr>
 *   <tr><td>worker_stalled</td><td>*</td><td></td><td>the confirmation worker sends nothing; the
 *       queue backs up</td></tr>
 * </table>
 */
public final class CatalogFaults implements AutoCloseable {

  /** Errors on routes. */
  public static final String HTTP_ERRORS = "http_errors";

  /** Latency on routes. */
  public static final String HTTP_LATENCY = "http_latency";

  /** A slow named statement holding its connection. */
  public static final String DB_SLOW_STATEMENT = "db_slow_statement";

  /** The database refuses connections. */
  public static final String DB_UNAVAILABLE = "db_unavailable";

  /** The product cache misses every read. */
  public static final String CACHE_DISABLED = "cache_disabled";

  /** The confirmation worker stops taking work. */
  public static final String WORKER_STALLED = "worker_stalled";

  /** The longest injectable latency or statement delay, in milliseconds (5 minutes). */
  public static final long MAX_DELAY_MS = 300_000;

  private final Set<String> routes = new ConcurrentSkipListSet<>();
  private final Set<String> statements = new ConcurrentSkipListSet<>();
  private final FaultRegistry registry;

  /**
   * The catalog's faults, none on.
   *
   * @param metrics where {@code vigil_fault_active} is registered
   */
  public CatalogFaults(PrometheusRegistry metrics) {
    this(metrics, null);
  }

  /**
   * The catalog's faults, none on.
   *
   * @param metrics where {@code vigil_fault_active} is registered
   * @param errors where a failure of the fault-expiry timer is recorded, or {@code null} to only
   *     log it
   */
  public CatalogFaults(PrometheusRegistry metrics, ErrorTracker errors) {
    this.registry = new FaultRegistry(metrics, specs(), errors);
  }

  /**
   * Faults for code that runs without the admin API (tests building one part of the catalog): none
   * is ever set.
   *
   * @return faults on a registry of their own
   */
  public static CatalogFaults none() {
    return new CatalogFaults(new PrometheusRegistry());
  }

  /** The registry the admin API changes. */
  public FaultRegistry registry() {
    return registry;
  }

  /**
   * Declares the routes of an application as the targets of {@code http_errors} and {@code
   * http_latency}: every HTTP route template except the probes and {@code /metrics}, which no fault
   * touches (even with target {@code *}).
   *
   * @param app the catalog's application, created but not necessarily started
   */
  public void declareRoutes(Javalin app) {
    for (ParsedEndpoint e : app.unsafe.internalRouter.allHttpHandlers()) {
      if (e.endpoint.method.isHttpMethod()
          && !TelemetryPlugin.UNTRACED_PATHS.contains(e.endpoint.path)) {
        routes.add(e.endpoint.path);
      }
    }
  }

  /**
   * Declares a statement name {@code db_slow_statement} accepts as a target.
   *
   * @param name e.g. {@code product_by_id}
   */
  public void declareStatement(String name) {
    statements.add(name);
  }

  /**
   * The HTTP hook, run before the handler of every matched route: waits the {@code http_latency} of
   * the route, then fails the request with the {@code http_errors} ratio.
   *
   * @param ctx the request
   * @throws ProblemException with the fault's status (500 by default) when chosen to fail
   * @throws InterruptedException when the server stops during the added latency
   */
  public void beforeRequest(Context ctx) throws InterruptedException {
    Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
    if (endpoint == null) {
      return;
    }
    String route = endpoint.path;
    ActiveFault latency = registry.find(HTTP_LATENCY, route);
    ActiveFault errors = registry.find(HTTP_ERRORS, route);
    if ((latency == null && errors == null) || !routes.contains(route)) {
      return; // no fault on: the common case; or a probe or /metrics, never touched
    }
    if (latency != null) {
      Thread.sleep(delayMillis(latency));
    }
    if (errors != null && ThreadLocalRandom.current().nextDouble() < errors.param("ratio", 0)) {
      int status = (int) errors.param("status", 500);
      throw new ProblemException(
          Problem.of(
                  status,
                  "injected fault http_errors on "
                      + errors.target()
                      + " (set by "
                      + errors.setBy()
                      + "): this is a drill, not a real failure")
              .with("fault", HTTP_ERRORS));
    }
  }

  /**
   * The statement hook, run while a named statement holds its pooled connection: waits the {@code
   * db_slow_statement} delay of that statement.
   *
   * @param statement the statement's name
   * @throws SQLException when interrupted while waiting (the server is stopping)
   */
  public void beforeStatement(String statement) throws SQLException {
    ActiveFault slow = registry.find(DB_SLOW_STATEMENT, statement);
    if (slow == null) {
      return;
    }
    try {
      Thread.sleep((long) (slow.param("seconds", 0) * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted during the injected slow statement " + statement, e);
    }
  }

  /** Whether {@code db_unavailable} is on: every pooled connection attempt must fail. */
  public boolean databaseUnavailable() {
    return registry.on(DB_UNAVAILABLE);
  }

  /** Whether {@code cache_disabled} is on: every cache read must miss. */
  public boolean cacheDisabled() {
    return registry.on(CACHE_DISABLED);
  }

  /** Whether {@code worker_stalled} is on: the confirmation worker must take no work. */
  public boolean workerStalled() {
    return registry.on(WORKER_STALLED);
  }

  /** Stops the expiry timer. */
  @Override
  public void close() {
    registry.close();
  }

  private static long delayMillis(ActiveFault latency) {
    if (latency.params().containsKey("fixed_ms")) {
      return (long) latency.param("fixed_ms", 0);
    }
    double mean = latency.param("mean_ms", 0);
    double jitter = latency.param("jitter_ms", 0);
    double drawn = mean + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * jitter;
    return Math.max(0, Math.round(drawn));
  }

  private List<FaultSpec> specs() {
    return List.of(
        FaultSpec.builder(HTTP_ERRORS, "answers a ratio of a route's requests with a 5xx")
            .targets(() -> withAny(routes))
            .param(FaultParam.required("ratio", 0, 1, false, "ratio of requests failed, 0..1"))
            .param(FaultParam.withDefault("status", 500, 599, true, 500, "the status answered"))
            .build(),
        FaultSpec.builder(HTTP_LATENCY, "adds latency before a route's handler")
            .targets(() -> withAny(routes))
            .param(FaultParam.optional("fixed_ms", 0, MAX_DELAY_MS, true, "added milliseconds"))
            .param(FaultParam.optional("mean_ms", 0, MAX_DELAY_MS, true, "mean added milliseconds"))
            .param(
                FaultParam.optional(
                    "jitter_ms", 0, MAX_DELAY_MS, true, "spread around mean_ms, milliseconds"))
            .rule(CatalogFaults::latencyRule)
            .build(),
        FaultSpec.builder(
                DB_SLOW_STATEMENT,
                "a named statement waits while holding its pooled connection (pool exhaustion)")
            .targets(() -> withAny(statements))
            .param(
                FaultParam.required(
                    "seconds", 0.001, MAX_DELAY_MS / 1000.0, false, "added seconds per execution"))
            .build(),
        FaultSpec.builder(DB_UNAVAILABLE, "every pooled database connection attempt fails").build(),
        FaultSpec.builder(CACHE_DISABLED, "every product cache read misses").build(),
        FaultSpec.builder(WORKER_STALLED, "the confirmation worker takes no work").build());
  }

  private static Optional<String> latencyRule(java.util.Map<String, Number> p) {
    boolean fixed = p.containsKey("fixed_ms");
    boolean mean = p.containsKey("mean_ms");
    if (fixed == mean) {
      return Optional.of(
          "http_latency needs either params.fixed_ms, or params.mean_ms (with params.jitter_ms)");
    }
    if (fixed && p.containsKey("jitter_ms")) {
      return Optional.of("params.jitter_ms goes with params.mean_ms, not with params.fixed_ms");
    }
    return Optional.empty();
  }

  private static List<String> withAny(Collection<String> targets) {
    List<String> out = new ArrayList<>();
    out.add(FaultSpec.ANY_TARGET);
    out.addAll(targets);
    return out;
  }
}
