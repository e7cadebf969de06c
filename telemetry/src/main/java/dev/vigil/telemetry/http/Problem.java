package dev.vigil.telemetry.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem details object, sent as {@code application/problem+json}.
 *
 * <p>{@code type} is {@code about:blank} (RFC 9457 section 4.2.1), so {@code title} is the status
 * phrase; {@code detail} tells the caller what was wrong and how to fix it. Extension members (for
 * example {@code field} or {@code request_id}) are added with {@link #with(String, Object)}.
 *
 * @param status the HTTP status code, 400..599
 * @param title the HTTP status phrase, e.g. {@code Unprocessable Content}
 * @param detail a sentence for the caller: what was wrong and how to fix it
 * @param extensions extra members in insertion order
 */
public record Problem(int status, String title, String detail, Map<String, Object> extensions) {

  /** The media type of problem bodies. */
  public static final String MEDIA_TYPE = "application/problem+json";

  /**
   * Creates a problem with the standard title of its status.
   *
   * @param status HTTP status code, e.g. 404
   * @param detail what was wrong and how to fix it
   * @return the problem, without extensions
   */
  public static Problem of(int status, String detail) {
    return new Problem(status, StatusPhrases.of(status), detail, Map.of());
  }

  /**
   * Returns a copy with one more extension member.
   *
   * @param name member name, e.g. {@code field}
   * @param value a JSON-serialisable value
   * @return the new problem
   */
  public Problem with(String name, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(extensions);
    copy.put(name, value);
    return new Problem(status, title, detail, copy);
  }

  /**
   * The JSON members of this problem, in the order RFC 9457 lists them, then the extensions.
   *
   * @param instance the request path the problem occurred on, or {@code null} to omit it
   * @return an ordered map ready for a JSON writer
   */
  public Map<String, Object> toJson(String instance) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("type", "about:blank");
    json.put("title", title);
    json.put("status", status);
    json.put("detail", detail);
    if (instance != null) {
      json.put("instance", instance);
    }
    json.putAll(extensions);
    return json;
  }

  /** The reason phrases of the status codes a service sends (RFC 9110 section 15). */
  static final class StatusPhrases {
    private StatusPhrases() {}

    static String of(int status) {
      return switch (status) {
        case 400 -> "Bad Request";
        case 401 -> "Unauthorized";
        case 403 -> "Forbidden";
        case 404 -> "Not Found";
        case 405 -> "Method Not Allowed";
        case 406 -> "Not Acceptable";
        case 408 -> "Request Timeout";
        case 409 -> "Conflict";
        case 413 -> "Content Too Large";
        case 415 -> "Unsupported Media Type";
        case 422 -> "Unprocessable Content";
        case 429 -> "Too Many Requests";
        case 500 -> "Internal Server Error";
        case 502 -> "Bad Gateway";
        case 503 -> "Service Unavailable";
        case 504 -> "Gateway Timeout";
        default -> status >= 500 ? "Server Error" : "Client Error";
      };
    }
  }
}
