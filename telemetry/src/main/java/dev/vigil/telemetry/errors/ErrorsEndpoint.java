package dev.vigil.telemetry.errors;

import dev.vigil.telemetry.http.JsonBody;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /admin/errors}: the error groups of the service, the most recently seen first, as
 * JSON. Mounted on the admin server (token, loopback), never on the public port: messages and
 * frames describe the code.
 *
 * <pre>
 * {"service":"catalog","release":"0.1.0","groups":[{"fingerprint":"3f2a...","type":"java.lang.IllegalStateException",
 *   "message":"...","frames":["dev.vigil.catalog.pipeline.Pipeline#fail"],"release":"0.1.0","count":3,
 *   "first_seen":"2026-12-02T06:00:00Z","last_seen":"2026-12-02T06:05:00Z",
 *   "trace_ids":["4bf92f3577b34da6a3ce929d0e0e4736"],"request_ids":["..."],"workers":[]}]}
 * </pre>
 */
public final class ErrorsEndpoint implements Handler {

  private final ErrorTracker tracker;

  /**
   * @param tracker the service's error tracker, e.g. {@code telemetry.errors()}
   */
  public ErrorsEndpoint(ErrorTracker tracker) {
    this.tracker = tracker;
  }

  @Override
  public void handle(Context ctx) throws Exception {
    List<Map<String, Object>> groups = tracker.groups().stream().map(ErrorGroup::toJson).toList();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service", tracker.service());
    body.put("release", tracker.release());
    body.put("groups", groups);
    ctx.contentType("application/json").result(JsonBody.mapper().writeValueAsBytes(body));
  }
}
