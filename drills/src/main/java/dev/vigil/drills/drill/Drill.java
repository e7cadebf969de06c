package dev.vigil.drills.drill;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.prometheus.PromDuration;
import java.util.List;
import java.util.Map;

/**
 * A game-day exercise as written in a drill file under {@code drills/} (read by {@link
 * DrillFiles}): a baseline load, one fault, the alerts that must fire (and where they must arrive),
 * the alerts that must not fire, what happens to the error budgets, and how the system recovers.
 *
 * <p>Durations are Prometheus durations ({@code 30s}, {@code 5m}), read once as {@link
 * PromDuration} when the file is read (the one duration grammar of vigil). Durations that describe
 * the system's reaction ({@code onset}, {@code deadline}, {@code resolveDeadline}) are written for
 * the real timing of {@code deploy/} and scaled for the fast profile by {@link DrillTiming};
 * durations the drill itself controls ({@code load.duration}, {@code fault.hold}) are used as
 * written.
 *
 * @param name the drill's name, equal to its file name without {@code .yaml}
 * @param description what the drill does and which seed incident it replays, one or two sentences
 * @param load traffic before, during and after the fault
 * @param fault what is done to the system; absent for drills that only observe (Watchdog)
 * @param signal a PromQL expression that is above 0 while the fault is visible in the metrics (the
 *     timeline's "first bad sample"), or null
 * @param expect the alerts that must fire, each with its receiver; at least one
 * @param mustNotFire alerts that must not fire at any moment of the drill
 * @param budget what must happen to each named SLO's error budget
 * @param recovery how normal service is restored and how long resolution may take
 */
