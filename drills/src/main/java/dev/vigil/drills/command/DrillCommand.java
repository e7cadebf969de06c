package dev.vigil.drills.command;

import dev.vigil.drills.drill.AdminApi;
import dev.vigil.drills.drill.Drill;
import dev.vigil.drills.drill.DrillFileException;
import dev.vigil.drills.drill.DrillFiles;
import dev.vigil.drills.drill.DrillReport;
import dev.vigil.drills.drill.DrillRunner;
import dev.vigil.drills.drill.DrillTiming;
import dev.vigil.drills.drill.FaultPlan;
import dev.vigil.drills.drill.HttpAdminApi;
import dev.vigil.drills.drill.RuleBook;
import dev.vigil.prometheus.AlertmanagerClient;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.Component;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackAdmin;
import dev.vigil.stack.command.StateDirOption;
import dev.vigil.stack.receiver.NotificationLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil drill list|run}: the drills of {@code drills/*.yaml} and running one against the
 * local stack (or a service the user names with {@code --url}).
 */
@Command(
    name = "drill",
    mixinStandardHelpOptions = true,
    description =
        "Game days as data: inject a drill's fault into the running stack and prove the expected"
            + " alerts fire, reach their receivers and resolve (drills/*.yaml, docs/drills.md).",
    subcommands = {DrillCommand.ListDrills.class, DrillCommand.Run.class})
public final class DrillCommand implements Callable<Integer> {

  /**
   * Without a subcommand: prints the usage.
   *
   * @return 2 (a subcommand is needed)
   */
  @Override
  public Integer call() {
    System.err.println("vigil drill needs a subcommand: list, or run NAME (vigil drill --help)");
    return 2;
  }

  /** Options shared by the subcommands: where the drill files and deploy/ live. */
  static final class Dirs {
    @Option(
        names = "--drills",
        paramLabel = "DIR",
        defaultValue = "drills",
        description = "Directory of the drill files (default: ${DEFAULT-VALUE})")
    Path drills;

    @Option(
        names = "--deploy-dir",
        paramLabel = "DIR",
        defaultValue = "deploy",
        description =
            "The repository's deploy/ directory, for the rules (default: ${DEFAULT-VALUE})")
    Path deploy;
  }

  /** {@code vigil drill list}: every drill with its fault and expected alerts. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the drills with their expected alerts and predicted detection times.")
  static final class ListDrills implements Callable<Integer> {

    @Mixin Dirs dirs;

    @Override
    public Integer call() {
      try {
        DrillFiles files = new DrillFiles(dirs.drills);
        DrillTiming real = DrillTiming.real(RuleBook.read(dirs.deploy));
        int exit = 0;
        for (String name : files.names()) {
          Drill drill;
          try {
            drill = files.read(name);
          } catch (DrillFileException e) {
            System.out.println(name + "  INVALID: " + e.getMessage());
            exit = 1;
            continue;
          }
          System.out.println(
              drill.name()
                  + (drill.needsAdminApi() ? "  (needs the admin API)" : "")
                  + "\n  "
                  + drill.description().strip().replace("\n", " "));
          for (Drill.ExpectedAlert e : drill.expect()) {
            System.out.println(
                "  expects "
                    + e.describe()
                    + ", detect predicted "
                    + real.predictedNotified(e)
                        .map(DrillCommand::seconds)
                        .orElse("? (no such rule)"));
          }
          for (Drill.AlertMatch m : drill.mustNotFire()) {
            System.out.println("  must not fire " + m);
          }
          for (Drill.BudgetExpectation b : drill.budget()) {
            System.out.println(
                "  budget of SLO " + b.slo() + (b.burns() ? " burns" : " does not burn"));
          }
        }
        return exit;
      } catch (DrillFileException | IllegalStateException | UncheckedIOException e) {
        System.err.println(e.getMessage());
        return 1;
      }
    }
  }

  /** {@code vigil drill run NAME}: runs one drill and writes its report. */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description =
          "Run a drill against the running local stack; exit 0 only when every expectation held.")
  static final class Run implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "a drill of vigil drill list")
    String name;

    @Option(
        names = "--url",
        paramLabel = "URL",
        description =
            "Base URL of the service to drill (default: the local stack's catalog); traffic goes"
                + " to loopback only")
    URI url;

    @Option(
        names = "--profile",
        paramLabel = "fast|real",
        description =
            "The timing the stack runs with: fast (./vigil up --profile test) or real; default:"
                + " the running stack's")
    String profile;

    @Option(
        names = "--report-dir",
        paramLabel = "DIR",
        description = "Where the markdown and JSON reports go (default: <state dir>/drills)")
    Path reportDir;

    @Mixin Dirs dirs;

    @Mixin StateDirOption state;

    @Override
    public Integer call() {
      LocalStack stack = state.stack();
      if (stack.state().isEmpty()) {
        System.err.println(
            "no local stack recorded under "
                + stack.layout().root()
                + "; start it with ./vigil up (or ./vigil up --profile test for the fast profile)");
        return 1;
      }
      Drill drill;
      DrillTiming timing;
      try {
        drill = new DrillFiles(dirs.drills).read(name);
        timing = DrillTiming.of(stack.profile(), RuleBook.read(dirs.deploy));
      } catch (DrillFileException | IllegalStateException | UncheckedIOException e) {
        System.err.println(e.getMessage());
        return 2;
      }
      if (profile != null && !profile.equals(timing.name())) {
        System.err.println(
            "--profile "
                + profile
                + " asked, but the stack under "
                + stack.layout().root()
                + " runs the "
                + timing.name()
                + " timing (profile '"
                + stack.profile().name()
                + "'); restart it with ./vigil down && ./vigil up"
                + (profile.equals("fast") ? " --profile test" : ""));
        return 2;
      }
      URI service = url != null ? url : stack.url(Component.CATALOG);
      FaultPlan plan = new FaultPlan(service, url == null ? stack : null, admin(stack));
      DrillRunner runner =
          new DrillRunner(
              new PrometheusClient(stack.url(Component.PROMETHEUS)),
              new AlertmanagerClient(stack.url(Component.ALERTMANAGER)),
              new NotificationLog(stack.layout().notifications()),
              timing,
              System.out);
      DrillReport report;
      try {
        report = runner.run(drill, plan);
      } catch (IOException e) {
        System.err.println("drill " + name + " cannot start: " + e.getMessage());
        return 1;
      }
      System.out.println();
      System.out.print(report.markdown());
      Path written =
          report.write(reportDir != null ? reportDir : stack.layout().root().resolve("drills"));
      System.out.println(
          "\nreport: " + written + " (and " + written.toString().replace(".md", ".json") + ")");
      return report.passed() ? 0 : 1;
    }

    /** The services' admin API as the stack recorded it (URLs and token), when it has one. */
    private static Function<String, Optional<AdminApi>> admin(LocalStack stack) {
      StackAdmin admin;
      try {
        admin = StackAdmin.read(stack.layout().root());
      } catch (RuntimeException e) {
        return service -> Optional.empty();
      }
      return service -> {
        try {
          return Optional.of(new HttpAdminApi(admin.url(service), admin.token()));
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
      };
    }
  }

  private static String seconds(java.time.Duration d) {
    return d.toSeconds() + " s";
  }
}
