package dev.vigil.drills.stack;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What {@code up} started, recorded in {@code .vigil/run/stack.json} so that {@code status}, {@code down},
 * {@code alerts} and the drills find the ports, and a drill can restart the catalog it stopped.
 *
 * @param profile the profile the stack was rendered for
 * @param launches the components that were started, in start order
 */
public record StackState(StackProfile profile, List<Launch> launches) {

  /**
   * The launch of one component, when it was started.
   *
   * @param component the component
   * @return its launch, or empty when {@code up} did not start it (binary missing)
   */
  public Optional<Launch> launch(Component component) {
    return launches.stream().filter(l -> l.component() == component).findFirst();
  }

  /**
   * The base URL of a component on loopback, e.g. {@code http://127.0.0.1:9090}.
   *
   * @param component the component
   * @return its base URL under this profile's ports
   */
  public URI url(Component component) {
    return URI.create("http://127.0.0.1:" + profile.ports().of(component));
  }
}
