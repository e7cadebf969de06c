package dev.vigil.drills.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.drills.budget.BudgetChange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one drill run: the timeline, each expected alert's measured times next to the
 * times its rule's math predicts, the alerts that must not fire, the error budget each SLO lost,
 * and pass/fail per expectation. Written as markdown ({@link #markdown()}) and JSON ({@link
 * #json()}).
 *
 * @param drill the drill's name
 * @param description the drill's description
 * @param profile {@code fast} or {@code real} ({@link DrillTiming#name()})
 * @param service the service's base URL the drill sent traffic to
 * @param startedAt when the baseline load started
 * @param faultAt when the fault was injected, or null when the drill stopped before
 * @param firstBadSample first instant the drill's signal was above 0, or null (no signal or none)
 * @param faultClearedAt when recovery finished (fault cleared, service back), or null
 * @param endedAt when the drill ended
 * @param alerts one result per expected alert, in the drill's order
 * @param quiet one result per alert that must not fire
 * @param budgets the error budget of every SLO with a recorded budget, before and after
 * @param problems failures of the drill itself (fault not injected, admin API missing...)
 */
public record DrillReport(
    String drill,
    String description,
    String profile,
    String service,
    Instant startedAt,
    Instant faultAt,
    Instant firstBadSample,
    Instant faultClearedAt,
    Instant endedAt,
    List<AlertResult> alerts,
    List<QuietResult> quiet,
    List<BudgetResult> budgets,
    List<String> problems) {

  /**
   * What happened to one expected alert. Times are instants (UTC); null when not observed.
   *
   * @param expectation the expectation in words
   * @param alert the alert name
   * @param receiver the expected receiver
   * @param predictedFiring predicted time from the fault to firing, or null when no rule
   * @param predictedNotified predicted time from the fault to the notification, or null
   * @param notifyDeadline the deadline for the notification, from the fault, or null
   * @param predictedResolved predicted time from the fault's end to the resolved notification, or
   *     null when no resolution is expected
   * @param resolveDeadline its deadline, or null
   * @param pendingAt first seen pending (or firing) in Prometheus
   * @param firingAt first seen firing in Prometheus
   * @param routedTo receivers Alertmanager chose
   * @param notifiedAt firing notification recorded by the receiver
   * @param severity severity of that notification
   * @param runbook the runbook URL of the notification
   * @param resolvedAt resolved notification recorded by the receiver
   * @param failure why this expectation failed, or null when it held
   */
  public record AlertResult(
      String expectation,
      String alert,
      String receiver,
      Duration predictedFiring,
      Duration predictedNotified,
      Duration notifyDeadline,
      Duration predictedResolved,
      Duration resolveDeadline,
      Instant pendingAt,
      Instant firingAt,
      List<String> routedTo,
      Instant notifiedAt,
      String severity,
      String runbook,
      Instant resolvedAt,
      String failure) {

    /**
     * Whether the expectation held.
     *
     * @return true when it did
     */
    public boolean passed() {
      return failure == null;
    }
  }

  /**
   * An alert that must not fire.
   *
   * @param alert the alert and labels, e.g. {@code SloBurnRatePage{slo=availability}}
   * @param firedAt when it was seen firing, or null (it stayed quiet)
   * @param firingBefore when it was already firing as the drill started (then not judged), or null
   */
  public record QuietResult(String alert, Instant firedAt, Instant firingBefore) {

    /**
     * Whether the alert stayed quiet.
     *
     * @return true when it never fired
     */
    public boolean passed() {
      return firedAt == null;
    }
  }

  /**
   * One SLO's error budget over the drill, from {@code slo:error_budget_remaining:ratio}.
   *
   * @param slo the SLO's name
   * @param remainingBefore budget remaining (fraction of the budget) when the drill started, or
   *     null when not recorded
   * @param remainingAfter budget remaining when the drill ended, or null
   * @param expectBurns true or false when the drill states what must happen, null when not
   * @param failure why the budget expectation failed, or null
   */
  public record BudgetResult(
      String slo,
      Double remainingBefore,
      Double remainingAfter,
      Boolean expectBurns,
      String failure) {

    /**
     * Judges a budget change against the drill's expectation.
     *
     * @param change the SLO's budget from the fault's start to the drill's end
     * @param burns true when the drill expects the budget to burn, false when it expects none
     *     consumed, null when it states nothing (then the result always holds)
     * @return the result; its failure names what was expected and what was measured
     */
    public static BudgetResult judge(BudgetChange change, Boolean burns) {
      Double before = change.remainingBefore();
      Double after = change.remainingAfter();
      String failure = null;
      if (burns != null && (before == null || after == null)) {
        failure =
            BudgetChange.selector(change.slo())
                + " was not recorded at the "
                + (before == null ? "start" : "end")
                + " of the drill; check the SLO rules and that the SLI has data";
      } else if (burns != null && burns && !(before - after > 0)) {
        failure =
            String.format(
                Locale.ROOT,
                "expected the budget to burn, but remaining went from %.4f%% to %.4f%%",
                before * 100,
                after * 100);
      } else if (burns != null && !burns && before - after > 1e-9) {
        failure =
            String.format(
                Locale.ROOT,
                "expected no budget burn, but %.4f%% of the budget was consumed",
                (before - after) * 100);
      }
      return new BudgetResult(change.slo(), before, after, burns, failure);
    }

    /**
     * The budget change this result judged.
     *
     * @return the SLO's remaining budget before and after
     */
    public BudgetChange change() {
      return new BudgetChange(slo, remainingBefore, remainingAfter);
    }

    /**
     * The budget the drill consumed: remaining before minus remaining after.
     *
     * @return a fraction of the whole budget (0.02 = 2%), or null when not measurable
     */
    public Double consumed() {
      return change().consumed();
    }
  }

  /**
   * Whether every expectation held and the drill itself ran.
   *
   * @return true when the drill passed
   */
  public boolean passed() {
    return problems.isEmpty()
        && alerts.stream().allMatch(AlertResult::passed)
        && quiet.stream().allMatch(QuietResult::passed)
        && budgets.stream().allMatch(b -> b.failure() == null);
  }

  /**
   * Every broken expectation in words.
   *
   * @return one line per failure, empty when the drill passed
   */
  public List<String> failures() {
    List<String> out = new ArrayList<>(problems);
    alerts.stream()
        .filter(a -> !a.passed())
        .forEach(a -> out.add(a.expectation() + ": " + a.failure()));
    quiet.stream()
        .filter(q -> !q.passed())
        .forEach(q -> out.add(q.alert() + " must not fire, but fired at " + q.firedAt()));
    budgets.stream()
        .filter(b -> b.failure() != null)
        .forEach(b -> out.add("budget of SLO " + b.slo() + ": " + b.failure()));
    return out;
  }

  /**
   * One event of the timeline.
   *
   * @param at when
   * @param event what happened, e.g. {@code HighErrorRate firing in Prometheus}
   */
  public record Event(Instant at, String event) {}

  /**
   * The timeline in the seeds' postmortem style: fault start, first bad sample, pending, firing,
   * notified, fault cleared, resolved; in time order.
   *
   * @return the events
   */
  public List<Event> timeline() {
    List<Event> out = new ArrayList<>();
    out.add(new Event(startedAt, "drill starts: baseline load"));
    add(out, faultAt, "fault starts");
    add(out, firstBadSample, "first bad sample (signal above 0)");
    for (AlertResult a : alerts) {
      add(out, a.pendingAt(), a.alert() + " pending in Prometheus");
      add(out, a.firingAt(), a.alert() + " firing in Prometheus");
      add(
          out,
          a.notifiedAt(),
          a.alert() + " notified at " + a.receiver() + " (severity " + a.severity() + ")");
      add(out, a.resolvedAt(), a.alert() + " resolved notification at " + a.receiver());
    }
    for (QuietResult q : quiet) {
      add(out, q.firedAt(), q.alert() + " fired although it must not");
    }
    add(out, faultClearedAt, "fault cleared, service restored");
    add(out, endedAt, "drill ends");
    out.sort(Comparator.comparing(Event::at));
    return out;
  }

  private static void add(List<Event> out, Instant at, String event) {
    if (at != null) {
      out.add(new Event(at, event));
    }
  }

  /**
   * Time from one instant to another.
   *
   * @param from the start, or null
   * @param to the end, or null
   * @return the duration, or null when either is null
   */
  public static Duration between(Instant from, Instant to) {
    return from == null || to == null ? null : Duration.between(from, to);
  }

  /**
   * The report as markdown: verdict, timeline, detection and resolution per alert next to the
   * prediction, quiet alerts, budget per SLO, failures.
   *
   * @return the markdown text
   */
  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Drill ")
        .append(drill)
        .append(": ")
        .append(passed() ? "PASS" : "FAIL")
        .append("\n\n");
    md.append(description).append("\n\n");
    md.append("- Profile: **")
        .append(profile)
        .append("**")
        .append(profile.equals("fast") ? " (rule `for` and intervals shortened)" : "")
        .append("\n- Service: ")
        .append(service)
        .append("\n- Window: ")
        .append(startedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
        .append(" to ")
        .append(endedAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
        .append("\n\n## Timeline (UTC)\n\n| Time | Event |\n|---|---|\n");
    for (Event e : timeline()) {
      md.append("| ")
          .append(e.at().truncatedTo(java.time.temporal.ChronoUnit.MILLIS))
          .append(" | ")
          .append(e.event())
          .append(" |\n");
    }
    md.append(
        "\n## Detection and resolution\n\n| Alert | Receiver | Time to detect (fault to"
            + " notification) | Predicted | Deadline | Time to resolve (fault cleared to resolved)"
            + " | Predicted | Result |\n|---|---|---|---|---|---|---|---|\n");
    for (AlertResult a : alerts) {
      md.append("| ")
          .append(a.alert())
          .append(" | ")
          .append(a.receiver())
          .append(" | ")
          .append(seconds(between(faultAt, a.notifiedAt())))
          .append(" | ")
          .append(seconds(a.predictedNotified()))
          .append(" | ")
          .append(seconds(a.notifyDeadline()))
          .append(" | ")
          .append(seconds(between(faultClearedAt, a.resolvedAt())))
          .append(" | ")
          .append(seconds(a.predictedResolved()))
          .append(" | ")
          .append(a.passed() ? "PASS" : "FAIL")
          .append(" |\n");
    }
    if (!quiet.isEmpty()) {
      md.append("\n## Alerts that must not fire\n\n");
      for (QuietResult q : quiet) {
        md.append("- ")
            .append(q.alert())
            .append(": ")
            .append(
                q.firingBefore() != null
                    ? "already firing since "
                        + q.firingBefore()
                        + " when the drill began: not judged"
                    : q.passed() ? "stayed quiet (PASS)" : "fired at " + q.firedAt() + " (FAIL)")
            .append('\n');
      }
    }
    md.append(
        "\n## Error budget consumed\n\nFrom `slo:error_budget_remaining:ratio` when the fault"
            + " started and when the drill ended (percent of the whole budget; on a stack with"
            + " little history the 30-day ratio rests on minutes of data, so figures are large).\n\n");
    md.append(
        BudgetChange.markdownTable(
            budgets,
            BudgetResult::change,
            "Consumed by the drill",
            List.of("Expected", "Result"),
            b ->
                List.of(
                    b.expectBurns() == null ? "-" : b.expectBurns() ? "burns" : "does not burn",
                    b.expectBurns() == null ? "-" : b.failure() == null ? "PASS" : "FAIL")));
    List<String> failures = failures();
    md.append("\n## Verdict\n\n");
    if (failures.isEmpty()) {
      md.append("Every expectation held.\n");
    } else {
      failures.forEach(f -> md.append("- FAIL: ").append(f).append('\n'));
    }
    return md.toString();
  }

  /**
   * The report as a JSON tree (durations in seconds, instants RFC 3339).
   *
   * @return the JSON text, pretty-printed
   */
  public String json() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("drill", drill);
    root.put("passed", passed());
    root.put("profile", profile);
    root.put("service", service);
    root.put("startedAt", text(startedAt));
    root.put("faultAt", text(faultAt));
    root.put("firstBadSample", text(firstBadSample));
    root.put("faultClearedAt", text(faultClearedAt));
    root.put("endedAt", text(endedAt));
    List<Map<String, Object>> timeline = new ArrayList<>();
    for (Event e : timeline()) {
      timeline.add(Map.of("at", e.at().toString(), "event", e.event()));
    }
    root.put("timeline", timeline);
    List<Map<String, Object>> alertList = new ArrayList<>();
    for (AlertResult a : alerts) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("alert", a.alert());
      m.put("expectation", a.expectation());
      m.put("receiver", a.receiver());
      m.put("passed", a.passed());
      m.put("failure", a.failure());
      m.put("pendingAt", text(a.pendingAt()));
      m.put("firingAt", text(a.firingAt()));
      m.put("notifiedAt", text(a.notifiedAt()));
      m.put("resolvedAt", text(a.resolvedAt()));
      m.put("routedTo", a.routedTo());
      m.put("severity", a.severity());
      m.put("runbook", a.runbook());
      m.put("timeToFiringSeconds", secs(between(faultAt, a.firingAt())));
      m.put("timeToDetectSeconds", secs(between(faultAt, a.notifiedAt())));
      m.put("predictedFiringSeconds", secs(a.predictedFiring()));
      m.put("predictedDetectSeconds", secs(a.predictedNotified()));
      m.put("detectDeadlineSeconds", secs(a.notifyDeadline()));
      m.put("timeToResolveSeconds", secs(between(faultClearedAt, a.resolvedAt())));
      m.put("predictedResolveSeconds", secs(a.predictedResolved()));
      m.put("resolveDeadlineSeconds", secs(a.resolveDeadline()));
      alertList.add(m);
    }
    root.put("alerts", alertList);
    List<Map<String, Object>> quietList = new ArrayList<>();
    for (QuietResult q : quiet) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("alert", q.alert());
      m.put("passed", q.passed());
      m.put("firedAt", text(q.firedAt()));
      m.put("firingBefore", text(q.firingBefore()));
      quietList.add(m);
    }
    root.put("mustNotFire", quietList);
    List<Map<String, Object>> budgetList = new ArrayList<>();
    for (BudgetResult b : budgets) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("slo", b.slo());
      m.put("remainingBefore", b.remainingBefore());
      m.put("remainingAfter", b.remainingAfter());
      m.put("consumed", b.consumed());
      m.put("expectBurns", b.expectBurns());
      m.put("failure", b.failure());
      budgetList.add(m);
    }
    root.put("budgets", budgetList);
    root.put("failures", failures());
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root)
          + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code <drill>-<start>.md} and {@code .json} into a directory.
   *
   * @param dir the directory, created when missing
   * @return the markdown file's path
   * @throws UncheckedIOException when the files cannot be written
   */
  public Path write(Path dir) {
    String stem = drill + "-" + startedAt.toString().replace(":", "").replaceAll("\\.\\d+", "");
    try {
      Files.createDirectories(dir);
      Path md = dir.resolve(stem + ".md");
      Files.writeString(md, markdown());
      Files.writeString(dir.resolve(stem + ".json"), json());
      return md;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the drill report into " + dir, e);
    }
  }

  private static String text(Instant i) {
    return i == null ? null : i.toString();
  }

  private static Double secs(Duration d) {
    return d == null ? null : d.toMillis() / 1000.0;
  }

  /**
   * A duration as the report and the progress lines write it, e.g. {@code 42.5 s}.
   *
   * @param d the duration, or null
   * @return seconds with one decimal and the unit, or {@code -} for null
   */
  public static String seconds(Duration d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
