package dev.vigil.telemetry.http;

import dev.vigil.telemetry.logging.AccessLog;
import io.javalin.config.JavalinState;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;

/**
 * Installs the per-request instrumentation into a Javalin application: the request scope filter
 * (request id, in-flight gauge) and the response recorder (RED metrics, access log).
 */
public final class HttpInstrumentation {

  private HttpInstrumentation() {}

  /**
   * Installs the instrumentation.
   *
   * @param state the application being configured
   * @param metrics RED metrics, or {@code null} when metrics are off
   * @param accessLog the access log, or {@code null} when it is off
   * @param untracedPaths paths that are not traffic: never counted nor logged (probes, /metrics)
   */
  public static void install(JavalinState state, HttpMetrics metrics, AccessLog accessLog,
      Set<String> untracedPaths) {
    RequestScope scope = new RequestScope(metrics, untracedPaths);
    state.jetty.modifyServletContextHandler(handler ->
        handler.addFilter(new FilterHolder(scope), "/*", EnumSet.of(DispatcherType.REQUEST)));
    if (metrics != null || accessLog != null) {
      state.requestLogger.http(new ResponseRecorder(metrics, accessLog, state.internalRouter, untracedPaths));
    }
  }
}
