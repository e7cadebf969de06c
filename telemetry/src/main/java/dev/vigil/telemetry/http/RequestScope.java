package dev.vigil.telemetry.http;

import dev.vigil.telemetry.logging.RequestIds;
import dev.vigil.telemetry.tracing.ActiveSpan;
import dev.vigil.telemetry.tracing.HttpServerTracing;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.slf4j.MDC;

/**
 * The one servlet filter around every request. For exactly as long as the request runs, even when a
 * handler throws or writing the response fails, it:
 *
 * <ul>
 *   <li>holds the request id in the MDC and the {@code X-Request-Id} response header, when
 *       something consumes it: ids are accepted or generated when the access log or tracing is on;
 *       otherwise (metrics alone) only a well-formed id sent by the caller is echoed, and none is
 *       generated;
 *   <li>counts the request in {@code http_requests_active} (metrics on, traffic only);
 *   <li>keeps the request's SERVER span current (tracing on, traffic only).
 * </ul>
 */
final class RequestScope implements Filter {

  private final HttpMetrics metrics;
  private final boolean generateIds;
  private final HttpServerTracing tracing;
  private final Set<String> untracedPaths;

  /**
   * @param metrics where in-flight requests are counted, or {@code null} when metrics are off
   * @param generateIds whether a request without a well-formed {@code X-Request-Id} gets a new id
   * @param tracing the server spans, or {@code null} when tracing is off
   * @param untracedPaths paths that are not traffic (probes, /metrics): no gauge movement, no span
   */
  RequestScope(
      HttpMetrics metrics,
      boolean generateIds,
      HttpServerTracing tracing,
      Set<String> untracedPaths) {
    this.metrics = metrics;
    this.generateIds = generateIds;
    this.tracing = tracing;
    this.untracedPaths = untracedPaths;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest req = (HttpServletRequest) request;
    HttpServletResponse res = (HttpServletResponse) response;
    String requestId = requestId(req.getHeader(RequestIds.HEADER));
    if (requestId != null) {
      res.setHeader(RequestIds.HEADER, requestId);
      MDC.put(RequestIds.MDC_KEY, requestId);
    }
    boolean traffic = !untracedPaths.contains(req.getRequestURI());
    boolean counted = traffic && metrics != null;
    if (counted) {
      metrics.requestStarted();
    }
    ActiveSpan span = null;
    Throwable failure = null;
    try {
      if (traffic && tracing != null) {
        span = tracing.start(req, res);
      }
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException e) {
      failure = e;
      throw e;
    } finally {
      if (counted) {
        metrics.requestFinished();
      }
      if (requestId != null) {
        MDC.remove(RequestIds.MDC_KEY);
      }
      if (span != null) {
        HttpServerTracing.finish(span, res.getStatus(), failure);
      }
    }
  }

  private String requestId(String received) {
    if (generateIds) {
      return RequestIds.acceptOrGenerate(received);
    }
    return received != null && RequestIds.isValid(received) ? received : null;
  }
}
