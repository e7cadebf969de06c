package dev.vigil.stack;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How every component of one local stack is started: the command lines, environments and readiness
 * URLs that follow from a {@link StackProfile} (ports, timing), a {@link StackLayout} (data, logs),
 * the rendered configs and vigil's Java command lines. Computes, starts nothing; each {@link
 * Component} holds its own part of the plan as data.
 */
public final class LaunchPlan {

  /** Every component listens on loopback only. */
  public static final String HOST = "127.0.0.1";

  private final StackProfile profile;
  private final StackLayout layout;
  private final ConfigRenderer configs;
  private final ServiceCommands commands;

  /**
   * A plan.
   *
   * @param profile ports and timing
   * @param layout where data and the notifications file live
   * @param configs the configs rendered for the profile (their paths are arguments)
   * @param commands vigil's Java command lines; without a trace backend the services export no
   *     spans
   */
  public LaunchPlan(
      StackProfile profile, StackLayout layout, ConfigRenderer configs, ServiceCommands commands) {
    this.profile = profile;
    this.layout = layout;
    this.configs = configs;
    this.commands = commands;
  }

  /**
   * The launches of the components that can start, and the components whose program is not on PATH.
   *
   * @param launches in start order
   * @param missing components not started because their program was not found on PATH
   */
  public record Launches(List<Launch> launches, List<Component> missing) {}

  /**
   * Plans every component.
   *
   * @return the launches in start order, and what is missing
   */
  public Launches launches() {
    List<Launch> launches = new ArrayList<>();
    List<Component> missing = new ArrayList<>();
    for (Component c : Component.values()) {
      int count = profile.topology().replicas(c);
      if (count == 0) {
        continue;
      }
      Optional<List<String>> program = c.program(commands);
      if (program.isEmpty()) {
        if (c.tool().isPresent()) {
          missing.add(c);
        }
        continue;
      }
      for (int n = 1; n <= count; n++) {
        Replica replica = new Replica(c, n, count);
        List<String> command = new ArrayList<>(program.get());
        command.addAll(c.arguments(this, replica));
        launches.add(
            new Launch(
                c,
                replica.id(),
                List.copyOf(command),
                Map.copyOf(c.environment(this, replica)),
                readiness(c, profile.ports().of(replica))));
      }
    }
    return new Launches(List.copyOf(launches), List.copyOf(missing));
  }

  /**
   * The readiness URL of a component under a profile.
   *
   * @param profile the stack's profile
   * @param component the component
   * @return e.g. {@code http://127.0.0.1:9090/-/ready}
   */
  public static URI readiness(StackProfile profile, Component component) {
    return readiness(component, profile.ports().of(component));
  }

  /**
   * The readiness URL of a component listening on a port.
   *
   * @param component the component
   * @param port its port
   * @return e.g. {@code http://127.0.0.1:9090/-/ready}, or {@code tcp://127.0.0.1:5433} for
   *     PostgreSQL (ready once it accepts connections)
   */
  static URI readiness(Component component, int port) {
    return URI.create(
        component.readinessPath().isEmpty()
            ? "tcp://" + HOST + ":" + port
            : "http://" + HOST + ":" + port + component.readinessPath());
  }

  /**
   * Where the stack's Prometheus HTTP API answers: Prometheus, or VictoriaMetrics in the ha
   * topology.
   *
   * @return e.g. {@code http://127.0.0.1:9090}
   */
  public URI queryApi() {
    return url(profile, Component.PROMETHEUS);
  }

  /**
   * The base URL of one replica of a component under this plan.
   *
   * @param component the component
   * @param number the 1-based replica number
   * @return e.g. {@code http://127.0.0.1:8880} for vmalert 1
   * @throws IllegalArgumentException when the topology runs fewer replicas
   */
  URI replicaUrl(Component component, int number) {
    Replica replica = new Replica(component, number, profile.topology().replicas(component));
    return URI.create("http://" + HOST + ":" + ports().of(replica));
  }

  /**
   * The first vmalert's base URL, whose alerting API VictoriaMetrics serves on its own port.
   *
   * @return e.g. {@code http://127.0.0.1:8880}
   * @throws IllegalArgumentException when the topology runs no vmalert
   */
  URI firstVmalert() {
    return replicaUrl(Component.VMALERT, 1);
  }

