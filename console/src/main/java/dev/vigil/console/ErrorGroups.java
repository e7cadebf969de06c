package dev.vigil.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.stack.AdminClient;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The errors page's data: each service's error groups, read from its admin API ({@code GET
 * /admin/errors}, telemetry's {@code ErrorsEndpoint}) with the bearer token the stack keeps in its
 * state directory. The token is read from its file on every request (each {@code ./vigil up} writes
 * a new one) and only ever sent to the admin APIs, never to the browser.
 *
 * <p>Each service comes back with a {@code state}, so the page can say what is wrong instead of
 * failing: {@code ok}, {@code no token} (no token file: the admin APIs are off), {@code
 * unreachable} (nothing answers on the admin port), {@code refused} (401: the token belongs to
 * another start of the stack) or {@code error} (any other answer).
 */
final class ErrorGroups {

  /** How long one admin API may take to answer; the page shows the others meanwhile. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Map<String, URI> adminApis;
  private final Path tokenFile;

  /**
   * @param adminApis admin API base URLs by service name, in page order
   * @param tokenFile the stack's token file, {@code <state dir>/admin-token}; it may not exist
   */
  ErrorGroups(Map<String, URI> adminApis, Path tokenFile) {
    this.adminApis = adminApis;
    this.tokenFile = tokenFile;
  }

  /**
   * Every service's error groups, the admin APIs asked at once.
   *
   * @return {@code {services: [{service, admin_url, state, detail, release, groups: [{fingerprint,
   *     type, message, frames, release, count, first_seen, last_seen, trace_ids, request_ids}]}]}},
   *     services in configuration order, groups as the service orders them (latest seen first);
   *     trace ids that are not W3C trace ids are dropped
   */
  Map<String, Object> services() {
    String token = token();
    List<ParallelCalls.Call<Map<String, Object>>> calls = new ArrayList<>();
    adminApis.forEach((service, url) -> calls.add(() -> service(service, url, token)));
    List<Map<String, Object>> services;
    try {
      services = ParallelCalls.all(calls);
    } catch (IOException e) {
      throw new IllegalStateException("an admin API call failed outside its own handling", e);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("services", services);
    return body;
  }

  /**
   * The token in {@link AdminClient#token}'s order (the stack's file, else {@code
   * VIGIL_ADMIN_TOKEN}), or null when neither holds one.
   */
  private String token() {
    return AdminClient.token(Optional.empty(), Optional.of(tokenFile), System.getenv())
        .orElse(null);
  }

  private Map<String, Object> service(String service, URI url, String token) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", service);
    m.put("admin_url", url.toString());
    if (token == null) {
      return state(
          m,
          "no token",
          "no admin token in "
              + tokenFile
              + ": without one the services' admin APIs are off. Start the stack with ./vigil up,"
              + " which writes it (the console reads it there, server-side only).");
    }
    AdminClient.Answer response;
    try {
      response = new AdminClient(url, token, TIMEOUT).get("/admin/errors");
    } catch (IOException e) {
      return state(
          m,
          "unreachable",
          service
              + "'s admin API at "
              + url
              + " does not answer ("
              + e.getClass().getSimpleName()
              + "): is "
              + service
              + " running with VIGIL_ADMIN_TOKEN set? ./vigil up starts it so; ./vigil status"
              + " shows what runs.");
    }
    if (response.status() == 401) {
      return state(
          m,
          "refused",
          service
              + " refused the token in "
              + tokenFile
              + ": it belongs to another start of the stack. Restart the stack (./vigil down,"
              + " ./vigil up) so the services and the file agree.");
    }
    if (response.status() != 200) {
      return state(
          m,
          "error",
          service + "'s admin API answered HTTP " + response.status() + " to GET /admin/errors");
    }
    JsonNode body;
    try {
      body = response.json();
    } catch (IOException e) {
      return state(m, "error", service + "'s admin API answered with a body that is not JSON");
    }
    m.put("state", "ok");
    m.put("detail", null);
    m.put("release", body.path("release").asText(null));
    List<Map<String, Object>> groups = new ArrayList<>();
    for (JsonNode g : body.path("groups")) {
      Map<String, Object> gm = new LinkedHashMap<>();
      gm.put("fingerprint", g.path("fingerprint").asText());
      gm.put("type", g.path("type").asText());
      gm.put("message", g.path("message").asText(null));
      gm.put("frames", strings(g.path("frames")));
      gm.put("release", g.path("release").asText(null));
      gm.put("count", g.path("count").asLong());
      gm.put("first_seen", g.path("first_seen").asText(null));
      gm.put("last_seen", g.path("last_seen").asText(null));
      gm.put(
          "trace_ids",
          strings(g.path("trace_ids")).stream()
              .filter(id -> TraceLogs.TRACE_ID.matcher(id).matches())
              .toList());
      gm.put("request_ids", strings(g.path("request_ids")));
      groups.add(gm);
    }
    m.put("groups", groups);
    return m;
  }

  private static Map<String, Object> state(Map<String, Object> m, String state, String detail) {
    m.put("state", state);
    m.put("detail", detail);
    m.put("release", null);
    m.put("groups", List.of());
    return m;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
