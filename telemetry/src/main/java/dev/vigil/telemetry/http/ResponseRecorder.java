package dev.vigil.telemetry.http;

import dev.vigil.telemetry.logging.AccessLog;
import dev.vigil.telemetry.profiling.ServerSpanEvent;
import dev.vigil.telemetry.tracing.HttpServerTracing;
import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import io.javalin.router.Endpoint;
import io.javalin.router.InternalRouter;
import io.javalin.router.ParsedEndpoint;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletApiResponse;

/**
 * The one request logger, called by Javalin once the response is written, inside the request scope:
 * names the server span after the route (tracing on), records the RED metrics (while that span is
 * current, so their exemplars carry its trace id), writes the access-log line and, while a JFR
 * recording runs, emits a {@link ServerSpanEvent}.
 *
 * <p>The endpoint label is the template of the route that handled the request. A request that
 * matched no handler of its method (405, or HEAD served by a GET route) is labelled with the
 * template of a route whose path matches; a request whose path matches no route is {@link
 * HttpMetrics#NOT_FOUND}.
 */
final class ResponseRecorder implements RequestLogger {

  private final HttpMetrics metrics;
  private final AccessLog accessLog;
  private final HttpServerTracing tracing;
  private final InternalRouter router;
  private final Set<String> untracedPaths;

  /**
   * @param metrics where RED metrics go, or {@code null} when metrics are off
   * @param accessLog where access lines go, or {@code null} when the access log is off
   * @param tracing the server spans to name after their route, or {@code null} when tracing is off
   * @param router the application's router, to find the template of unmatched-method requests
   * @param untracedPaths paths that are not traffic (probes and /metrics)
   */
  ResponseRecorder(
      HttpMetrics metrics,
      AccessLog accessLog,
      HttpServerTracing tracing,
      InternalRouter router,
      Set<String> untracedPaths) {
    this.metrics = metrics;
    this.accessLog = accessLog;
    this.tracing = tracing;
    this.router = router;
    this.untracedPaths = untracedPaths;
  }

  @Override
  public void handle(Context ctx, Float executionTimeMs) {
    String path = ctx.req().getRequestURI();
    if (untracedPaths.contains(path)) {
      return;
    }
    float ms = executionTimeMs;
    double seconds = ms / 1000.0;
    int status = ctx.statusCode();
    String method = ctx.req().getMethod();
    Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
    if (tracing != null) {
      tracing.nameAfterRoute(endpoint);
    }
    ServerSpanEvent.emit(method, endpoint == null ? null : endpoint.path, status, seconds);
    if (metrics == null && accessLog == null) {
      return;
    }
    String template;
    if (endpoint != null) {
      template = endpoint.path;
      if (metrics != null) {
        metrics.recordMatched(endpoint, method, template, status, seconds);
      }
    } else {
      template = templateOf(path);
      if (metrics != null) {
        metrics.record(method, template, status, seconds);
      }
    }
    if (accessLog != null) {
      accessLog.record(
          HttpMetrics.methodLabel(method), template, path, status, ms, bytesWritten(ctx.res()));
    }
  }

  private String templateOf(String path) {
    for (ParsedEndpoint candidate : router.allHttpHandlers()) {
      if (candidate.endpoint.method.isHttpMethod() && candidate.matches(path)) {
        return candidate.endpoint.path;
      }
    }
    return HttpMetrics.NOT_FOUND;
  }

  private static long bytesWritten(HttpServletResponse res) {
    if (res instanceof ServletApiResponse api) {
      return api.getServletChannel().getHttpOutput().getWritten();
    }
    return -1;
  }
}
