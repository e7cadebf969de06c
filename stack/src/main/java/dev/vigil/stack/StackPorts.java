package dev.vigil.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loopback TCP ports of one local stack.
 *
 * @param catalog the catalog service (default 8000)
 * @param payments the payment provider (default 8001)
 * @param prometheus the Prometheus HTTP API (default 9090): Prometheus, or in the ha topology
 *     VictoriaMetrics, which serves the same API there (so {@code vigil slo report}'s default
 *     reaches either)
 * @param alertmanager Alertmanager (default 9093), the first replica in the ha topology
 * @param receiver vigil's alert receiver (default 9095)
 * @param nodeExporter node_exporter (default 9100)
 * @param blackboxExporter blackbox_exporter (default 9115)
 * @param traceBackend the trace backend, Zipkin with its web UI (default 9411)
 * @param console the vigil console (default 3000)
 * @param catalogAdmin the catalog's admin API (default 8010; only with a token, see {@link
 *     StackAdmin})
 * @param paymentsAdmin the payment provider's admin API (default 8011)
 * @param more the ports of the ha topology's further listeners, by name ({@link #HA_NAMES}):
 *     PostgreSQL, each catalog replica and the second one's admin API (the {@code catalog} port is
 *     then HAProxy's), the second Alertmanager, both Alertmanagers' cluster (gossip) ports, each
 *     vmagent and each vmalert; empty for the single node
 */
