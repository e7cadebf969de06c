package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launch plan as data: what each component gets under a profile, without starting anything. */
class LaunchPlanTest {

  private static final Path DEPLOY =
      Path.of(System.getProperty("vigil.root", "..")).resolve("deploy");

  @TempDir Path state;

  private Map<Component, Launch> plan(StackProfile profile, List<String> traceBackend) {
    StackLayout layout = new StackLayout(state);
    ServiceCommands commands =
        new ServiceCommands(
            List.of("java", "-jar", "vigil.jar", "catalog"),
            List.of("java", "-jar", "vigil.jar", "payments"),
            List.of("java", "-jar", "vigil.jar", "receiver"),
            traceBackend);
    ConfigRenderer configs = new ConfigRenderer(DEPLOY, profile, layout.configDir());
    return new LaunchPlan(profile, layout, configs, commands)
        .launches().launches().stream()
            .collect(Collectors.toMap(Launch::component, Function.identity()));
  }

  @Test
  void everyComponentListensOnItsProfilePortOnLoopback() {
    StackProfile profile = StackProfile.test();
    Map<Component, Launch> launches = plan(profile, List.of("java", "-jar", "zipkin.jar"));

    for (Launch launch : launches.values()) {
      assertThat(launch.readiness().toString())
          .as("readiness of %s", launch.component())
          .isEqualTo(
              "http://127.0.0.1:"
                  + profile.ports().of(launch.component())
                  + launch.component().readinessPath());
    }
    assertThat(launches.get(Component.RECEIVER).command())
        .containsSubsequence(
            "java",
            "-jar",
            "vigil.jar",
            "receiver",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(profile.ports().receiver()),
            "--log",
            new StackLayout(state).notifications().toString());
    assertThat(launches.get(Component.CATALOG).environment())
        .containsEntry("VIGIL_PORT", Integer.toString(profile.ports().catalog()))
        .containsEntry("VIGIL_PAYMENTS_URL", "http://127.0.0.1:" + profile.ports().payments())
        .containsEntry("VIGIL_ADMIN_PORT", Integer.toString(profile.ports().catalogAdmin()))
        .as("the admin token is given at spawn, never recorded in the plan")
        .doesNotContainKey("VIGIL_ADMIN_TOKEN");
    assertThat(launches.get(Component.PAYMENTS).environment())
        .containsEntry("VIGIL_ADMIN_PORT", Integer.toString(profile.ports().paymentsAdmin()))
        .as(
            "payments saves its profiles under $VIGIL_DATA_DIR/profiles; without it, in its working"
                + " directory (the state directory) under .vigil/profiles")
        .containsEntry("VIGIL_DATA_DIR", state.toString());
    assertThat(launches)
        .as("prometheus is not on PATH: sudo apt-get install prometheus")
        .containsKey(Component.PROMETHEUS);
    assertThat(launches.get(Component.PROMETHEUS).command())
        .contains("--web.listen-address=127.0.0.1:" + profile.ports().prometheus());
  }

  @Test
  void onlyAShortenedProfileMakesPrometheusResendAlertsSooner() {
    Map<Component, Launch> test = plan(StackProfile.test(), List.of());
    Map<Component, Launch> defaults = plan(StackProfile.defaults(), List.of());
    assertThat(test)
        .as("prometheus is not on PATH: sudo apt-get install prometheus")
        .containsKey(Component.PROMETHEUS);
    assertThat(test.get(Component.PROMETHEUS).command()).contains("--rules.alert.resend-delay=2s");
    assertThat(defaults.get(Component.PROMETHEUS).command())
        .noneMatch(a -> a.startsWith("--rules.alert.resend-delay"));
  }

  @Test
  void servicesExportSpansOnlyWhenTheStackRunsATraceBackend() {
    Map<Component, Launch> traced =
        plan(StackProfile.test(), List.of("java", "-jar", "zipkin.jar"));
    Map<Component, Launch> untraced = plan(StackProfile.test(), List.of());

    assertThat(traced).containsKey(Component.TRACE_BACKEND);
    assertThat(traced.get(Component.CATALOG).environment())
        .containsEntry("OTEL_TRACES_EXPORTER", "zipkin");
    assertThat(traced.get(Component.PAYMENTS).environment())
        .containsKey("OTEL_EXPORTER_ZIPKIN_ENDPOINT");
    assertThat(untraced).doesNotContainKey(Component.TRACE_BACKEND);
    assertThat(untraced.get(Component.CATALOG).environment())
        .doesNotContainKey("OTEL_TRACES_EXPORTER");
  }

  @Test
  void theConsoleStartsBesideTheServicesOnItsPortAndAsksTheStacksPrometheusAndAdminApis() {
    StackProfile profile = StackProfile.test();
    StackLayout layout = new StackLayout(state);
    ServiceCommands commands =
        new ServiceCommands(
            List.of("java", "-jar", "vigil.jar", "catalog"),
            List.of("java", "-jar", "vigil.jar", "payments"),
            List.of("java", "-jar", "vigil.jar", "receiver"),
            List.of(),
            List.of("java", "-jar", "vigil.jar", "console"));
    Map<Component, Launch> withConsole =
        new LaunchPlan(
                profile, layout, new ConfigRenderer(DEPLOY, profile, layout.configDir()), commands)
            .launches().launches().stream()
                .collect(Collectors.toMap(Launch::component, Function.identity()));

    assertThat(withConsole.get(Component.CONSOLE).command())
        .startsWith("java", "-jar", "vigil.jar", "console")
        .containsSubsequence(
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(profile.ports().console()),
            "--prometheus",
            "http://127.0.0.1:" + profile.ports().prometheus(),
            "--notifications",
            layout.notifications().toString(),
            "--slos",
            DEPLOY.resolveSibling("slos").toString(),
            "--zipkin",
            "http://127.0.0.1:" + profile.ports().traceBackend(),
            "--logs",
            layout.logFile(Component.CATALOG).getParent().toString(),
            "--state-dir",
            state.toString(),
            "--admin",
            "catalog=http://127.0.0.1:"
                + profile.ports().catalogAdmin()
                + ",payments=http://127.0.0.1:"
                + profile.ports().paymentsAdmin());
    assertThat(withConsole.get(Component.CONSOLE).readiness().toString())
        .isEqualTo("http://127.0.0.1:" + profile.ports().console() + "/readyz");
    assertThat(StackPorts.defaults().console()).as("the seeds' Grafana port").isEqualTo(3000);
    assertThat(plan(profile, List.of()))
        .as("a stack built without the console command starts none")
        .doesNotContainKey(Component.CONSOLE);
  }
}
