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
 * @param prometheus Prometheus (default 9090)
 * @param alertmanager Alertmanager (default 9093)
 * @param receiver vigil's alert receiver (default 9095)
 * @param nodeExporter node_exporter (default 9100)
 * @param blackboxExporter blackbox_exporter (default 9115)
 * @param traceBackend the trace backend, Zipkin with its web UI (default 9411)
 * @param console the vigil console (default 3000)
 * @param catalogAdmin the catalog's admin API (default 8010; only with a token, see {@link
 *     StackAdmin})
 * @param paymentsAdmin the payment provider's admin API (default 8011)
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
    int paymentsAdmin) {

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
   * Eleven distinct ports that were free on 127.0.0.1 a moment ago (for tests: never the defaults).
   *
   * @return random free ports
   * @throws UncheckedIOException when no port can be bound
   */
  public static StackPorts random() {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] p = new int[11];
      for (int i = 0; i < p.length; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(socket);
        p[i] = socket.getLocalPort();
      }
      return new StackPorts(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10]);
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
   * The port a component listens on.
   *
   * @param component the component
   * @return its TCP port
   */
  public int of(Component component) {
    return switch (component) {
      case RECEIVER -> receiver;
      case TRACE_BACKEND -> traceBackend;
      case PAYMENTS -> payments;
      case CATALOG -> catalog;
      case NODE_EXPORTER -> nodeExporter;
      case BLACKBOX_EXPORTER -> blackboxExporter;
      case ALERTMANAGER -> alertmanager;
      case PROMETHEUS -> prometheus;
      case CONSOLE -> console;
    };
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