public record StackPorts(
    int catalog,
    int payments,
    int prometheus,
    int alertmanager,
    int receiver,
    int nodeExporter,
    int blackboxExporter,
    int traceBackend,
    int console,
    int catalogAdmin,
    int paymentsAdmin,
    Map<String, Integer> more) {

  /** The names of the ha topology's further ports, in {@link #more()}. */
  public static final List<String> HA_NAMES =
      List.of(
          "postgres",
          "catalog-1",
          "catalog-2",
          "catalog-admin-2",
          "alertmanager-2",
          "alertmanager-cluster-1",
          "alertmanager-cluster-2",
          "vmagent-1",
          "vmagent-2",
          "vmalert-1",
          "vmalert-2");

  /** Copies the map; a state file written before the ha topology has none. */
  public StackPorts {
    more = more == null ? Map.of() : Map.copyOf(more);
  }

  /**
   * The ports of a single-node stack.
   *
   * @param catalog the catalog service
   * @param payments the payment provider
   * @param prometheus Prometheus
   * @param alertmanager Alertmanager
   * @param receiver vigil's alert receiver
   * @param nodeExporter node_exporter
   * @param blackboxExporter blackbox_exporter
   * @param traceBackend the trace backend
   * @param console the vigil console
   * @param catalogAdmin the catalog's admin API
   * @param paymentsAdmin the payment provider's admin API
   */
  public StackPorts(
      int catalog,
      int payments,
      int prometheus,
      int alertmanager,
      int receiver,
      int nodeExporter,
      int blackboxExporter,
      int traceBackend,
      int console,
      int catalogAdmin,
      int paymentsAdmin) {
    this(
        catalog,
        payments,
        prometheus,
        alertmanager,
        receiver,
        nodeExporter,
        blackboxExporter,
        traceBackend,
        console,
        catalogAdmin,
        paymentsAdmin,
        Map.of());
  }

  /**
   * The default ports, which the files under {@code deploy/} use: catalog 8000, payments 8001,
   * Prometheus 9090, Alertmanager 9093, receiver 9095, node_exporter 9100, blackbox_exporter 9115,
   * Zipkin 9411, console 3000, the catalog's admin API 8010, the payment provider's 8011.
   *
   * @return the default ports
   */
  public static StackPorts defaults() {
    return new StackPorts(8000, 8001, 9090, 9093, 9095, 9100, 9115, 9411, 3000, 8010, 8011);
  }

  /**
   * The default ports of the ha topology: those of {@link #defaults()}, with VictoriaMetrics on the
   * Prometheus API's 9090 and HAProxy on the catalog's 8000, plus PostgreSQL 5433, catalog replicas
   * 8002 and 8003 (admin APIs 8010 and 8012), the second Alertmanager 9193, cluster ports 9094 and
   * 9194, vmagent 8429 and 8430, vmalert 8880 and 8881.
   *
   * @return the ha topology's default ports
   */
  public static StackPorts haDefaults() {
    List<Integer> ports = List.of(5433, 8002, 8003, 8012, 9193, 9094, 9194, 8429, 8430, 8880, 8881);
    Map<String, Integer> more = new LinkedHashMap<>();
    for (int i = 0; i < HA_NAMES.size(); i++) {
      more.put(HA_NAMES.get(i), ports.get(i));
    }
    StackPorts d = defaults();
    return new StackPorts(
        d.catalog,
        d.payments,
        d.prometheus,
        d.alertmanager,
        d.receiver,
        d.nodeExporter,
        d.blackboxExporter,
        d.traceBackend,
        d.console,
        d.catalogAdmin,
        d.paymentsAdmin,
        more);
  }

  /**
   * Eleven distinct ports that were free on 127.0.0.1 a moment ago (for tests: never the defaults).
   *
   * @return random free ports
   * @throws UncheckedIOException when no port can be bound
   */
  public static StackPorts random() {
    return random(List.of());
  }

  /**
   * Random free ports for the eleven ports of every stack and for further named ones, e.g. {@link
   * #HA_NAMES}.
   *
   * @param names the names of the further ports
   * @return random free ports, all distinct
   * @throws UncheckedIOException when no port can be bound
   */
  public static StackPorts random(List<String> names) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] p = new int[11 + names.size()];
      for (int i = 0; i < p.length; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(socket);
        p[i] = socket.getLocalPort();
      }
      Map<String, Integer> more = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        more.put(names.get(i), p[11 + i]);
      }
      return new StackPorts(
          p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], more);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find free loopback ports: " + e.getMessage(), e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing a probe socket cannot fail in a way that matters
        }
      }
    }
  }

  /**
   * The port where clients reach a component: the catalog's is HAProxy's in the ha topology, the
   * Prometheus API's is VictoriaMetrics' there, Alertmanager's is its first replica's.
   *
   * @param component the component
   * @return its TCP port
   * @throws IllegalStateException for PostgreSQL, vmagent or vmalert in a single-node plan
   */
  public int of(Component component) {
    return switch (component) {
      case RECEIVER -> receiver;
      case TRACE_BACKEND -> traceBackend;
      case PAYMENTS -> payments;
      case CATALOG, HAPROXY -> catalog;
      case NODE_EXPORTER -> nodeExporter;
      case BLACKBOX_EXPORTER -> blackboxExporter;
      case ALERTMANAGER -> alertmanager;
      case PROMETHEUS, VICTORIA_METRICS -> prometheus;
      case CONSOLE -> console;
      case POSTGRES -> more("postgres");
      case VMAGENT -> more("vmagent-1");
      case VMALERT -> more("vmalert-1");
    };
  }

  /**
   * The port one replica listens on: a catalog replica behind HAProxy has its own, the second
   * Alertmanager, vmagent and vmalert theirs; a component that runs once listens where clients
   * reach it ({@link #of(Component)}).
   *
   * @param replica the replica
   * @return its TCP port
   * @throws IllegalStateException when the plan has no port for it
   */
  public int of(Replica replica) {
    Component c = replica.component();
    int n = replica.number();
    return switch (c) {
      case CATALOG -> replica.count() == 1 ? catalog : more("catalog-" + n);
      case ALERTMANAGER -> n == 1 ? alertmanager : more("alertmanager-" + n);
      case VMAGENT, VMALERT -> more(c.id() + "-" + n);
      default -> of(c);
    };
  }

  /**
   * The admin API port of a catalog replica.
   *
   * @param replica a catalog replica
   * @return {@link #catalogAdmin()} for the first, {@code catalog-admin-<n>} for the others
   */
  public int catalogAdmin(Replica replica) {
    return replica.number() == 1 ? catalogAdmin : more("catalog-admin-" + replica.number());
  }

  /**
   * One of the ha topology's further ports.
   *
   * @param name one of {@link #HA_NAMES}, e.g. {@code vmagent-2}
   * @return its TCP port
   * @throws IllegalStateException when these ports have none of that name (a single-node stack)
   */
  public int more(String name) {
    Integer port = more.get(name);
    if (port == null) {
      throw new IllegalStateException(
          "no port '"
              + name
              + "' in this stack's port plan ("
              + more.keySet()
              + "): it is"
              + " planned for the ha profile only; run ./vigil down and ./vigil up --profile ha");
    }
    return port;
  }

  /**
   * How each default port maps to this profile's port, for rewriting {@code 127.0.0.1:<port>} in
   * configs.
   *
   * @return default port to this port, for every port
   */
  public Map<Integer, Integer> fromDefaults() {
    StackPorts d = defaults();
    Map<Integer, Integer> map = new LinkedHashMap<>();
    map.put(d.catalog, catalog);
    map.put(d.payments, payments);
    map.put(d.prometheus, prometheus);
    map.put(d.alertmanager, alertmanager);
    map.put(d.receiver, receiver);
    map.put(d.nodeExporter, nodeExporter);
    map.put(d.blackboxExporter, blackboxExporter);
    map.put(d.traceBackend, traceBackend);
    map.put(d.console, console);
    map.put(d.catalogAdmin, catalogAdmin);
    map.put(d.paymentsAdmin, paymentsAdmin);
    return map;
  }
}
