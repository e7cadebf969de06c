package dev.vigil.drills.drill;

import dev.vigil.stack.Component;
import dev.vigil.stack.LocalStack;
import java.net.URI;
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
}
