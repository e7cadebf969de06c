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
    if (step.http() != null) {
      return new ErrorBurstFault(
          service.resolve(step.http().path()),
          step.http().burst(),
          step.http().every().toDuration());
    }
    if (step.stop() != null) {
      if (stack == null) {
        throw new IllegalStateException(
            "drill "
                + drill.name()
                + " stops a process of the local stack; it cannot run against --url");
      }
      Component component =
          step.stop().service().equals("payments") ? Component.PAYMENTS : Component.CATALOG;
      return new ServiceStopFault(stack, component);
    }
    Drill.AdminFault a = step.admin();
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
                            + ", and this stack records none (<state dir>/admin-token and the"
                            + " admin ports come with ./vigil up)"));
    return new AdminApiFault(api, a);
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
    if (f.http() != null) {
      return "bursts of "
          + f.http().burst()
          + " GET "
          + f.http().path()
          + " every "
          + f.http().every();
    }
    if (f.stop() != null) {
      return "stop " + f.stop().service();
    }
    return "admin fault "
        + f.admin().fault()
        + " on "
        + f.admin().service()
        + " target "
        + Objects.requireNonNullElse(f.admin().target(), "*")
        + " params "
        + f.admin().params();
  }
}
