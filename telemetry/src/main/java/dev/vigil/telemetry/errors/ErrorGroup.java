package dev.vigil.telemetry.errors;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one error group: every unhandled exception with the same {@link
 * ExceptionFingerprint}.
 *
 * @param fingerprint the group's identity, 16 hex digits
 * @param type the exception class name, e.g. {@code java.sql.SQLException}
 * @param message the latest occurrence's message, cut to {@value ErrorTracker#MAX_MESSAGE_CHARS}
 *     characters, or {@code null} when it had none
 * @param frames the top application frames, {@code class#method}, most recent first
 * @param release the service version in which the group was first seen, e.g. {@code 0.1.0} (an
 *     earlier release than the running one when the known fingerprints are kept in a file)
 * @param count occurrences since the group was first seen in this process
 * @param firstSeen when the first occurrence was recorded
 * @param lastSeen when the latest occurrence was recorded
 * @param traceIds trace ids (32 hex digits) of the latest occurrences that had one, newest first,
 *     at most {@value ErrorTracker#LATEST_IDS}
 * @param requestIds request ids of the latest occurrences that had one, newest first, at most
 *     {@value ErrorTracker#LATEST_IDS}
 * @param workers the background workers it failed in, e.g. {@code order-reconciler}, the latest
 *     first, at most {@value ErrorTracker#LATEST_IDS}; empty when only requests failed this way
 */
public record ErrorGroup(
    String fingerprint,
    String type,
    String message,
    List<String> frames,
    String release,
    long count,
    Instant firstSeen,
    Instant lastSeen,
    List<String> traceIds,
    List<String> requestIds,
    List<String> workers) {

  /** Defensive copies; the snapshot is immutable. */
  public ErrorGroup {
    frames = List.copyOf(frames);
    traceIds = List.copyOf(traceIds);
    requestIds = List.copyOf(requestIds);
    workers = List.copyOf(workers);
  }

  /**
   * The group as JSON fields, snake_case, instants in ISO-8601 UTC.
   *
   * @return an ordered map for Jackson
   */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("fingerprint", fingerprint);
    json.put("type", type);
    json.put("message", message);
    json.put("frames", frames);
    json.put("release", release);
    json.put("count", count);
    json.put("first_seen", firstSeen.toString());
    json.put("last_seen", lastSeen.toString());
    json.put("trace_ids", traceIds);
    json.put("request_ids", requestIds);
    json.put("workers", workers);
    return json;
  }
}
