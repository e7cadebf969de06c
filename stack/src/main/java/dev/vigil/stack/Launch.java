package dev.vigil.stack;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * How one component of the local stack is started and probed.
 *
 * @param component which component
 * @param id the replica's name in pid and log file names and in status ({@link Replica#id()}), e.g.
 *     {@code catalog} or {@code catalog-2}
 * @param command the full command line, absolute paths
 * @param environment variables added to the inherited environment
 * @param readiness the URL that answers 200 once the component is ready
 */
public record Launch(
    Component component,
    String id,
    List<String> command,
    Map<String, String> environment,
    URI readiness) {

  /** Defaults the id: a state file written before replicas names none. */
  public Launch {
    id = id == null ? component.id() : id;
  }
}
