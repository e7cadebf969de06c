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
      Optional<List<String>> program = c.program(commands);
      if (program.isEmpty()) {
        if (c.tool().isPresent()) {
          missing.add(c);
        }
        continue;
      }
      List<String> command = new ArrayList<>(program.get());
      command.addAll(c.arguments(this));
      launches.add(
          new Launch(
              c, List.copyOf(command), Map.copyOf(c.environment(this)), readiness(profile, c)));
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
    return URI.create(url(profile, component) + component.readinessPath());
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
