package dev.vigil.telemetry.admin;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fault that is on: what, where, how, who set it, since when and until when.
 *
 * @param fault the fault's name, e.g. {@code http_errors}
 * @param target what it acts on, e.g. {@code /api/products} or {@code *}
 * @param params its validated parameters (whole ones as {@link Long})
 * @param setBy the token name of whoever set it
 * @param since when it was set
 * @param expiresAt when it heals by itself, or {@code null} for never
 */
public record ActiveFault(
    String fault,
    String target,
    Map<String, Number> params,
    String setBy,
    Instant since,
    Instant expiresAt) {

  /** Copies the parameters. */
  public ActiveFault {
    params = Map.copyOf(params);
  }

  /**
   * A parameter's value.
   *
   * @param name e.g. {@code ratio}
   * @param fallback returned when the parameter is not set
   * @return the value
   */
  public double param(String name, double fallback) {
    Number n = params.get(name);
    return n == null ? fallback : n.doubleValue();
  }

  /**
   * Whether it has expired.
   *
   * @param now the current time
   * @return true from {@code expiresAt} on
   */
  public boolean expired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /**
   * The entry as the admin API shows it: {@code
   * {"fault","target","params","setBy","since","expiresAt"}} with ISO-8601 UTC times.
   *
   * @return an ordered map for a JSON writer
   */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("fault", fault);
    json.put("target", target);
    json.put("params", new java.util.TreeMap<>(params));
    json.put("setBy", setBy);
    json.put("since", since.toString());
    json.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
    return json;
  }
}
