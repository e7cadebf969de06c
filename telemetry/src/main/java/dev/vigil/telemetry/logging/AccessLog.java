package dev.vigil.telemetry.logging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per request on the logger {@code http.access}, with the fields {@code method},
 * {@code endpoint} (route template), {@code path} (without query string, which may carry secrets),
 * {@code status}, {@code duration_ms} and {@code bytes}; {@code request_id} comes from the MDC.
 * Headers are never logged, so Authorization and Cookie values cannot leak.
 */
public final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger("http.access");

  /**
   * Writes the line for one request.
   *
   * @param method the HTTP method, e.g. {@code GET}
   * @param endpoint the route template or {@code NOT_FOUND}
   * @param path the request path without query string
   * @param status the response status code
   * @param durationMs the time from request received to response written, in milliseconds
   * @param bytes response body bytes written, or -1 when unknown
   */
  public void record(String method, String endpoint, String path, int status, double durationMs, long bytes) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    LOG.atInfo()
        .addKeyValue("method", method)
        .addKeyValue("endpoint", endpoint)
        .addKeyValue("path", path)
        .addKeyValue("status", status)
        .addKeyValue("duration_ms", Math.round(durationMs * 1000.0) / 1000.0)
        .addKeyValue("bytes", bytes)
        .log("{} {} {}", method, path, status);
  }
}
