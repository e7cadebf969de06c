package dev.vigil.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.telemetry.errors.ErrorTracker;
import dev.vigil.telemetry.health.HealthRegistry;
import dev.vigil.telemetry.health.HealthReport;
import dev.vigil.telemetry.health.HealthStatus;
import dev.vigil.telemetry.http.HttpInstrumentation;
import dev.vigil.telemetry.http.HttpMetrics;
import dev.vigil.telemetry.http.JsonBody;
import dev.vigil.telemetry.http.ProblemResponses;
import dev.vigil.telemetry.logging.AccessLog;
import dev.vigil.telemetry.metrics.JvmCollectors;
import dev.vigil.telemetry.metrics.MetricsEndpoint;
import dev.vigil.telemetry.tracing.HttpServerTracing;
import dev.vigil.telemetry.tracing.Tracing;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.plugin.Plugin;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * vigil's instrumentation for a Javalin service, installed in one line: {@code
 * Javalin.create(config -> config.registerPlugin(telemetry))}.
 *
 * <p>It adds:
 *
 * <ul>
 *   <li>{@code GET /metrics} (Prometheus text or OpenMetrics) with the RED metrics of every
 *       request, JVM and process metrics, and whatever the service registers in {@link
 *       #registry()};
 *   <li>{@code GET /healthz} liveness (always 200 while the process serves), {@code GET /readyz}
 *       readiness (200 or 503) and {@code GET /health/detailed} (every check, 503 when one is
 *       unhealthy), backed by {@link #health()};
 *   <li>with the access log or tracing on, a request id ({@code X-Request-Id}, accepted from the
 *       caller or generated) in the MDC and the response, and one JSON access-log line per request
 *       (access log on); with metrics alone no id is generated, only a caller's well-formed id is
 *       echoed;
 *   <li>RFC 9457 problem details for every error, 405 for a known path with the wrong method, and a
 *       1 MiB request body limit;
 *   <li>with {@link #tracing(Tracing)}, one OpenTelemetry server span per request ({@link
 *       HttpServerTracing}), current while the request metrics are recorded, so their exemplars
 *       carry its trace id (without tracing the request metrics sample no exemplars);
 *   <li>error tracking: every unhandled exception (the 500s) grouped by fingerprint in {@link
 *       #errors()}, counted in {@code app_exceptions_total{type}}.
 * </ul>
 *
 * Probes and {@code /metrics} are not traffic: they are neither counted nor access-logged.
 *
 * <pre>{@code
 * TelemetryPlugin telemetry = new TelemetryPlugin(TelemetrySwitches.all());
 * Javalin app = Javalin.create(config -> {
 *   config.registerPlugin(telemetry);
 *   config.routes.get("/api/products/{id}", ctx -> ctx.json(products.find(ctx.pathParam("id"))));
 * });
 * telemetry.health().register("db", () -> db.ping() ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY);
 * Counter orders = Counter.builder().name("orders_total").register(telemetry.registry());
 * app.start(8000);                     // GET /metrics, /healthz, /readyz are served
 * }</pre>
 */
public final class TelemetryPlugin extends Plugin<Void> {

  /** Paths served by this plugin that are not traffic. */
  public static final Set<String> UNTRACED_PATHS =
      Set.of("/metrics", "/healthz", "/readyz", "/health/detailed");

  private final TelemetrySwitches switches;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final HealthRegistry health = new HealthRegistry(Duration.ofSeconds(2));
  private Tracing tracing = Tracing.off();
  private ErrorTracker.Builder errorTracking = ErrorTracker.builder();
  private ErrorTracker errors;
  private java.util.Set<String> secretPathParameters = java.util.Set.of();

  /**
   * @param switches which per-request instrumentation to turn on, usually {@code
   *     TelemetrySwitches.parse(System.getenv("VIGIL_TELEMETRY"))}
   */
  public TelemetryPlugin(TelemetrySwitches switches) {
    this.switches = switches;
  }

  /**
   * Traces every request with this tracing when the {@code tracing} switch is on. Call before the
   * plugin is registered.
   *
   * @param tracing the service's tracing, e.g. {@code Tracing.fromEnvironment("catalog",
   *     System.getenv())}
   * @return this plugin
   */
  public TelemetryPlugin tracing(Tracing tracing) {
    this.tracing = tracing;
    return this;
  }

  /**
   * Keeps the values of these path parameters out of the access log (their segment reads {@code
   * ***}). Call before the plugin is registered.
   *
   * @param names parameter names of route templates, e.g. {@code key}
   * @return this plugin
   */
  public TelemetryPlugin secretPathParameters(String... names) {
    this.secretPathParameters = java.util.Set.of(names);
    return this;
  }

  /**
   * Configures error tracking (service, release, application frames, Sentry). Call before the
   * plugin is registered and before {@link #errors()}; the counter goes to {@link #registry()}.
   *
   * @param errorTracking the tracker's options, e.g. {@code
   *     ErrorTracker.builder().service("catalog").release("0.1.0")}
   * @return this plugin
   */
  public TelemetryPlugin errorTracking(ErrorTracker.Builder errorTracking) {
    this.errorTracking = errorTracking;
    return this;
  }

  /**
   * The error groups of this service's unhandled exceptions, built on first use from the options of
   * {@link #errorTracking}, e.g. for {@code new ErrorsEndpoint(telemetry.errors())}.
   */
  public synchronized ErrorTracker errors() {
    if (errors == null) {
      errors = errorTracking.registry(registry).build();
    }
    return errors;
  }

  /** The registry scraped by {@code /metrics}; services register their own metrics here. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** The dependency checks behind {@code /readyz} and {@code /health/detailed}. */
  public HealthRegistry health() {
    return health;
  }

  @Override
  public String name() {
    return "vigil-telemetry";
  }

  @Override
  public void onInitialize(JavalinState state) {
    state.http.prefer405over404 = true;
    state.http.maxRequestSize = JsonBody.MAX_BYTES;
    state.appData(ErrorTracker.KEY, errors());

    state.routes.get("/healthz", ctx -> json(ctx, 200, Map.of("status", "alive")));
    state.routes.get("/readyz", this::readiness);
    state.routes.get("/health/detailed", this::detailed);

    boolean traced = switches.tracing() && tracing.enabled();
    HttpMetrics metrics = null;
    if (switches.metrics()) {
      JvmCollectors.register(registry);
      metrics = new HttpMetrics(registry, traced);
      state.routes.get("/metrics", new MetricsEndpoint(registry));
    }
    AccessLog accessLog = switches.accessLog() ? new AccessLog(secretPathParameters) : null;
    ProblemResponses.install(state, metrics, accessLog);
    HttpInstrumentation.install(
        state, metrics, accessLog, traced ? new HttpServerTracing(tracing) : null, UNTRACED_PATHS);
  }

  private void readiness(Context ctx) {
    HealthReport report = health.check();
    if (report.ready()) {
      json(ctx, 200, Map.of("status", "ready"));
    } else {
      String reason = report.shuttingDown() ? "shutting down" : "a dependency check is unhealthy";
      json(ctx, 503, Map.of("status", "not ready", "reason", reason));
    }
  }

  private void detailed(Context ctx) {
    HealthReport report = health.check();
    int status = report.status() == HealthStatus.UNHEALTHY ? 503 : 200;
    json(ctx, status, report.toJson());
  }

  private static void json(Context ctx, int status, Object body) {
    try {
      ctx.status(status)
          .contentType("application/json")
          .result(JsonBody.mapper().writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write health JSON", e);
    }
  }
}
