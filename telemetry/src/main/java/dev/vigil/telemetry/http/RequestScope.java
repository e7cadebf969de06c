package dev.vigil.telemetry.http;

import dev.vigil.telemetry.logging.RequestIds;
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
 * A servlet filter around every request: sets the request id (MDC and {@code X-Request-Id} response
 * header) and counts the request in {@code http_requests_active} for exactly as long as it runs, even
 * when writing the response fails.
 */
final class RequestScope implements Filter {

  private final HttpMetrics metrics;
  private final Set<String> untracedPaths;

  /**
   * @param metrics where in-flight requests are counted, or {@code null} when metrics are off
   * @param untracedPaths paths that are not traffic (probes, /metrics): no gauge movement
   */
  RequestScope(HttpMetrics metrics, Set<String> untracedPaths) {
    this.metrics = metrics;
    this.untracedPaths = untracedPaths;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest req = (HttpServletRequest) request;
    HttpServletResponse res = (HttpServletResponse) response;
    String requestId = RequestIds.acceptOrGenerate(req.getHeader(RequestIds.HEADER));
    res.setHeader(RequestIds.HEADER, requestId);
    MDC.put(RequestIds.MDC_KEY, requestId);
    boolean counted = metrics != null && !untracedPaths.contains(req.getRequestURI());
    if (counted) {
      metrics.requestStarted();
    }
    try {
      chain.doFilter(request, response);
    } finally {
      if (counted) {
        metrics.requestFinished();
      }
      MDC.remove(RequestIds.MDC_KEY);
    }
  }
}
