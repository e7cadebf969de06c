package dev.vigil.payments;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.telemetry.http.JsonBody;
import dev.vigil.telemetry.http.ProblemException;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /admin/faults} and {@code PUT /admin/faults}: reads and changes the injected failures
 * and latency, as {@code {"failure_rate":0.5,"latency_ms":200}}. For tests and drills; bind the
 * service to loopback (the default) so only the operator can reach it.
 */
public final class FaultApi {

  private static final Logger LOG = LoggerFactory.getLogger(FaultApi.class);

  /** The body of {@code PUT /admin/faults}; both fields required. */
  record FaultSetting(
      @JsonProperty("failure_rate") Double failureRate,
      @JsonProperty("latency_ms") Long latencyMs) {}

  private final Faults faults;

  /**
   * @param faults the faults to read and change
   */
  public FaultApi(Faults faults) {
    this.faults = faults;
  }

  /**
   * {@code GET /admin/faults}: the current setting.
   *
   * @param ctx the request
   */
  public void get(Context ctx) {
    ctx.json(json(faults.current()));
  }

  /**
   * {@code PUT /admin/faults}: replaces the setting and answers the new one.
   *
   * @param ctx the request with body {@code {"failure_rate":0..1,"latency_ms":0..60000}}
   * @throws ProblemException 422 naming the field that is missing or out of range
   */
  public void put(Context ctx) {
    FaultSetting body = JsonBody.read(ctx, FaultSetting.class);
    if (body.failureRate() == null || !(body.failureRate() >= 0 && body.failureRate() <= 1)) {
      throw ProblemException.invalidField("failure_rate", "is required: a ratio from 0 to 1");
    }
    if (body.latencyMs() == null
        || body.latencyMs() < 0
        || body.latencyMs() > Faults.MAX_LATENCY.toMillis()) {
      throw ProblemException.invalidField(
          "latency_ms", "is required: an integer from 0 to " + Faults.MAX_LATENCY.toMillis());
    }
    Faults.Setting next =
        new Faults.Setting(body.failureRate(), Duration.ofMillis(body.latencyMs()));
    faults.set(next);
    LOG.atWarn()
        .addKeyValue("failure_rate", next.failureRate())
        .addKeyValue("latency_ms", body.latencyMs())
        .log(
            "injected faults set to failure_rate={} latency_ms={}",
            next.failureRate(),
            body.latencyMs());
    ctx.json(json(next));
  }

  private static Map<String, Object> json(Faults.Setting setting) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("failure_rate", setting.failureRate());
    json.put("latency_ms", setting.latency().toMillis());
    return json;
  }
}
