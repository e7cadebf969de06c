package dev.vigil.drills.command;

import dev.vigil.drills.fault.AdminApis;
import dev.vigil.drills.fault.FaultPlan;
import dev.vigil.prometheus.AlertmanagerClient;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.Component;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackAdmin;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a drill runs: the service it sends traffic to, the Prometheus and Alertmanager that watch
 * it, the log of the receiver its Alertmanager notifies, the admin API of each service, and the
 * local stack when it is one ({@code stop} faults restart its processes).
 *
 * @param service the service's base URL (http or https, no path)
 * @param prometheus Prometheus's base URL
 * @param alertmanager Alertmanager's base URL
 * @param receiverLog the JSONL log of the vigil receiver the Alertmanager notifies
 * @param stack the local stack, or null for a deployment
 * @param admin admin API base URLs per service name ({@code catalog}, {@code payments}): one per
 *     replica (the ha topology's catalog has two; a fault goes to each)
 * @param adminToken the admin APIs' bearer token, or null when none is known
 * @param options how the user names each URL, for messages (e.g. {@code --prometheus URL})
 */
record DrillTarget(
    URI service,
    URI prometheus,
    URI alertmanager,
    Path receiverLog,
    LocalStack stack,
    Map<String, List<URI>> admin,
    String adminToken,
    Map<String, String> options) {

  /** Prometheus's port in deploy/ (compose, the local stack's default). */
  static final int PROMETHEUS_PORT = 9090;

  /** Alertmanager's port in deploy/. */
  static final int ALERTMANAGER_PORT = 9093;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * The local stack as {@code ./vigil up} recorded it.
   *
   * @param stack a stack whose state is recorded
   * @return its catalog, Prometheus, Alertmanager, receiver log and admin APIs
   */
  static DrillTarget local(LocalStack stack) {
    Map<String, List<URI>> admin = Map.of();
    String token = null;
    try {
      StackAdmin recorded = StackAdmin.read(stack.layout().root());
      admin = recorded.replicas();
      token = recorded.token();
    } catch (RuntimeException e) {
      // a stack without admin APIs: drills that need them say so
    }
    String hint = "is the local stack running? ./vigil status";
    return new DrillTarget(
        stack.url(Component.CATALOG),
        stack.url(Component.PROMETHEUS),
        stack.url(Component.ALERTMANAGER),
        stack.layout().notifications(),
        stack,
        admin,
        token,
        Map.of("service", hint, "prometheus", hint, "alertmanager", hint));
  }

  /**
   * A deployment the user names.
   *
   * @param service the service's base URL, http or https, with no path
   * @param prometheus Prometheus's URL, or null for the service's host on port {@value
   *     #PROMETHEUS_PORT}
   * @param alertmanager Alertmanager's URL, or null for the service's host on port {@value
   *     #ALERTMANAGER_PORT}
   * @param receiverLog the receiver's log; must not be null
   * @param admin admin API base URL per service name, may be empty
   * @param adminToken the bearer token of the admin APIs, or null
   * @return the target
   * @throws IllegalArgumentException when a URL is not http(s) with a host, or the service's URL
   *     has a path, naming the option and the fix
   */
  static DrillTarget deployment(
      URI service,
      URI prometheus,
      URI alertmanager,
      Path receiverLog,
      Map<String, URI> admin,
      String adminToken) {
    checkHttp(service, "--url");
    String path = service.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || service.getRawQuery() != null) {
      throw new IllegalArgumentException(
          "--url "
              + service
              + " has a path or query; give the service's root, e.g. "
              + service.getScheme()
              + "://"
              + service.getRawAuthority()
              + " (drills send requests to the paths of their files, e.g. /api/products)");
    }
    Map<String, URI> admins = new LinkedHashMap<>(admin);
    admins.forEach((name, url) -> checkHttp(url, "--admin " + name));
    Map<String, String> options = new LinkedHashMap<>();
    options.put("service", "check --url");
    options.put(
        "prometheus",
        prometheus == null
            ? "derived from --url's host; name it with --prometheus URL"
            : "check --prometheus");
    options.put(
        "alertmanager",
        alertmanager == null
            ? "derived from --url's host; name it with --alertmanager URL"
            : "check --alertmanager");
    URI prom = prometheus != null ? prometheus : onPort(service, PROMETHEUS_PORT);
    URI am = alertmanager != null ? alertmanager : onPort(service, ALERTMANAGER_PORT);
    checkHttp(prom, "--prometheus");
    checkHttp(am, "--alertmanager");
    Map<String, List<URI>> replicas = new LinkedHashMap<>();
    admins.forEach((name, url) -> replicas.put(name, List.of(url)));
    return new DrillTarget(
        service, prom, am, receiverLog, null, Map.copyOf(replicas), adminToken, options);
  }

  /**
   * How the drill's faults are performed here.
   *
   * @return the plan: traffic to {@link #service}, {@code stop} only on a local stack, the admin
   *     APIs with the token (an admin fault goes to every replica of its service)
   */
  FaultPlan plan() {
    return new FaultPlan(service, stack, AdminApis.of(admin, adminToken));
  }

  /**
   * Asks the service, Prometheus and Alertmanager once each.
   *
   * @return one sentence per part that does not answer (what, where, why, what to do); empty when
   *     all answer
   */
  List<String> unreachable() {
    List<String> out = new ArrayList<>();
    try {
      HTTP.send(
          HttpRequest.newBuilder(service.resolve("/")).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      out.add(silent("the service", service, e, options.get("service")));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.add("interrupted while asking the service at " + service);
      return out;
    }
    try {
      new PrometheusClient(prometheus).alertRules();
    } catch (IOException e) {
      out.add(silent("Prometheus", prometheus, e, options.get("prometheus")));
    }
    try {
      new AlertmanagerClient(alertmanager).alerts();
    } catch (IOException e) {
      out.add(silent("Alertmanager", alertmanager, e, options.get("alertmanager")));
    }
    return out;
  }

  private static String silent(String what, URI where, IOException e, String fix) {
    return what + " at " + where + " does not answer (" + reason(e) + "); " + fix;
  }

  /**
   * The root cause in a few words, e.g. {@code ConnectException}; the client's own hints left out.
   */
  private static String reason(IOException e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    if (root == e) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  private static void checkHttp(URI url, String option) {
    if (url == null
        || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
        || url.getHost() == null) {
      throw new IllegalArgumentException(
          option
              + " "
              + url
              + " is not an http:// or https:// URL with a host; write e.g."
              + " https://shop.example.com or http://127.0.0.1:8000");
    }
  }

  private static URI onPort(URI service, int port) {
    try {
      return new URI(service.getScheme(), null, service.getHost(), port, null, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "cannot derive a URL on port " + port + " from " + service);
    }
  }
}
