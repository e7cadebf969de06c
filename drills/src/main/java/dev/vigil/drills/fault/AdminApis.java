package dev.vigil.drills.fault;

import dev.vigil.stack.StackAdmin;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Chooses the {@link AdminApi} a drill's fault goes through: one service's admin API over HTTP, or
 * every replica's when the service runs several ({@link EveryReplicaAdminApi}).
 */
public final class AdminApis {

  private AdminApis() {}

  /**
   * The admin APIs of a local stack, as {@link FaultPlan} takes them.
   *
   * @param admin the stack's admin URLs and token ({@link StackAdmin#read})
   * @return per service name, its admin API (every replica's when it runs several); empty for a
   *     service without one
   */
  public static Function<String, Optional<AdminApi>> of(StackAdmin admin) {
    return service ->
        admin.urls().containsKey(service)
            ? Optional.of(of(service, admin.replicaUrls(service), admin.token()))
            : Optional.empty();
  }

  /**
   * The admin APIs of services given by their replicas' URLs.
   *
   * @param replicas per service name, the admin base URL of each replica
   * @param token the bearer token, or null when none is known (then no service has an admin API)
   * @return per service name, its admin API; empty when unknown or without a token
   */
  public static Function<String, Optional<AdminApi>> of(
      Map<String, List<URI>> replicas, String token) {
    return service ->
        token != null && replicas.containsKey(service) && !replicas.get(service).isEmpty()
            ? Optional.of(of(service, replicas.get(service), token))
            : Optional.empty();
  }

  /**
   * The admin API of one service.
   *
   * @param service the service's name, e.g. {@code catalog}
   * @param replicas the admin base URL of each replica, at least one
   * @param token the bearer token
   * @return an {@link HttpAdminApi} for one replica, an {@link EveryReplicaAdminApi} over one
   *     {@link HttpAdminApi} per replica for several
   * @throws IllegalArgumentException when no URL is given
   */
  public static AdminApi of(String service, List<URI> replicas, String token) {
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException("no admin URL given for " + service);
    }
    if (replicas.size() == 1) {
      return new HttpAdminApi(replicas.getFirst(), token);
    }
    return new EveryReplicaAdminApi(
        service, replicas.stream().map(url -> new HttpAdminApi(url, token)).toList());
  }
}