  /**
   * Alertmanager's cluster flags: off for a single Alertmanager; in the ha topology each replica
   * gossips on its own loopback port with every other one as a peer (and, for a shortened profile,
   * waits 2 s instead of 15 s for a peer's notification before sending its own).
   *
   * @param replica which Alertmanager
   * @return the {@code --cluster.*} flags
   */
  List<String> alertmanagerClusterArguments(Replica replica) {
    if (replica.count() == 1) {
      return List.of("--cluster.listen-address=");
    }
    String own = HOST + ":" + ports().more("alertmanager-cluster-" + replica.number());
    List<String> out = new ArrayList<>();
    out.add("--cluster.listen-address=" + own);
    out.add("--cluster.advertise-address=" + own);
    for (int n = 1; n <= replica.count(); n++) {
      if (n != replica.number()) {
        out.add("--cluster.peer=" + HOST + ":" + ports().more("alertmanager-cluster-" + n));
      }
    }
    if (profile.shortened()) {
      out.add("--cluster.peer-timeout=2s");
    }
    return out;
  }

  /**
   * vmalert's flags: its rendered rule files ({@link ConfigRenderer#vmalertRules()}),
   * VictoriaMetrics as datasource, remote-write target (recorded series and alert state) and
   * remote-read source (alert state restored on restart), every Alertmanager as notifier, the
   * evaluation interval of the profile (15 s, Prometheus' {@code evaluation_interval} in deploy/,
   * otherwise); in a shortened profile also the look-back, the resend delay and a remote-write
   * flush every evaluation interval. No {@code -external.label}: vmalert would add it to every
   * recorded series too, which Prometheus' external labels never touch.
   *
   * @param replica which vmalert
   * @return the flags
   */
  List<String> vmalertArguments(Replica replica) {
    int evaluation =
        profile.evaluationIntervalSeconds() > 0
            ? profile.evaluationIntervalSeconds()
            : configs.evaluationIntervalSeconds();
    List<String> out = new ArrayList<>();
    out.add("-httpListenAddr=" + HOST + ":" + ports().of(replica));
    out.add("-external.url=http://" + HOST + ":" + ports().of(replica));
    // the same rules as Prometheus', each group in stages started on time (VmalertSchedule)
    out.add("-rule=" + configs.vmalertRules().toAbsolutePath().resolve("*.yml"));
    out.add("-datasource.url=" + queryApi());
    out.add("-remoteWrite.url=" + queryApi());
    // A rule that reads a recorded series (HighErrorRate reads the error ratio, the SLO alerts the
    // SLI ratios) sees it only once vmalert has remote-written it into VictoriaMetrics, where
    // Prometheus reads its own recordings in the same cycle: vmalert's default flush every 5 s put
    // its SLO pages 8-10 s behind Prometheus' (HaCatalogTest, proof 6 of issue 23) and held each
    // such hop back by up to 5 evaluations on the test profile. 1 s on every profile, loopback.
    out.add("-remoteWrite.flushInterval=1s");
    out.add("-remoteRead.url=" + queryApi());
    int alertmanagers = profile.topology().replicas(Component.ALERTMANAGER);
    for (int n = 1; n <= alertmanagers; n++) {
      out.add("-notifier.url=" + replicaUrl(Component.ALERTMANAGER, n));
    }
    out.add("-evaluationInterval=" + evaluation + "s");
    if (profile.shortened()) {
      // a bare selector looks back this far (vmalert's default is 5 minutes) and firing alerts are
      // re-sent as often as Prometheus re-sends them in the test profile
      out.add("-datasource.queryStep=" + 5 * evaluation + "s");
      out.add("-rule.resendDelay=" + 2 * evaluation + "s");
    }
    return out;
  }

  /**
   * The base URL of a component under a profile.
   *
   * @param profile the stack's profile
   * @param component the component
   * @return e.g. {@code http://127.0.0.1:9090}
   */
  public static URI url(StackProfile profile, Component component) {
    return URI.create("http://" + HOST + ":" + profile.ports().of(component));
  }

  /**
   * The ports of the stack.
   *
   * @return the profile's ports
   */
  public StackPorts ports() {
    return profile.ports();
  }

  /**
   * The profile planned for.
   *
   * @return ports and timing
   */
  public StackProfile profile() {
    return profile;
  }

  /**
   * Where the stack's state lives.
   *
   * @return the layout
   */
  public StackLayout layout() {
    return layout;
  }

  /**
   * The rendered configs.
   *
   * @return the renderer, whose paths name the rendered files
   */
  public ConfigRenderer configs() {
    return configs;
  }

  /**
   * A service's environment plus, when the stack runs a trace backend, the OpenTelemetry variables
   * that send its spans there (Zipkin's v2 API, through vigil's exporter; see docs/tracing.md).
   *
   * @param environment the service's own variables
   * @return both
   */
  Map<String, String> withTraceExport(Map<String, String> environment) {
    Map<String, String> out = new LinkedHashMap<>(environment);
    if (!commands.traceBackend().isEmpty()) {
      out.put("OTEL_TRACES_EXPORTER", "zipkin");
      out.put(
          "OTEL_EXPORTER_ZIPKIN_ENDPOINT",
          "http://" + HOST + ":" + ports().traceBackend() + "/api/v2/spans");
    }
    return out;
  }
}
