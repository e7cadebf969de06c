package dev.vigil.drills.drill;

import dev.vigil.stack.Component;
import dev.vigil.stack.LocalStack;
import java.util.List;

/**
 * A game-day exercise: a fault injected into the running system and the alert it must produce.
 *
 * @param name the drill's name on the command line, e.g. {@code high-error-rate}
 * @param description what the drill does, one sentence
 * @param expectation the alert that must fire, reach its receiver and (usually) resolve
 * @param fault what the drill does to the system
 */
public record Drill(String name, String description, AlertExpectation expectation, Fault fault) {

  /** Names of every drill, for {@code vigil drill <name>}. */
  public static final List<String> NAMES = List.of("high-error-rate", "service-down", "watchdog");

  /**
   * The seed's "Testing Alerts": errors to /nonexistent under light load on / until HighErrorRate
   * pages, then no errors and the seed's load on / until it resolves.
   *
   * @param stack the running local stack (for the catalog's URL)
   * @return the drill
   */
  public static Drill highErrorRate(LocalStack stack) {
    return new Drill(
        "high-error-rate",
        "bursts of "
            + ErrorBurstFault.BURST
            + " requests to /nonexistent every "
            + ErrorBurstFault.BURST_PERIOD.toSeconds()
            + " s with light load on /, then only load on /",
        new AlertExpectation("HighErrorRate", "critical", "pager", true),
        new ErrorBurstFault(stack.url(Component.CATALOG)));
  }

  /**
   * Stops the catalog process until ServiceDown pages, then starts it again until it resolves.
   *
   * @param stack the running local stack
   * @return the drill
   */
  public static Drill serviceDown(LocalStack stack) {
    return new Drill(
        "service-down",
        "stop the catalog process, start it again once ServiceDown has paged",
        new AlertExpectation("ServiceDown", "critical", "pager", true),
        new ServiceStopFault(stack, Component.CATALOG));
  }

  /**
   * Checks the dead man's switch: Watchdog always fires and must reach receiver {@code watchdog}.
   *
   * @return the drill
   */
  public static Drill watchdog() {
    return new Drill(
        "watchdog",
        "no fault: wait for the always-firing Watchdog's next notification",
        new AlertExpectation("Watchdog", null, "watchdog", false),
        new NoFault());
  }

  /**
   * The drill with a given name.
   *
   * @param name one of {@link #NAMES}
   * @param stack the running local stack
   * @return the drill
   * @throws IllegalArgumentException naming the known drills when the name is unknown
   */
  public static Drill named(String name, LocalStack stack) {
    return switch (name) {
      case "high-error-rate" -> highErrorRate(stack);
      case "service-down" -> serviceDown(stack);
      case "watchdog" -> watchdog();
      default ->
          throw new IllegalArgumentException(
              "unknown drill '" + name + "'; choose one of " + String.join(", ", NAMES));
    };
  }
}
