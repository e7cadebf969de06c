package dev.vigil.telemetry.http;

import dev.vigil.telemetry.logging.AccessLog;
import dev.vigil.telemetry.tracing.HttpServerTracing;
import io.javalin.config.JavalinState;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;

/**
 * Installs the per-request instrumentation into a Javalin application as one servlet filter
 * (request id, in-flight gauge, server span) and one request logger (span named after the route,
 * RED metrics, access log).
 *
 * <p>Request ids are generated only when something reads them: the access log or tracing. With
 * metrics alone, a well-formed {@code X-Request-Id} sent by the caller is still echoed and put into
 * the MDC, and a request without one gets no id.
 */
public final class HttpInstrumentation {

  private HttpInstrumentation() {}

  /**
   * Installs the instrumentation; does nothing when all three layers are off.
   *
   * @param state the application being configured
   * @param metrics RED metrics, or {@code null} when metrics are off
   * @param accessLog the access log, or {@code null} when it is off
   * @param tracing the server spans, or {@code null} when tracing is off
   * @param untracedPaths paths that are not traffic: never counted, logged nor traced (probes,
   *     /metrics)
   */
  public static void install(
      JavalinState state,
      HttpMetrics metrics,
      AccessLog accessLog,
      HttpServerTracing tracing,
      Set<String> untracedPaths) {
    if (metrics == null && accessLog == null && tracing == null) {
      return;
    }
    RequestScope scope =
        new RequestScope(metrics, accessLog != null || tracing != null, tracing, untracedPaths);
    state.jetty.modifyServletContextHandler(
        handler ->
            handler.addFilter(new FilterHolder(scope), "/*", EnumSet.of(DispatcherType.REQUEST)));
    if (metrics != null) {
      HttpMetrics declared = metrics;
      state.events.serverStarting(() -> declareRoutes(state, declared, untracedPaths));
    }
    state.requestLogger.http(
        new ResponseRecorder(metrics, accessLog, tracing, state.internalRouter, untracedPaths));
  }

  /**
   * Creates the RED series of every HTTP route declared at start, at 0 (see {@link
   * HttpMetrics#declareRoute}), keyed by the same endpoint object the response recorder uses.
   */
  private static void declareRoutes(
      JavalinState state, HttpMetrics metrics, Set<String> untracedPaths) {
    for (ParsedEndpoint parsed : state.internalRouter.allHttpHandlers()) {
      Endpoint endpoint = parsed.endpoint;
      if (endpoint.method.isHttpMethod() && !untracedPaths.contains(endpoint.path)) {
        metrics.declareRoute(endpoint, endpoint.method.name(), endpoint.path);
      }
    }
  }
}
