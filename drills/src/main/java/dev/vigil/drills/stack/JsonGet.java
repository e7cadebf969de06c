package dev.vigil.drills.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs JSON from one HTTP API of the stack, with short timeouts and errors that name the component. */
final class JsonGet {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final URI base;
  private final String component;

  JsonGet(URI base, String component) {
    this.base = base;
    this.component = component;
  }

  /**
   * GETs a path and parses the body.
   *
   * @throws StackUnavailableException when the component does not answer 200 with JSON
   */
  JsonNode get(String pathAndQuery) {
    URI uri = base.resolve(pathAndQuery);
    try {
      HttpResponse<String> response = CLIENT.send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new StackUnavailableException(
            component + " answered " + response.statusCode() + " to GET " + uri);
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new StackUnavailableException(
          component + " does not answer at " + uri + " (" + e.getClass().getSimpleName()
              + "); is the stack up? Start it with ./vigil up", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackUnavailableException("interrupted while asking " + component + " at " + uri, e);
    }
  }
}
