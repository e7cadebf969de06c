package dev.vigil.stack;

import java.util.List;

/**
 * The processes of the local stack, in start order: the alert receiver, the trace backend and the services
 * first, Prometheus last so that its first scrape finds every target up.
 */
public enum Component {
  /** vigil's local alert receiver (Alertmanager webhooks to JSONL), a Java process. */
  RECEIVER("receiver", "/readyz", List.of(), null),
  /** The trace backend with its web UI: Zipkin server's executable jar, a Java process. */
  TRACE_BACKEND("zipkin", "/health", List.of(), null),
  /** The payment provider the catalog calls for orders, a Java process ({@code vigil payments}). */
  PAYMENTS("payments", "/readyz", List.of(), null),
  /** The reference service, a Java process ({@code vigil catalog}). */
  CATALOG("catalog", "/readyz", List.of(), null),
  /** Host metrics (CPU, memory, disk). */
  NODE_EXPORTER(
      "node_exporter", "/metrics", List.of("prometheus-node-exporter", "node_exporter"),
      "prometheus-node-exporter"),
  /** Black-box probes of the catalog's /healthz. */
  BLACKBOX_EXPORTER(
      "blackbox_exporter", "/metrics", List.of("prometheus-blackbox-exporter", "blackbox_exporter"),
      "prometheus-blackbox-exporter"),
  /** Routes, groups and inhibits alerts, then notifies receivers. */
  ALERTMANAGER(
      "alertmanager", "/-/ready", List.of("prometheus-alertmanager", "alertmanager"),
      "prometheus-alertmanager"),
  /** Scrapes targets, evaluates rules, sends alerts to Alertmanager. */
  PROMETHEUS("prometheus", "/-/ready", List.of("prometheus"), "prometheus");

  private final String id;
  private final String readinessPath;
  private final List<String> binaries;
  private final String debianPackage;

  Component(String id, String readinessPath, List<String> binaries, String debianPackage) {
    this.id = id;
    this.readinessPath = readinessPath;
    this.binaries = binaries;
    this.debianPackage = debianPackage;
  }

  /**
   * The short name used in pid and log file names and in messages, e.g. {@code node_exporter}.
   *
   * @return the component id
   */
  public String id() {
    return id;
  }

  /**
   * The HTTP path that answers 200 once the component is ready, e.g. {@code /-/ready}.
   *
   * @return the readiness path
   */
  public String readinessPath() {
    return readinessPath;
  }

  /**
   * Executable names to look up on PATH, preferred first (Debian's name, then upstream's); empty for the
   * Java components that vigil runs itself.
   *
   * @return candidate executable names
   */
  public List<String> binaries() {
    return binaries;
  }

  /**
   * The Debian package that provides the binary, or {@code null} for vigil's own components.
   *
   * @return the package name for {@code apt-get install}
   */
  public String debianPackage() {
    return debianPackage;
  }
}
