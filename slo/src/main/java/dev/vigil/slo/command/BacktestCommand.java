package dev.vigil.slo.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.vigil.prometheus.LocalPrometheus;
import dev.vigil.prometheus.PromDuration;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.prometheus.TsdbBlockWriter;
import dev.vigil.slo.backtest.Backtest;
import dev.vigil.slo.backtest.BacktestHtml;
import dev.vigil.slo.backtest.Incident;
import dev.vigil.slo.backtest.Score;
import dev.vigil.slo.model.Slo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil slo backtest SPEC... [--prometheus URL] --from T [--to T] [--incidents FILE]
 * [--compare SPEC...] [--format table|json|html] [--output FILE]}: what the alerts the specs
 * compile to would have sent over a range of history ({@link Backtest}), scored against known
 * incidents ({@link Score}). HTML ({@link BacktestHtml}) is written to a file, by default under the
 * state directory's {@code backtests/}, where the console's backtests page lists it. Exit 0
 * printed, 1 bad spec, a store failure or nothing evaluated, 2 usage.
 */
@Command(
    name = "backtest",
    mixinStandardHelpOptions = true,
    description =
        "Replay the alerts the specs compile to over history: pages and tickets that would have been"
            + " sent, budget consumed, and per known incident the time to detect and to reset,"
            + " precision and recall.",
    exitCodeOnInvalidInput = 2)
public final class BacktestCommand implements Callable<Integer> {

  /** Ranges longer than this are replayed from TSDB blocks rather than remote write. */
  static final Duration BLOCKS_FROM = Duration.ofDays(1);

  /** Where HTML backtests go by default: the console's backtests page lists this directory. */
  static final Path SAVED = LocalState.resolve("backtests");

  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  @Spec CommandSpec spec;

