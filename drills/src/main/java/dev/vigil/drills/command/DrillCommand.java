package dev.vigil.drills.command;

import dev.vigil.drills.drill.Drill;
import dev.vigil.drills.drill.DrillReport;
import dev.vigil.drills.drill.DrillRunner;
import dev.vigil.prometheus.AlertmanagerClient;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.Component;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.command.StateDirOption;
import dev.vigil.stack.receiver.NotificationLog;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil drill <name>}: runs a drill against the running local stack. Exit code 0 when the
 * expected alert fired, was routed to its receiver, notified and (when expected) resolved; 1
 * otherwise.
 */
@Command(
    name = "drill",
    mixinStandardHelpOptions = true,
    description =
        "Inject a fault into the running local stack and prove the expected alert fires, reaches "
            + "its receiver and resolves. Drills: high-error-rate, service-down, watchdog.")
public final class DrillCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "NAME",
      description = "high-error-rate | service-down | watchdog")
  String name;

  @Mixin StateDirOption state;

  /**
   * Runs the drill and prints its report.
   *
   * @return 0 when the drill passed, 1 when it failed or the stack is not up
   */
  @Override
  public Integer call() {
    LocalStack stack = state.stack();
    if (stack.state().isEmpty()) {
      System.err.println(
          "no local stack recorded under " + stack.layout().root() + "; start it with ./vigil up");
      return 1;
    }
    Drill drill;
    try {
      drill = Drill.named(name, stack);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    DrillRunner runner =
        new DrillRunner(
            new PrometheusClient(stack.url(Component.PROMETHEUS)),
            new AlertmanagerClient(stack.url(Component.ALERTMANAGER)),
            new NotificationLog(stack.layout().notifications()),
            System.out);
    DrillReport report;
    try {
      report = runner.run(drill);
    } catch (IOException e) {
      System.err.println("drill " + name + " cannot start: " + e.getMessage());
      return 1;
    }
    report.lines().forEach(System.out::println);
    return report.passed() ? 0 : 1;
  }
}
