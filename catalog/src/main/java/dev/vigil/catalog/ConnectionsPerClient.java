package dev.vigil.catalog;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;

/**
 * Limits the connections one client address holds open at once: a connection beyond the limit is
 * closed as soon as it opens, before anything is read from it, and counted in {@code
 * http_connections_refused_total{reason="per_client_limit"}}. One client trickling bytes into many
 * connections then cannot take every socket and file descriptor of the service.
 *
 * <p>Added to a connector as a bean. Behind a proxy every connection comes from the proxy's
 * address: raise the limit there, or turn it off ({@code 0}).
 */
final class ConnectionsPerClient implements Connection.Listener {

  private final int limit;
  private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();

  /**
   * The address each open connection was counted under: a closed endpoint may no longer know its
   * remote address, and a count not given back would refuse every later connection from it.
   */
  private final Map<Connection, InetAddress> counted = new ConcurrentHashMap<>();

  private final CounterDataPoint refused;

  /**
   * @param limit most connections open at once from one IP address, >= 1
   * @param registry where {@code http_connections_refused_total} is registered
   */
  ConnectionsPerClient(int limit, PrometheusRegistry registry) {
    this.limit = limit;
    this.refused =
        Counter.builder()
            .name("http_connections_refused_total")
            .help("Connections closed as soon as they opened, by reason")
            .labelNames("reason")
            .register(registry)
            .labelValues("per_client_limit");
  }

  @Override
  public void onOpened(Connection connection) {
    InetAddress client = address(connection);
    if (client == null) {
      return;
    }
    counted.put(connection, client);
    int now = open.merge(client, 1, Integer::sum);
    if (now > limit) {
      refused.inc();
      connection.getEndPoint().close();
    }
  }

  @Override
  public void onClosed(Connection connection) {
    InetAddress client = counted.remove(connection);
    if (client == null) {
      return;
    }
    open.computeIfPresent(client, (a, count) -> count <= 1 ? null : count - 1);
  }

  /** Connections open now from one address (for tests and diagnosis). */
  int openFrom(InetAddress client) {
    return open.getOrDefault(client, 0);
  }

  private static InetAddress address(Connection connection) {
    SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }
}
