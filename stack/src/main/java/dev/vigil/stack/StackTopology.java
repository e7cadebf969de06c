package dev.vigil.stack;

import java.util.Arrays;
import java.util.List;

/**
 * How many replicas of each {@link Component} a stack runs: the single node of {@code vigil up}, or
 * the high-availability topology of {@code vigil up --profile ha} (docs/scaling.md).
 */
public enum StackTopology {
  /**
   * One of everything: one catalog on its embedded database, one Prometheus that scrapes, evaluates
   * and stores, one Alertmanager.
   */
  SINGLE_NODE,
  /**
   * Two catalogs behind HAProxy on one PostgreSQL, two vmagent scraper shards remote-writing into
   * VictoriaMetrics, two vmalert evaluating the same rules, two clustered Alertmanagers; no
   * Prometheus.
   */
  HA;

  /**
   * The components this topology runs, in start order.
   *
   * @return every component with at least one replica
   */
  public List<Component> components() {
    return Arrays.stream(Component.values()).filter(c -> replicas(c) > 0).toList();
  }

  /**
   * How many replicas of a component this topology runs.
   *
   * @param component the component
   * @return 0 (not part of this topology), 1 or 2
   */
  public int replicas(Component component) {
    return switch (this) {
      case SINGLE_NODE ->
          switch (component) {
            case POSTGRES, HAPROXY, VICTORIA_METRICS, VMAGENT, VMALERT -> 0;
            default -> 1;
          };
      case HA ->
          switch (component) {
            case PROMETHEUS -> 0;
            case CATALOG, ALERTMANAGER, VMAGENT, VMALERT -> 2;
            default -> 1;
          };
    };
  }
}
