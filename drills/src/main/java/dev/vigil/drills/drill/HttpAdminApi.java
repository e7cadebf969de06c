package dev.vigil.drills.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.prometheus.PromDuration;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link AdminApi} over HTTP: {@code PUT /admin/faults/{fault}} with body {@code
 * {"target":..,"params":{..},"ttl":"10m"}} and {@code DELETE /admin/faults/{fault}?target=}, with
 * {@code Authorization: Bearer <token>}. Every call has a 5 s timeout.
 */
public final class HttpAdminApi implements AdminApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final URI base;
  private final String token;

  /**
   * A client of one service's admin API.
   *
   * @param base the admin base URL, e.g. {@code http://127.0.0.1:8001}
   * @param token the bearer token (never printed)
   */
  public HttpAdminApi(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  @Override
  public void set(String fault, String target, Map<String, Object> params, PromDuration ttl) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (target != null) {
      body.put("target", target);
    }
    body.put("params", params);
    if (ttl != null) {
      // the same grammar the service parses: 500ms stays 500ms
      body.put("ttl", ttl.toString());
    }
    try {
      send(
          HttpRequest.newBuilder(base.resolve("/admin/faults/" + enc(fault)))
              .header("Content-Type", "application/json")
              .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
          "set fault " + fault);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the params of fault " + fault, e);
    }
  }

  @Override
  public void clear(String fault, String target) {
    String query = target == null ? "" : "?target=" + enc(target);
    send(
        HttpRequest.newBuilder(base.resolve("/admin/faults/" + enc(fault) + query)).DELETE(),
        "clear fault " + fault);
  }

  private void send(HttpRequest.Builder request, String what) {
    try {
      HttpResponse<String> response =
          CLIENT.send(
              request
                  .timeout(Duration.ofSeconds(5))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            "admin API at "
                + base
                + " refused to "
                + what
                + ": HTTP "
                + response.statusCode()
                + " "
                + response.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "admin API at " + base + " unreachable (" + what + "): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
