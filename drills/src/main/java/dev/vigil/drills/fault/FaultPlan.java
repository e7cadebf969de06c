package dev.vigil.drills.fault;

import dev.vigil.drills.drill.Drill;
import dev.vigil.stack.Component;
import dev.vigil.stack.LocalStack;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a drill's {@code fault} step into the {@link Fault} that performs it against a running
 * system.
 *
 * @param service the service's base URL (traffic and HTTP bursts go there)
 * @param stack the local stack (for {@code stop}), or null when the drill runs against a deployment
 * @param admin the admin API of a service by name ({@code catalog}, {@code payments}), empty when
 *     unknown
 */
public record FaultPlan(URI service, LocalStack stack, Function<String, Optional<AdminApi>> admin) {

  /**
   * The fault of a drill.
   *
   * @param drill the drill
   * @return the fault; {@link NoFault} when the drill has none
   * @throws IllegalStateException when the fault cannot run here (no local stack for {@code stop},
   *     no admin API for {@code admin}), naming what is missing
   */
  public Fault faultOf(Drill drill) {
    Drill.FaultStep step = drill.fault();
    if (step == null) {
      return new NoFault();
    }
    return switch (step.action()) {
      case Drill.HttpBurst http ->
          new ErrorBurstFault(
              service.resolve(http.path()), http.burst(), http.every().toDuration());
      case Drill.StopService stop -> {
        if (stack == null) {
          throw new IllegalStateException(
              "drill "
                  + drill.name()
                  + " stops a process of the local stack; it cannot run against --url");
        }
        yield new ServiceStopFault(
            stack, stop.service().equals("payments") ? Component.PAYMENTS : Component.CATALOG);
      }
      case Drill.AdminFault a -> {
        AdminApi api =
            admin
                .apply(a.service())
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "drill "
                                + drill.name()
                                + " sets fault "
                                + a.fault()
                                + " through the admin API of "
                                + a.service()
                                + ", and this stack records none (<state dir>/admin-token and"
                                + " the admin ports come with ./vigil up)"));
        yield new AdminApiFault(api, a);
      }
    };
  }

  /**
   * A drill's fault step in one line for the progress output, e.g. {@code bursts of 20 GET
   * /nonexistent every 1s}.
   *
   * @param f the step, or null for a drill without a fault
   * @return the description
   */
  public static String describe(Drill.FaultStep f) {
    if (f == null) {
      return "none (this drill only observes)";
    }
    return switch (f.action()) {
      case Drill.HttpBurst http ->
          "bursts of " + http.burst() + " GET " + http.path() + " every " + http.every();
      case Drill.StopService stop -> "stop " + stop.service();
      case Drill.AdminFault a ->
          "admin fault "
              + a.fault()
              + " on "
              + a.service()
              + " target "
              + Objects.requireNonNullElse(a.target(), "*")
              + " params "
              + a.params();
    };
  }
}
