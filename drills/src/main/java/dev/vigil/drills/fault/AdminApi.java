package dev.vigil.drills.fault;

import dev.vigil.prometheus.PromDuration;
import java.util.Map;

/**
 * The faults part of a service's admin API (the contract in docs/drills.md: {@code PUT} and {@code
 * DELETE /admin/faults/{fault}} behind a bearer token). Drills set a fault through it and clear it
 * on recovery.
 */
public interface AdminApi {

  /**
   * Sets a fault ({@code PUT /admin/faults/{fault}}).
   *
   * @param fault e.g. {@code http_errors}
   * @param target route template or statement name, or null for every target ({@code *})
   * @param params the fault's parameters, e.g. {@code {ratio: 0.5}}
   * @param ttl expiry of the fault, positive, or null for none
   * @throws IllegalStateException when the service refuses (its problem detail in the message) or
   *     cannot be reached
   */
  void set(String fault, String target, Map<String, Object> params, PromDuration ttl);

  /**
   * Clears a fault ({@code DELETE /admin/faults/{fault}[?target=]}).
   *
   * @param fault e.g. {@code http_errors}
   * @param target the target it was set on, or null
   * @throws IllegalStateException when the service refuses or cannot be reached
   */
  void clear(String fault, String target);
}