public record Drill(
    @JsonProperty("name") String name,
    @JsonProperty("description") String description,
    @JsonProperty("load") Load load,
    @JsonProperty("fault") FaultStep fault,
    @JsonProperty("signal") String signal,
    @JsonProperty("expect") List<ExpectedAlert> expect,
    @JsonProperty("mustNotFire") List<AlertMatch> mustNotFire,
    @JsonProperty("budget") List<BudgetExpectation> budget,
    @JsonProperty("recovery") Recovery recovery) {

  /** Normalises absent lists and sections to empty ones. */
  public Drill {
    load = load == null ? new Load(0, null, List.of()) : load;
    mustNotFire = mustNotFire == null ? List.of() : List.copyOf(mustNotFire);
    budget = budget == null ? List.of() : List.copyOf(budget);
    expect = expect == null ? List.of() : List.copyOf(expect);
    recovery = recovery == null ? new Recovery(0, null, null) : recovery;
  }

  /**
   * Whether this drill needs the admin API of the services (fault injection).
   *
   * @return true when its fault is an {@code admin} step
   */
  public boolean needsAdminApi() {
    return fault != null && fault.action() instanceof AdminFault;
  }

  /**
   * The baseline load: {@code rate} requests per second spread over {@code mix}, for {@code
   * duration} before the fault, and on until the drill ends.
   *
   * @param rate requests per second in total, 0 (no load) or 0.1..50
   * @param duration how long the load runs before the fault, e.g. {@code 20s}
   * @param mix paths and their weights; the rate is split in proportion to the weights
   */
  public record Load(
      @JsonProperty("rate") double rate,
      @JsonProperty("duration") PromDuration duration,
      @JsonProperty("mix") List<MixEntry> mix) {

    /** Normalises an absent mix and duration. */
    public Load {
      mix = mix == null ? List.of() : List.copyOf(mix);
      duration = duration == null ? PromDuration.ofSeconds(0) : duration;
    }
  }

  /**
   * One request of the load mix.
   *
   * @param path a path of the service, e.g. {@code /api/products}
   * @param weight its share of the rate, relative to the other entries' weights
   * @param method {@code GET} (default) or {@code POST}
   * @param body the JSON body of a POST, or null
   */
  public record MixEntry(
      @JsonProperty("path") String path,
      @JsonProperty("weight") double weight,
      @JsonProperty("method") String method,
      @JsonProperty("body") String body) {

    /** Defaults the method to GET. */
    public MixEntry {
      method = method == null ? "GET" : method;
    }
  }

  /**
   * The fault: exactly one of {@code http}, {@code stop} or {@code admin}.
   *
   * @param http bursts of requests the service answers with errors
   * @param stop a service process stopped (crash, failed deploy)
   * @param admin a fault set through the services' admin API (see docs/drills.md)
   * @param hold the fault stays at least this long, even when every expected alert has already been
   *     notified (e.g. so that an outage burns budget), e.g. {@code 30s}; null for none
   */
  public record FaultStep(
      @JsonProperty("http") HttpBurst http,
      @JsonProperty("stop") StopService stop,
      @JsonProperty("admin") AdminFault admin,
      @JsonProperty("hold") PromDuration hold) {

    /**
     * The one action the step holds, as a closed set of kinds to switch over; the three nullable
     * fields exist only for the YAML binding, and {@link DrillFiles} refuses a step with none or
     * more than one.
     *
     * @return the {@code http}, {@code stop} or {@code admin} action
     * @throws IllegalStateException when the step holds none (a step not validated by DrillFiles)
     */
    public Action action() {
      if (http != null) {
        return http;
      }
      if (stop != null) {
        return stop;
      }
      if (admin != null) {
        return admin;
      }
      throw new IllegalStateException("a fault step needs one of http, stop or admin");
    }
  }

  /** What a fault step does: exactly one of these kinds. */
  public sealed interface Action permits HttpBurst, StopService, AdminFault {}

  /**
   * Bursts of GET requests to a path the service answers with an error, e.g. the seed's loop of 100
   * requests to {@code /nonexistent} (404) or the catalog's {@code /data/error} (500).
   *
   * @param path the path, e.g. {@code /nonexistent}
   * @param burst requests per burst, 1..1000
   * @param every time between the starts of two bursts, e.g. {@code 5s}
   */
  public record HttpBurst(
      @JsonProperty("path") String path,
      @JsonProperty("burst") Integer burst,
      @JsonProperty("every") PromDuration every)
      implements Action {}

  /**
   * Stops one service of the local stack (SIGTERM) and starts it again on recovery.
   *
   * @param service {@code catalog} or {@code payments}
   */
  public record StopService(@JsonProperty("service") String service) implements Action {}

  /**
   * A fault of the admin API contract ({@code PUT /admin/faults/{fault}}), cleared on recovery.
   *
   * @param service whose admin API: {@code catalog} or {@code payments}
   * @param fault e.g. {@code http_errors}, {@code db_slow_statement}, {@code payment_unreachable}
   * @param target route template or statement name, or null for {@code *}
   * @param params the fault's parameters, e.g. {@code {ratio: 0.5}}
   * @param ttl expiry so that a drill that dies leaves no fault behind, e.g. {@code 10m}; positive,
   *     or null for none (sent to the admin API as {@link PromDuration#toString()})
   */
  public record AdminFault(
      @JsonProperty("service") String service,
      @JsonProperty("fault") String fault,
      @JsonProperty("target") String target,
      @JsonProperty("params") Map<String, Object> params,
      @JsonProperty("ttl") PromDuration ttl)
      implements Action {

    /** Normalises absent params. */
    public AdminFault {
      params = params == null ? Map.of() : Map.copyOf(params);
    }
  }

  /**
   * An alert that must fire, reach a receiver and (usually) resolve.
   *
   * @param alert the alert name, e.g. {@code HighErrorRate}
   * @param severity its {@code severity} label, e.g. {@code critical}
   * @param receiver the Alertmanager receiver it must reach, e.g. {@code pager}
   * @param labels further labels the alert must carry, e.g. {@code {slo: availability}}
   * @param onset time from the fault's start until the rule's expression holds, for the real timing
   *     (scaled in the fast profile), or null for two scrape intervals
   * @param deadline the longest time from the fault's start to the notification, or null for the
   *     rule's math (see {@link DrillTiming#notifyDeadline})
   * @param resolves whether a resolved notification must follow recovery (default true)
   */
  public record ExpectedAlert(
      @JsonProperty("alert") String alert,
      @JsonProperty("severity") String severity,
      @JsonProperty("receiver") String receiver,
      @JsonProperty("labels") Map<String, String> labels,
      @JsonProperty("onset") PromDuration onset,
      @JsonProperty("deadline") PromDuration deadline,
      @JsonProperty("resolves") Boolean resolves) {

    /** Normalises absent labels. */
    public ExpectedAlert {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /**
     * Whether a resolved notification is expected.
     *
     * @return {@code resolves}, true when not written
     */
    public boolean mustResolve() {
      return resolves == null || resolves;
    }

    /**
     * The expectation in words, e.g. {@code HighErrorRate (critical) reaches pager, then resolves}.
     *
     * @return the sentence
     */
    public String describe() {
      return alert
          + (labels.isEmpty() ? "" : labels.toString())
          + " ("
          + severity
          + ") reaches "
          + receiver
          + (mustResolve() ? ", then resolves" : "");
    }

    /**
     * The matcher of this alert, for looking it up.
     *
     * @return name and labels
     */
    public AlertMatch match() {
      return new AlertMatch(alert, labels);
    }
  }

  /**
   * An alert by name and labels, e.g. {@code SloBurnRatePage} with {@code {slo: availability}}.
   *
   * @param alert the alert name
   * @param labels labels it must carry (all of them), empty for any
   */
  public record AlertMatch(
      @JsonProperty("alert") String alert, @JsonProperty("labels") Map<String, String> labels) {

    /** Normalises absent labels. */
    public AlertMatch {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /**
     * Whether an alert with these name and labels matches.
     *
     * @param name the alert's name
     * @param alertLabels all its labels
     * @return true when the name is equal and every label of this matcher is present and equal
     */
    public boolean matches(String name, Map<String, String> alertLabels) {
      return alert.equals(name)
          && labels.entrySet().stream()
              .allMatch(e -> e.getValue().equals(alertLabels.get(e.getKey())));
    }

    /**
     * A PromQL selector of this alert's {@code ALERTS} series.
     *
     * @param state {@code pending} or {@code firing}
     * @return e.g. {@code ALERTS{alertname="SloBurnRatePage",alertstate="firing",slo="uptime"}}
     */
    public String alertsSelector(String state) {
      StringBuilder s =
          new StringBuilder("ALERTS{alertname=\"")
              .append(alert)
              .append("\",alertstate=\"")
              .append(state)
              .append('"');
      labels.forEach((k, v) -> s.append(',').append(k).append("=\"").append(v).append('"'));
      return s.append('}').toString();
    }

    @Override
    public String toString() {
      return alert + (labels.isEmpty() ? "" : labels.toString());
    }
  }

  /**
   * What the drill must do to one SLO's error budget, measured as the change of {@code
   * slo:error_budget_remaining:ratio} over the drill.
   *
   * @param slo the SLO's name, e.g. {@code uptime}
   * @param burns true: the budget must go down; false: it must not go down
   */
  public record BudgetExpectation(
      @JsonProperty("slo") String slo, @JsonProperty("burns") Boolean burns) {}

  /**
   * How normal service comes back.
   *
   * @param dilute good requests sent per error request sent, right after the fault is cleared, so
   *     that rate-window ratios fall below their thresholds without waiting for the window (the
   *     seed's {@code ab -n 10000 /}); 0 for none
   * @param onset time from recovery until the rule's expression no longer holds, real timing, or
   *     null for two scrape intervals
   * @param resolveDeadline the longest time from recovery to each resolved notification, or null
   *     for the rule's math
   */
  public record Recovery(
      @JsonProperty("dilute") int dilute,
      @JsonProperty("onset") PromDuration onset,
      @JsonProperty("resolveDeadline") PromDuration resolveDeadline) {}
}
