package dev.vigil.stack;

import java.util.Optional;

/**
 * How a local stack is configured: its ports and, for tests, shorter intervals and waits.
 *
 * <p>The rule expressions are never changed by a profile; only timing is. In the test profile every
 * rule {@code for} is divided by {@code forDivisor} (rounded up to whole seconds, at least {@code
 * forFloorSeconds}), and the Alertmanager waits are replaced, so that an alert that needs 5 minutes
 * in production needs 10 seconds.
 *
 * @param name {@code default}, {@code test}, {@code ha} or {@code ha-test}
 * @param ports the ports of every component
 * @param scrapeIntervalSeconds Prometheus scrape interval in seconds, or 0 to keep the configured
 *     one
 * @param evaluationIntervalSeconds Prometheus rule evaluation interval in seconds, or 0 to keep it;
 *     when set, Prometheus also re-sends firing alerts every two intervals ({@code
 *     --rules.alert.resend-delay})
 * @param forDivisor every rule {@code for} is divided by this (1 keeps them)
 * @param forFloorSeconds a shortened {@code for} is never below this many seconds, so that start-up
 *     gaps (Prometheus hands discovered targets to the scrapers after about 5 s) cannot fire an
 *     alert
 * @param alertmanagerWaitSeconds when above 0, Alertmanager {@code group_wait} and {@code
 *     group_interval} of every route are set to this many seconds, {@code repeat_interval} to ten
 *     times it and {@code resolve_timeout} to thirty times it; 0 keeps the configured waits
 * @param topology one of everything, or the replicated ha topology
 */
public record StackProfile(
    String name,
    StackPorts ports,
    int scrapeIntervalSeconds,
    int evaluationIntervalSeconds,
    int forDivisor,
    int forFloorSeconds,
    int alertmanagerWaitSeconds,
    StackTopology topology) {

  /** Defaults the topology: a state file written before the ha topology has none. */
  public StackProfile {
    topology = topology == null ? StackTopology.SINGLE_NODE : topology;
  }

  /**
   * A single-node profile.
   *
   * @param name the profile's name
   * @param ports the ports of every component
   * @param scrapeIntervalSeconds scrape interval in seconds, or 0 to keep the configured one
   * @param evaluationIntervalSeconds rule evaluation interval in seconds, or 0 to keep it
   * @param forDivisor every rule {@code for} is divided by this (1 keeps them)
   * @param forFloorSeconds a shortened {@code for} is never below this many seconds
   * @param alertmanagerWaitSeconds Alertmanager waits in seconds, or 0 to keep them
   */
  public StackProfile(
      String name,
      StackPorts ports,
      int scrapeIntervalSeconds,
      int evaluationIntervalSeconds,
      int forDivisor,
      int forFloorSeconds,
      int alertmanagerWaitSeconds) {
    this(
        name,
        ports,
        scrapeIntervalSeconds,
        evaluationIntervalSeconds,
        forDivisor,
        forFloorSeconds,
        alertmanagerWaitSeconds,
        StackTopology.SINGLE_NODE);
  }

  /**
   * The profile of {@code vigil up}: the default ports (catalog 8000, Prometheus 9090...), the
   * timing of the files under deploy/.
   *
   * @return the default profile
   */
  public static StackProfile defaults() {
    return new StackProfile("default", StackPorts.defaults(), 0, 0, 1, 0, 0);
  }

  /**
   * The profile of end-to-end tests: free random ports, scrape and evaluation every second, rule
   * {@code for} durations divided by 30 but at least 10 s (5m and 2m become 10s, 10m becomes 20s),
   * Alertmanager waits of 1 s.
   *
   * @return a test profile with fresh random ports
   */
  public static StackProfile test() {
    return new StackProfile("test", StackPorts.random(), 1, 1, 30, 10, 1);
  }

  /**
   * The profile of {@code vigil up --profile ha}: the ha topology on its default ports ({@link
   * StackPorts#haDefaults()}), the timing of the files under deploy/.
   *
   * @return the ha profile
   */
  public static StackProfile ha() {
    return new StackProfile("ha", StackPorts.haDefaults(), 0, 0, 1, 0, 0, StackTopology.HA);
  }

  /**
   * The ha topology with the timing of {@link #test()}: free random ports, scrape and evaluation
   * every second, shortened {@code for} and Alertmanager waits.
   *
   * @return an ha test profile with fresh random ports
   */
  public static StackProfile haTest() {
    return new StackProfile(
        "ha-test", StackPorts.random(StackPorts.HA_NAMES), 1, 1, 30, 10, 1, StackTopology.HA);
  }

  /**
   * Whether this profile shortens timing for tests (scrape and evaluation intervals set).
   *
   * @return true for {@code test} and {@code ha-test}
   */
  public boolean shortened() {
    return scrapeIntervalSeconds > 0 || evaluationIntervalSeconds > 0;
  }

  /**
   * The profile of a name, as {@code vigil up --profile} takes it.
   *
   * @param name {@code default}, {@code test}, {@code ha} or {@code ha-test}
   * @return the profile (the test ones with fresh random ports), or empty for any other name
   */
  public static Optional<StackProfile> named(String name) {
    return switch (name) {
      case "default" -> Optional.of(defaults());
      case "test" -> Optional.of(test());
      case "ha" -> Optional.of(ha());
      case "ha-test" -> Optional.of(haTest());
      default -> Optional.empty();
    };
  }
}
