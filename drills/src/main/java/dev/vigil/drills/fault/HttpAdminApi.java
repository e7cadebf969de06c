package dev.vigil.drills.fault;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.prometheus.PromDuration;
import dev.vigil.stack.AdminClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * {@link AdminApi} over HTTP ({@link AdminClient}): {@code PUT /admin/faults/{fault}} with body
 * {@code {"target":..,"params":{..},"ttl":"10m"}} and {@code DELETE /admin/faults/{fault}?target=},
 * with {@code Authorization: Bearer <token>}. Every call has a 5 s timeout.
 */
public final class HttpAdminApi implements AdminApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final AdminClient client;

  /**
   * A client of one service's admin API.
   *
   * @param base the admin base URL, e.g. {@code http://127.0.0.1:8001}
   * @param token the bearer token (never printed)
   */
  public HttpAdminApi(URI base, String token) {
    this.client = new AdminClient(base, token, TIMEOUT);
  }

  @Override
  public void set(String fault, String target, Map<String, Object> params, PromDuration ttl) {
    ObjectNode body = JSON.createObjectNode();
    if (target != null) {
      body.put("target", target);
    }
    body.set("params", JSON.valueToTree(params));
    if (ttl != null) {
      // the same grammar the service parses: 500ms stays 500ms
      body.put("ttl", ttl.toString());
    }
    String what = "set fault " + fault;
    expectOk(what, () -> client.put("/admin/faults/" + AdminClient.encode(fault), body));
  }

  @Override
  public void clear(String fault, String target) {
    String query = target == null ? "" : "?target=" + AdminClient.encode(target);
    expectOk(
        "clear fault " + fault,
        () -> client.delete("/admin/faults/" + AdminClient.encode(fault) + query));
  }

  /** One request to the admin API. */
  private interface Call {
    AdminClient.Answer send() throws IOException;
  }

  private void expectOk(String what, Call call) {
    AdminClient.Answer answer;
    try {
      answer = call.send();
    } catch (IOException e) {
      throw new IllegalStateException(
          "admin API at " + client.base() + " unreachable (" + what + "): " + e.getMessage(), e);
    }
    if (!answer.ok()) {
      throw new IllegalStateException(
          "admin API at "
              + client.base()
              + " refused to "
              + what
              + ": HTTP "
              + answer.status()
              + " "
              + answer.detail());
    }
  }
}
