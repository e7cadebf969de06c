package dev.vigil.drills.fault;

import dev.vigil.prometheus.PromDuration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The faults API of a service that runs as several replicas behind a load balancer (the ha
 * topology's catalog behind HAProxy): a fault is set on every replica and cleared on every replica,
 * so that all of the service's traffic carries it, not only the share one replica serves.
 *
 * <p>Failures are never swallowed. Setting stops at the first replica that refuses or cannot be
 * reached, clears the fault again on the replicas already set (a fault on part of the traffic would
 * make the drill measure something else) and throws naming the replica. Clearing asks every
 * replica, even after one failed, and throws naming each replica that still holds the fault.
 */
public final class EveryReplicaAdminApi implements AdminApi {

  private final String service;
  private final List<AdminApi> replicas;

  /**
   * The faults API of every replica of one service.
   *
   * @param service the service's name, for messages, e.g. {@code catalog}
   * @param replicas the admin API of each replica, in replica order (each message names a replica
   *     by its 1-based position here)
   * @throws IllegalArgumentException when the list is empty
   */
  public EveryReplicaAdminApi(String service, List<? extends AdminApi> replicas) {
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException("no admin API given for any replica of " + service);
    }
    this.service = service;
    this.replicas = List.copyOf(replicas);
  }

  /**
   * Sets the fault on each replica in turn.
   *
   * @throws IllegalStateException when a replica refuses or cannot be reached: names it and its
   *     answer, and says on which replicas the fault was cleared again (or could not be)
   */
  @Override
  public void set(String fault, String target, Map<String, Object> params, PromDuration ttl) {
    List<Integer> set = new ArrayList<>();
    for (int i = 0; i < replicas.size(); i++) {
      try {
        replicas.get(i).set(fault, target, params, ttl);
        set.add(i);
      } catch (IllegalStateException e) {
        StringBuilder message =
            new StringBuilder("fault ")
                .append(fault)
                .append(" not set on ")
                .append(replica(i))
                .append(": ")
                .append(e.getMessage());
        for (int done : set) {
          try {
            replicas.get(done).clear(fault, target);
            message.append("; cleared again on ").append(replica(done));
          } catch (IllegalStateException undo) {
            message
                .append("; could not clear it again on ")
                .append(replica(done))
                .append(" (its ttl clears it): ")
                .append(undo.getMessage());
          }
        }
        throw new IllegalStateException(message.toString(), e);
      }
    }
  }

  /**
   * Clears the fault on every replica.
   *
   * @throws IllegalStateException when one or more replicas refuse or cannot be reached, naming
   *     each of them and its answer (the others are cleared)
   */
  @Override
  public void clear(String fault, String target) {
    List<String> failures = new ArrayList<>();
    IllegalStateException first = null;
    for (int i = 0; i < replicas.size(); i++) {
      try {
        replicas.get(i).clear(fault, target);
      } catch (IllegalStateException e) {
        failures.add(replica(i) + ": " + e.getMessage());
        first = first == null ? e : first;
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException(
          "fault "
              + fault
              + " not cleared on "
              + failures.size()
              + " of "
              + replicas.size()
              + " replicas of "
              + service
              + " (its ttl clears it there): "
              + String.join("; ", failures),
          first);
    }
  }

  private String replica(int index) {
    return "replica " + (index + 1) + " of " + replicas.size() + " of " + service;
  }
}
