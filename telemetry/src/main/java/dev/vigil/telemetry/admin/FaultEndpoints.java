package dev.vigil.telemetry.admin;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.prometheus.PromDuration;
import dev.vigil.telemetry.http.JsonBody;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The handlers of {@code /admin/faults} over a {@link FaultRegistry}; see {@link AdminServer}. */
final class FaultEndpoints {

  private final FaultRegistry faults;

  FaultEndpoints(FaultRegistry faults) {
    this.faults = faults;
  }

  /** {@code GET /admin/faults}: {@code {"faults":[entry...]}}. */
  void list(Context ctx) {
    ctx.json(Map.of("faults", faults.active().stream().map(ActiveFault::toJson).toList()));
  }

  /** {@code PUT /admin/faults/{fault}}: sets it, answers the entry; 400 naming a bad field. */
  void set(Context ctx) {
    JsonNode body = body(ctx);
    String target = text(body, "target");
    Duration ttl = ttl(text(body, "ttl"));
    Map<String, Number> params = new LinkedHashMap<>();
    JsonNode p = body.path("params");
    if (!p.isMissingNode() && !p.isNull()) {
      if (!p.isObject()) {
        throw rejected("params", "params must be a JSON object of numbers, e.g. {\"ratio\":0.5}");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNumber()) {
          throw rejected(
              "params." + e.getKey(),
              "params." + e.getKey() + " must be a JSON number, not " + e.getValue());
        }
        params.put(e.getKey(), e.getValue().numberValue());
      }
    }
    try {
      ActiveFault f = faults.set(ctx.pathParam("fault"), target, params, ttl, AdminServer.who(ctx));
      ctx.json(f.toJson());
    } catch (FaultRejected e) {
      throw rejected(e.field(), e.getMessage());
    }
  }

  /** {@code DELETE /admin/faults/{fault}[?target=]}: 204. */
  void clear(Context ctx) {
    try {
      faults.clear(ctx.pathParam("fault"), ctx.queryParam("target"), AdminServer.who(ctx));
      ctx.status(204);
    } catch (FaultRejected e) {
      throw rejected(e.field(), e.getMessage());
    }
  }

  /** {@code DELETE /admin/faults}: 204. */
  void clearAll(Context ctx) {
    faults.clearAll(AdminServer.who(ctx));
    ctx.status(204);
  }

  private static JsonNode body(Context ctx) {
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length == 0 || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      return JsonBody.mapper().createObjectNode();
    }
    try {
      JsonNode node = JsonBody.mapper().readTree(bytes);
      if (node == null || !node.isObject()) {
        throw rejected(
            "body",
            "the body must be a JSON object such as"
                + " {\"target\":\"*\",\"params\":{\"ratio\":0.5},\"ttl\":\"10m\"}");
      }
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!List.of("target", "params", "ttl").contains(name)) {
          throw rejected(name, "unknown member '" + name + "': send target, params and ttl only");
        }
      }
      return node;
    } catch (JacksonException e) {
      throw rejected("body", "malformed JSON: fix the syntax and resend");
    } catch (IOException e) {
      throw rejected("body", "the request body could not be read: resend it");
    }
  }

  private static String text(JsonNode body, String member) {
    JsonNode n = body.path(member);
    if (n.isMissingNode() || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw rejected(member, member + " must be a JSON string");
    }
    return n.asText();
  }

  /**
   * Parses a ttl in Prometheus' duration grammar ({@link PromDuration}, the one grammar drills and
   * {@code vigil fault} send).
   *
   * @param text e.g. {@code 10m}, {@code 1h30m}, {@code 500ms}, or {@code null} for none
   * @return the duration, or {@code null}
   * @throws ProblemException 400 naming {@code ttl} when it is not a duration or is zero
   */
  static Duration ttl(String text) {
    if (text == null) {
      return null;
    }
    PromDuration ttl;
    try {
      ttl = PromDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw rejected(
          "ttl",
          "ttl '"
              + text
              + "' is not a duration: write it like Prometheus, e.g. 30s, 10m, 1h30m ("
              + e.getMessage()
              + ")");
    }
    if (ttl.millis() == 0) {
      throw rejected("ttl", "ttl must be positive, e.g. 10m; leave it out for no expiry");
    }
    return ttl.toDuration();
  }

  private static ProblemException rejected(String field, String detail) {
    return new ProblemException(Problem.of(400, detail).with("field", field));
  }
}
