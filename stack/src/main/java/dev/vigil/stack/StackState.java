package dev.vigil.stack;

import java.util.List;
import java.util.Optional;

/**
 * What {@code up} started, recorded in {@code .vigil/run/stack.json} so that {@code status}, {@code
 * down}, {@code alerts} and the drills find the ports, and a drill can restart the catalog it
 * stopped.
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
}