  @Mixin PrometheusOption prometheus;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "WHEN",
      description = "Start: an ISO-8601 instant, or a duration before now such as 1h or 30d")
  String from;

  @Option(
      names = "--to",
      paramLabel = "WHEN",
      description = "End: an ISO-8601 instant, or a duration before now (default: now)")
  String to;

  @Option(
      names = "--incidents",
      paramLabel = "FILE|DIR",
      description =
          "Known incidents: a YAML list of {name, start, end, slos}, a drill report, or a"
              + " directory of them (default: the drill reports under the state directory's"
              + " drills/ that fall in the range; without any, the windows in which"
              + " vigil_fault_active was 1, i.e. injected faults)")
  Path incidents;

  @Option(
      names = "--compare",
      arity = "1..*",
      paramLabel = "SPEC",
      description = "Candidate specs to replay beside SPEC (e.g. another objective)")
  List<Path> compare = new ArrayList<>();

  @Option(
      names = "--format",
      defaultValue = "table",
      paramLabel = "FORMAT",
      description =
          "table (default), json, or html (a self-contained page with burn-rate charts, written"
              + " to --output)")
  String format;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description =
          "Where --format html is written (default: the state directory's"
              + " backtests/backtest-<time>.html, listed by the console's backtests page)")
  Path output;

  @Mixin SpecFilesParameter specs;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!List.of("table", "json", "html").contains(format)) {
      err.println("unknown --format '" + format + "': use table, json or html");
      return 2;
    }
    Instant now = Instant.now();
    Instant start;
    Instant end;
    try {
      start = when(from, now);
      end = to == null ? now : when(to, now);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    try {
      List<Slo> today = SpecFiles.validSlos(specs.paths(), err);
      List<Slo> candidate = compare.isEmpty() ? List.of() : SpecFiles.validSlos(compare, err);
      if (today == null || candidate == null) {
        return 1;
      }
      PrometheusClient source = new PrometheusClient(prometheus.url());
      List<Incident> known = knownIncidents(source, start, end);
      List<String> skipped = new ArrayList<>();
      boolean charts = format.equals("html");
      List<Backtest.Result> results = replay(source, today, start, end, charts, skipped);
      List<Backtest.Result> candidates =
          candidate.isEmpty() ? List.of() : replay(source, candidate, start, end, charts, skipped);
      skipped.forEach(err::println);
      if (results.isEmpty()) {
        err.println("error: the backtest evaluated nothing between " + start + " and " + end);
        return 1;
      }
      if (format.equals("json")) {
        out.println(json(results, candidates, known));
      } else if (charts) {
        Path file =
            output != null ? output : SAVED.resolve("backtest-" + FILE_TIME.format(now) + ".html");
        if (file.toAbsolutePath().getParent() != null) {
          Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(
            file, BacktestHtml.render(results, candidates, known, "vigil " + commandLine()));
        out.println("backtest written to " + file.toAbsolutePath());
      } else {
        out.print(table(results, known, ""));
        if (!candidates.isEmpty()) {
          out.print(table(candidates, known, "candidate "));
          out.print(comparison(results, candidates));
        }
      }
      out.flush();
      return 0;
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  /**
   * Replays SLOs in a replay Prometheus of their own, stopped and deleted afterwards.
   *
   * @param skipped where an SLO whose history held nothing to evaluate is noted, and left out
   */
  private static List<Backtest.Result> replay(
      PrometheusClient source,
      List<Slo> slos,
      Instant start,
      Instant end,
      boolean charts,
      List<String> skipped)
      throws IOException {
    Path dir = Files.createTempDirectory("vigil-backtest-");
    try (LocalPrometheus replay =
        LocalPrometheus.start(dir.resolve("data"), List.of(), dir.resolve("prometheus.log"))) {
      // A range over a day: blocks into the replay's data directory, queried at block speed once
      // loaded (within a minute per layer). Shorter: remote write, visible at once; its history
      // sits in Prometheus' out-of-order head, slower to read, which a short range hardly reads.
      boolean longRange = Duration.between(start, end).compareTo(BLOCKS_FROM) > 0;
      Backtest backtest =
          new Backtest(
              source,
              replay.client(),
              longRange ? new TsdbBlockWriter(dir.resolve("data")) : replay.writer());
      List<Backtest.Result> results = new ArrayList<>();
      for (Slo slo : slos) {
        try {
          results.add(backtest.run(slo, start, end, charts));
        } catch (Backtest.NothingToEvaluate e) {
          skipped.add("skipped " + e.getMessage());
        }
      }
      return results;
    } finally {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /**
   * The incidents of {@code --incidents}; by default the local stack's drill reports that overlap
   * the range, or, without any, the injected faults' windows in the history.
   */
  private List<Incident> knownIncidents(PrometheusClient source, Instant start, Instant end)
      throws IOException {
    if (incidents != null) {
      return Incident.read(incidents);
    }
    Path drills = LocalState.resolve("drills");
    if (Files.isDirectory(drills)) {
      List<Incident> inRange =
          Incident.read(drills).stream()
              .filter(i -> !i.end().isBefore(start) && !i.start().isAfter(end))
              .toList();
      if (!inRange.isEmpty()) {
        return inRange;
      }
    }
    return Incident.fromFaults(source, start, end);
  }

  /** An ISO-8601 instant, or a Prometheus duration before {@code now}. */
  static Instant when(String text, Instant now) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notAnInstant) {
      try {
        return now.minusMillis(PromDuration.parse(text).millis());
      } catch (IllegalArgumentException notADuration) {
        throw new IllegalArgumentException(
            "'"
                + text
                + "' is neither an ISO-8601 instant nor a duration before now. Fix: write"
                + " 2026-12-07T13:00:00Z or 1h");
      }
    }
  }

  private static String table(List<Backtest.Result> results, List<Incident> incidents, String who) {
    StringBuilder out = new StringBuilder();
    for (Backtest.Result r : results) {
      Slo slo = r.slo();
      out.append(
          String.format(
              Locale.ROOT,
              "%s%s/%s (%s%% over %s), %s .. %s%n",
              who,
              slo.service(),
              slo.name(),
              slo.objectivePercent().toPlainString(),
              slo.period(),
              r.from(),
              r.to()));
      out.append(
          String.format(
              Locale.ROOT,
              "  budget: %s consumed by the range's events, %s remaining over the period at its end%n",
              BacktestHtml.percent(r.consumedPercent()),
              BacktestHtml.percent(r.remainingPercent())));
      for (Backtest.AlertResult a : r.alerts()) {
        out.append(
            String.format(
                Locale.ROOT,
                "  %-28s %s: %d notification%s%n",
                a.title(),
                a.pages() ? "page" : "ticket",
                a.notifications().size(),
                a.notifications().size() == 1 ? "" : "s"));
        for (Backtest.Notification n : a.notifications()) {
          out.append("      ").append(n.describe()).append('\n');
        }
      }
      Score score = Score.of(r, incidents);
      for (Score.Detection d : score.detections()) {
        out.append("  incident ")
            .append(d.incident().name())
            .append(" ")
            .append(d.incident().start())
            .append(" .. ")
            .append(d.incident().end())
            .append(": ")
            .append(
                d.alert() == null
                    ? "not detected"
                    : "detected by "
                        + d.alert()
                        + " after "
                        + BacktestHtml.human(d.detect())
                        + ", reset "
                        + (d.reset() == null ? "not in the range" : BacktestHtml.human(d.reset()))
                        + " after its end")
            .append('\n');
      }
      out.append(
          String.format(
              Locale.ROOT,
              "  recall %s (%d incidents), precision %s (%d of %d notifications belong to an"
                  + " incident)%n%n",
              BacktestHtml.percent(score.recall() * 100),
              score.detections().size(),
              BacktestHtml.percent(score.precision() * 100),
              score.belonging(),
              score.notifications()));
    }
    return out.toString();
  }

  private static String comparison(List<Backtest.Result> today, List<Backtest.Result> candidate) {
    StringBuilder out = new StringBuilder("today against candidate:\n");
    for (Backtest.Result t : today) {
      for (Backtest.Result c : candidate) {
        if (c.slo().service().equals(t.slo().service()) && c.slo().name().equals(t.slo().name())) {
          out.append(
              String.format(
                  Locale.ROOT,
                  "  %s/%s: objective %s%% -> %s%%, pages %d -> %d, tickets %d -> %d%n",
                  t.slo().service(),
                  t.slo().name(),
                  t.slo().objectivePercent().toPlainString(),
                  c.slo().objectivePercent().toPlainString(),
                  t.notifications(true),
                  c.notifications(true),
                  t.notifications(false),
                  c.notifications(false)));
        }
      }
    }
    return out.toString();
  }

  private static String json(
      List<Backtest.Result> today, List<Backtest.Result> candidate, List<Incident> incidents)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("incidents", incidents);
    body.put("slos", today.stream().map(r -> jsonOf(r, incidents)).toList());
    if (!candidate.isEmpty()) {
      body.put("candidate", candidate.stream().map(r -> jsonOf(r, incidents)).toList());
    }
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .writerWithDefaultPrettyPrinter()
        .writeValueAsString(body);
  }

  private static Map<String, Object> jsonOf(Backtest.Result r, List<Incident> incidents) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", r.slo().service());
    m.put("slo", r.slo().name());
    m.put("objective_percent", r.slo().objectivePercent());
    m.put("from", r.from());
    m.put("to", r.to());
    m.put("consumed_percent", finite(r.consumedPercent()));
    m.put("remaining_percent", finite(r.remainingPercent()));
    List<Map<String, Object>> alerts = new ArrayList<>();
    for (Backtest.AlertResult a : r.alerts()) {
      Map<String, Object> alert = new LinkedHashMap<>();
      alert.put("alert", a.alert());
      alert.put("labels", a.labels());
      alert.put("for", a.forDuration().toString());
      alert.put("notifications", a.notifications());
      alerts.add(alert);
    }
    m.put("alerts", alerts);
    Score score = Score.of(r, incidents);
    m.put("detections", score.detections());
    m.put("recall", finite(score.recall()));
    m.put("precision", finite(score.precision()));
    return m;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** The command line as typed after the program's name, e.g. {@code slo backtest --from 1h}. */
  private String commandLine() {
    return String.join(" ", spec.root().commandLine().getParseResult().originalArgs());
  }
}
