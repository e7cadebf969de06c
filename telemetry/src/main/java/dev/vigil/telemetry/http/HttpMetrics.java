package dev.vigil.telemetry.http;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The RED metrics of an HTTP service (rate, errors, duration): {@code http_requests_total}, {@code
 * http_errors_total}, {@code http_request_duration_seconds} and {@code http_requests_active}. All
 * three request metrics carry {@code method}, {@code endpoint} and {@code status}, as the seeds'
 * RED panel ({@code http_request_duration_seconds_count{status=~"5.."}}) and OpenTelemetry's {@code
 * http.server.request.duration} (with {@code http.response.status_code}) do.
 *
 * <p>Recording is the hot path: label data points are resolved once per (method, endpoint) and then
 * per status code into a slot of an array indexed by the code, so a request that hits an already
 * seen combination allocates nothing and takes no lock. Label values come from closed sets only:
 * {@code endpoint} is a route template or {@link #NOT_FOUND}, {@code method} a standard HTTP method
 * or {@link #OTHER_METHOD}, {@code status} an integer in 100..599, so the series count never grows
 * with traffic.
 *
 * <pre>{@code
 * HttpMetrics metrics = new HttpMetrics(registry);
 * metrics.requestStarted();                                     // http_requests_active + 1
 * metrics.record("GET", "/api/products/{id}", 200, 0.012);      // seconds
 * metrics.requestFinished();                                    // http_requests_active - 1
 * }</pre>
 *
 * The telemetry plugin does this for every request; a service calls it only for traffic that does
 * not pass through Javalin.
 */
public final class HttpMetrics {

  /** The {@code endpoint} label of requests that match no route. */
  public static final String NOT_FOUND = "NOT_FOUND";

  /** The {@code method} label of requests whose method is not a standard HTTP method. */
  public static final String OTHER_METHOD = "_OTHER";

  /**
   * The {@code endpoint} of every request Jetty rejected before routing (malformed request line,
   * URI or headers too long, refused while stopping): one value, however many distinct paths they
   * carry.
   */
  public static final String REJECTED = "_REJECTED";

  /**
   * Upper bounds of {@code http_request_duration_seconds} in seconds: every latency SLO threshold
   * is a bucket boundary.
   */
  public static final double[] DURATION_BUCKETS_SECONDS = {
    .005, .01, .025, .05, .075, .1, .25, .5, .75, 1, 2.5, 5, 7.5, 10
  };

  /**
   * The status slots every declared route starts with at 0 (see {@link #declareRoute}): a success
   * and the 5xx slot, the two sides of every error ratio.
   */
  static final int[] PRE_REGISTERED_STATUSES = {200, 500};

  private static final Set<String> STANDARD_METHODS =
      Set.of(
          "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "QUERY");

  private final Counter requests;
  private final Counter errors;
  private final Histogram duration;
  private final Gauge active;
  private final ConcurrentHashMap<Object, RouteSeries> byRouteKey = new ConcurrentHashMap<>();

  /** Series of requests that matched no route object: method label, then route template. */
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, RouteSeries>> byName =
      new ConcurrentHashMap<>();

  /**
   * Creates and registers the four HTTP metrics, with exemplars on the request counters and the
   * duration histogram.
   *
   * @param registry where {@code http_requests_total}, {@code http_errors_total}, {@code
   *     http_request_duration_seconds} and {@code http_requests_active} are registered
   */
  public HttpMetrics(PrometheusRegistry registry) {
    this(registry, true);
  }

  /**
   * Creates and registers the four HTTP metrics.
   *
   * @param registry where {@code http_requests_total}, {@code http_errors_total}, {@code
   *     http_request_duration_seconds} and {@code http_requests_active} are registered
   * @param exemplars whether the request counters and the duration histogram sample exemplars (the
   *     trace id of the span current when a request is recorded); {@code false} when the service
   *     does not trace, which spares the exemplar sampler's per-request span lookup. The in-flight
   *     gauge never carries exemplars.
   */
  public HttpMetrics(PrometheusRegistry registry, boolean exemplars) {
    Counter.Builder requestsBuilder =
        Counter.builder()
            .name("http_requests_total")
            .help("HTTP requests served, by method, route template and status code")
            .labelNames("method", "endpoint", "status");
    Counter.Builder errorsBuilder =
        Counter.builder()
            .name("http_errors_total")
            .help("HTTP responses with status >= 400, by method, route template and status code")
            .labelNames("method", "endpoint", "status");
    Histogram.Builder durationBuilder =
        Histogram.builder()
            .name("http_request_duration_seconds")
            .help(
                "Time from request received to response written, in seconds, by method, route"
                    + " template and status code")
            .labelNames("method", "endpoint", "status")
            .classicOnly()
            .classicUpperBounds(DURATION_BUCKETS_SECONDS);
    if (!exemplars) {
      requestsBuilder.withoutExemplars();
      errorsBuilder.withoutExemplars();
      durationBuilder.withoutExemplars();
    }
    requests = requestsBuilder.register(registry);
    errors = errorsBuilder.register(registry);
    duration = durationBuilder.register(registry);
    active =
        Gauge.builder()
            .name("http_requests_active")
            .help("HTTP requests in flight")
            .withoutExemplars()
            .register(registry);
  }

  /** Counts a request as in flight; pair with {@link #requestFinished()}. */
  public void requestStarted() {
    active.inc();
  }

  /** Counts a request as no longer in flight. */
  public void requestFinished() {
    active.dec();
  }

  /**
   * Records one finished request.
   *
   * @param routeKey an object identifying the matched route (e.g. the framework's endpoint object);
   *     the series for it are resolved on first use and reused by identity afterwards
   * @param method the HTTP method of the request, e.g. {@code GET}
   * @param template the route template, e.g. {@code /api/products/{id}}; only read on first use of
   *     {@code routeKey}
   * @param status the response status code (100..599; others are clamped)
   * @param seconds the request duration in seconds
   */
  public void recordMatched(
      Object routeKey, String method, String template, int status, double seconds) {
    RouteSeries series = byRouteKey.get(routeKey);
    if (series == null) {
      series =
          byRouteKey.computeIfAbsent(routeKey, k -> new RouteSeries(methodLabel(method), template));
    }
    series.record(status, seconds);
  }

  /**
   * Creates, at 0, the series of a route declared at start that the RED panels, alerts and SLIs
   * query before the route has served anything: {@code http_requests_total} and {@code
   * http_request_duration_seconds} with {@code status="200"} and {@code status="500"}, and {@code
   * http_errors_total} with {@code status="500"}. The error ratio, the availability SLI and the
   * seeds' {@code status=~"5.."} panel then read 0 instead of "no data", and the numerator and the
   * denominator of a ratio are series of the same age: MetricsQL's {@code rate} divides a series
   * younger than its window by the series' age where Prometheus extrapolates it, so a success
   * series born with the first request made vmalert's error ratio up to half of Prometheus' for the
   * first window after a start (issue 23's parity proof, docs/scaling.md). Other status codes
   * appear with their first request, so the series count per route grows only with codes actually
   * served.
   *
   * @param routeKey the object {@link #recordMatched} will be called with for this route
   * @param method the route's HTTP method, e.g. {@code GET}
   * @param template the route template, e.g. {@code /api/products/{id}}
   */
  public void declareRoute(Object routeKey, String method, String template) {
    RouteSeries series =
        byRouteKey.computeIfAbsent(routeKey, k -> new RouteSeries(methodLabel(method), template));
    for (int status : PRE_REGISTERED_STATUSES) {
      series.status(status);
    }
  }

  /**
   * Records one finished request by label values (two map lookups, no allocation once the series
   * exist), meant for requests that matched no route object, such as 404s and 405s.
   *
   * @param method the HTTP method of the request, mapped with {@link #methodLabel(String)}
   * @param template the route template, or {@link #NOT_FOUND}
   * @param status the response status code
   * @param seconds the request duration in seconds
   */
  public void record(String method, String template, int status, double seconds) {
    String label = methodLabel(method);
    ConcurrentHashMap<String, RouteSeries> byTemplate = byName.get(label);
    if (byTemplate == null) {
      byTemplate = byName.computeIfAbsent(label, k -> new ConcurrentHashMap<>());
    }
    RouteSeries series = byTemplate.get(template);
    if (series == null) {
      series = byTemplate.computeIfAbsent(template, t -> new RouteSeries(label, t));
    }
    series.record(status, seconds);
  }

  /**
   * Maps a request method to its label value.
   *
   * @param method the method as received, e.g. {@code get} or {@code BREW}
   * @return the upper-case standard method, or {@link #OTHER_METHOD}
   */
  public static String methodLabel(String method) {
    if (STANDARD_METHODS.contains(method)) {
      return method;
    }
    return OTHER_METHOD;
  }

  /**
   * The series of one (method, endpoint) pair: the duration histogram and a slot per status code.
   */
  private final class RouteSeries {
    private final String method;
    private final String endpoint;
    private final AtomicReferenceArray<StatusSeries> byStatus = new AtomicReferenceArray<>(600);

    RouteSeries(String method, String endpoint) {
      this.method = method;
      this.endpoint = endpoint;
    }

    /** The series of one status code (clamped to 100..599), created on first use. */
    StatusSeries status(int status) {
      int code = Math.max(100, Math.min(599, status));
      StatusSeries s = byStatus.get(code);
      if (s == null) {
        s = new StatusSeries(method, endpoint, code);
        if (!byStatus.compareAndSet(code, null, s)) {
          s = byStatus.get(code);
        }
      }
      return s;
    }

    void record(int status, double seconds) {
      StatusSeries s = status(status);
      s.duration.observe(seconds);
      s.requests.inc();
      if (s.errors != null) {
        s.errors.inc();
      }
    }
  }

  /** The counters and the duration histogram of one (method, endpoint, status) triple. */
  private final class StatusSeries {
    private final CounterDataPoint requests;
    private final CounterDataPoint errors;
    private final DistributionDataPoint duration;

    StatusSeries(String method, String endpoint, int status) {
      String code = Integer.toString(status);
      this.requests = HttpMetrics.this.requests.labelValues(method, endpoint, code);
      this.duration = HttpMetrics.this.duration.labelValues(method, endpoint, code);
      this.errors =
          status >= 400 ? HttpMetrics.this.errors.labelValues(method, endpoint, code) : null;
    }
  }
}
