package dev.vigil.drills.command;

import dev.vigil.drills.drill.Drill;
import dev.vigil.drills.drill.DrillFileException;
import dev.vigil.drills.drill.DrillFiles;
import dev.vigil.drills.drill.DrillReport;
import dev.vigil.drills.drill.DrillTiming;
import dev.vigil.drills.drill.RuleBook;
import dev.vigil.drills.run.DrillRunner;
import dev.vigil.prometheus.AlertmanagerClient;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.AdminClient;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackAdmin;
import dev.vigil.stack.StackProfile;
import dev.vigil.stack.command.StateDirOption;
import dev.vigil.stack.receiver.NotificationLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil drill list|run}: the drills of {@code drills/*.yaml} and running one against the
 * local stack or a deployment the user names ({@code --url}).
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

  /**
   * {@code vigil drill run NAME}: runs one drill against the local stack, or against a deployment
   * named with {@code --url} (its Prometheus and Alertmanager given or derived from the URL's
   * host), and writes its report.
   *
   * <p>Exit codes: 0 every expectation held; 1 an expectation failed, or the target does not
   * answer; 2 a mistake in the command line or the drill file.
   */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description =
          "Run a drill against the running local stack, or a deployment named with --url; exit 0"
              + " only when every expectation held.")
  static final class Run implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "a drill of vigil drill list")
    String name;

    @Option(
        names = "--url",
        paramLabel = "URL",
        description =
            "Base URL of the service to drill, http or https, e.g. https://shop.example.com"
                + " (default: the local stack's catalog). Traffic and faults go there; drills"
                + " that stop a process need the local stack")
    URI url;

    @Option(
        names = "--prometheus",
        paramLabel = "URL",
        description =
            "With --url: the deployment's Prometheus (default: --url's host, port "
                + DrillTarget.PROMETHEUS_PORT
                + ")")
    URI prometheus;

    @Option(
        names = "--alertmanager",
        paramLabel = "URL",
        description =
            "With --url: the deployment's Alertmanager (default: --url's host, port "
                + DrillTarget.ALERTMANAGER_PORT
                + ")")
    URI alertmanager;

    @Option(
        names = "--receiver-log",
        paramLabel = "FILE",
        description =
            "With --url: the notifications log (JSONL) of the vigil receiver the deployment's"
                + " Alertmanager notifies (vigil receiver --log FILE; default: the local stack's)")
    Path receiverLog;

    @Option(
        names = "--admin",
        paramLabel = "SERVICE=URL",
        description =
            "With --url: the admin API of a service, e.g. catalog=http://10.0.0.5:8010"
                + " (repeat per service); needed by drills with an admin fault")
    Map<String, URI> admin = new LinkedHashMap<>();

    @Option(
        names = "--admin-token-file",
        paramLabel = "FILE",
        description =
            "With --url: file holding the admin APIs' bearer token (default: the environment"
                + " variable "
                + StackAdmin.TOKEN_VARIABLE
                + ")")
    Path adminTokenFile;

    @Option(
        names = "--profile",
        paramLabel = "fast|real",
        description =
            "The timing the target runs with: fast (./vigil up --profile test) or real (deploy/ as"
                + " written); default: the local stack's, real for --url")
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
      if (profile != null && !profile.equals("fast") && !profile.equals("real")) {
        System.err.println("--profile must be fast or real, got '" + profile + "'");
        return 2;
      }
      if (url == null
          && (prometheus != null
              || alertmanager != null
              || receiverLog != null
              || !admin.isEmpty()
              || adminTokenFile != null)) {
        System.err.println(
            "--prometheus, --alertmanager, --receiver-log, --admin and --admin-token-file name the"
                + " parts of a deployment: give its service with --url too");
        return 2;
      }
      if (url == null && stack.state().isEmpty()) {
        System.err.println(
            "no local stack recorded under "
                + stack.layout().root()
                + "; start it with ./vigil up (or ./vigil up --profile test for the fast profile),"
                + " or name a deployment with --url");
        return 1;
      }
      Drill drill;
      RuleBook rules;
      try {
        drill = new DrillFiles(dirs.drills).read(name);
        rules = RuleBook.read(dirs.deploy);
      } catch (DrillFileException | IllegalStateException | UncheckedIOException e) {
        System.err.println(e.getMessage());
        return 2;
      }
      DrillTarget target;
      DrillTiming timing;
      if (url == null) {
        target = DrillTarget.local(stack);
        timing = DrillTiming.of(stack.profile(), rules);
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
      } else {
        Optional<String> mistake = deploymentMistake(drill, stack);
        if (mistake.isPresent()) {
          System.err.println(mistake.get());
          return 2;
        }
        try {
          target =
              DrillTarget.deployment(
                  url,
                  prometheus,
                  alertmanager,
                  receiverLog != null ? receiverLog : stack.layout().notifications(),
                  admin,
                  adminToken());
        } catch (IllegalArgumentException | IllegalStateException e) {
          System.err.println(e.getMessage());
          return 2;
        }
        timing =
            "fast".equals(profile)
                ? DrillTiming.of(StackProfile.test(), rules)
                : DrillTiming.real(rules);
      }
      List<String> unreachable = target.unreachable();
      if (!unreachable.isEmpty()) {
        unreachable.forEach(u -> System.err.println("drill " + name + " cannot start: " + u));
        return 1;
      }
      System.out.println(
          "drill "
              + name
              + " against "
              + target.service()
              + " (Prometheus "
              + target.prometheus()
              + ", Alertmanager "
              + target.alertmanager()
              + ", receiver log "
              + target.receiverLog()
              + ")");
      DrillRunner runner =
          new DrillRunner(
              new PrometheusClient(target.prometheus()),
              new AlertmanagerClient(target.alertmanager()),
              new NotificationLog(target.receiverLog()),
              timing,
              System.out);
      DrillReport report;
      try {
        report = runner.run(drill, target.plan());
      } catch (IOException e) {
        System.err.println("drill " + name + " cannot start: " + e.getMessage());
        return 1;
      }
      System.out.println();
      System.out.print(report.markdown());
      Path written = report.write(reportDir != null ? reportDir : stack.layout().drillReports());
      System.out.println(
          "\nreport: " + written + " (and " + written.toString().replace(".md", ".json") + ")");
      return report.passed() ? 0 : 1;
    }

    /**
     * What keeps a drill from running against a deployment as the command line stands: a process to
     * stop, an admin API or receiver log not named.
     */
    private Optional<String> deploymentMistake(Drill drill, LocalStack stack) {
      Drill.FaultStep fault = drill.fault();
      if (fault != null && fault.stop() != null) {
        return Optional.of(
            "drill "
                + drill.name()
                + " stops the "
                + fault.stop().service()
                + " process, which only the local stack can do; run it without --url");
      }
      if (receiverLog == null && stack.state().isEmpty()) {
        return Optional.of(
            "--url names a deployment: give --receiver-log FILE, the notifications log of the"
                + " vigil receiver its Alertmanager notifies (vigil receiver --log FILE), so the"
                + " drill can see each alert reach its receiver");
      }
      if (drill.needsAdminApi()) {
        String service = fault.admin().service();
        if (!admin.containsKey(service)) {
          return Optional.of(
              "drill "
                  + drill.name()
                  + " sets fault "
                  + fault.admin().fault()
                  + " through the admin API of "
                  + service
                  + ": give --admin "
                  + service
                  + "=URL (its admin port) and the token with --admin-token-file FILE or "
                  + StackAdmin.TOKEN_VARIABLE);
        }
        if (adminToken() == null) {
          return Optional.of(
              "drill "
                  + drill.name()
                  + " needs the admin API's bearer token: give --admin-token-file FILE or set "
                  + StackAdmin.TOKEN_VARIABLE);
        }
      }
      return Optional.empty();
    }

    /**
     * The token in {@link AdminClient#token}'s order: {@code --admin-token-file}, else the
     * environment (a deployment's admin APIs never get the local stack's token); null when neither
     * holds one.
     */
    private String adminToken() {
      Optional<String> given = Optional.empty();
      if (adminTokenFile != null) {
        try {
          given = Optional.of(Files.readString(adminTokenFile));
        } catch (IOException e) {
          throw new IllegalStateException(
              "cannot read --admin-token-file " + adminTokenFile + ": " + e.getMessage());
        }
      }
      return AdminClient.token(given, Optional.empty(), System.getenv()).orElse(null);
    }
  }

  private static String seconds(java.time.Duration d) {
    return d.toSeconds() + " s";
  }
}
