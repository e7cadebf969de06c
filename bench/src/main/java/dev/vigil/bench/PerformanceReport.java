package dev.vigil.bench;

import dev.vigil.bench.load.Configuration;
import dev.vigil.bench.load.Endpoint;
import dev.vigil.bench.load.MemoryGrowth;
import dev.vigil.bench.load.ServiceRun;
import dev.vigil.bench.load.ServiceSpec;
import dev.vigil.bench.load.Spread;
import dev.vigil.bench.slo.ColdGenerate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Writes docs/performance.md from a bench run: issue 25's goals with this run's figures, machine
 * and method (load average included), command lines, one table per measurement (each figure the
 * median of the runs with min and max, ratios computed run by run), the key ratios from a second
 * load generator (hey) beside wrk's, where the CPU went, and the performance targets with the
 * measured value, whether it is met and by how much it is missed. A hand-written analysis
 * (bench/analysis.md) is appended when present; the reasons and next steps of goals not met come
 * from the hand-written {@value #GOALS_FILE}.
 *
 * <p>A run replaces in the existing file only the sections and subsections it renders, and keeps
 * every other one in place ({@link ReportMerge}): sections written by hand, subsections added by
 * hand inside a generated section, and, in a run of some parts ({@code BENCH_PARTS}), the sections
 * of the other parts, which stay as the last full run wrote them; that run's own sections are
 * marked with it.
 */
public final class PerformanceReport {

  /** Heading of the SLO compilation section. */
  static final String SLO_HEADING = "## SLO compilation: 1,000 SLOs";

  private static final String HOT_PATH_HEADING =
      "## Hot path: the per-request cost of the HTTP instrumentation (JMH)";
  private static final String SCRAPE_HEADING = "## Scrape cost: one /metrics response (JMH)";
  private static final String LOAD_HEADING =
      "## Service throughput and latency (wrk, loopback, keep-alive)";
  private static final String TARGETS_HEADING = "## Targets";

  // ---- the targets, each limit written once

  static final Target HOT_PATH = Target.below("hot path, metrics, matched route", 200, "ns/op");
  static final Target HOT_PATH_ALLOCATION =
      Target.zero("hot path allocation, matched route", "B/op", "allocates per request");
  static final Target UNMATCHED_ALLOCATION =
      Target.zero("hot path allocation, unmatched route (404)", "B/op", "allocates per request");
  static final Target SCRAPE_1K = Target.below("scrape at 1k series", 5, "ms");
  static final Target SCRAPE_LINEAR = Target.atMost("scrape cost per series, 50k / 1k", 1.5);
  static final Target METRICS_COST = Target.atLeast("(b) metrics / (a) none, throughput", 0.97);
  static final Target EVERYTHING_COST =
      Target.atLeast("(d) everything / (a) none, throughput", 0.95);
  static final Target HALF_PEAK_P99 =
      Target.below("p99 at half the peak rate (worst vigil configuration)", 5, "ms");
  static final Target SPRING_THROUGHPUT =
      Target.atLeast("vigil (d) / Spring throughput (worst scenario)", 2);
  static final Target SPRING_START = Target.atMost("vigil (d) / Spring start to ready", 0.5);
  static final Target SPRING_RSS = Target.atMost("vigil (d) / Spring RSS under load", 0.5);
  static final Target LIVE_SCRAPE =
      Target.below("live /metrics scrape of the catalog over HTTP", 5, "ms");
  static final Target HEAP_GROWTH =
      Target.below("no memory growth with request count: heap after full GC", 10, "%");
  static final Target SERIES_GROWTH =
      Target.zero(
          "no memory growth with request count: http_requests_total series added",
          "series",
          "HTTP series grew");
  static final Target SLO_GENERATE = Target.below("vigil slo generate, 1,000 SLOs", 3000, "ms");

  /** Where the reason and next step of a goal not met are written by hand. */
  static final String GOALS_FILE = "bench/goals.md";

  /** The largest relative difference allowed between hey's and wrk's figure of one ratio. */
  static final Target GENERATORS_AGREE =
      new Target(
          "hey and wrk agree on the key ratios: largest |hey / wrk - 1|",
          Target.Bound.AT_MOST,
          10,
          "%",
          "");

  /**
   * A goal of issue 25 as the goals table shows it.
   *
   * @param key its row in {@value #GOALS_FILE}, e.g. {@code spring-throughput}
   * @param figure what is measured
   * @param target the limit, shared with the targets table
   */
  record Goal(String key, String figure, Target target) {}

  /**
   * Issue 25's goals, in the order, then its "hot path stays 0 B/op" and its harness check.
   */
  static final List<Goal> GOALS =
      List.of(
          new Goal(
              "spring-throughput",
              "(d) everything / Spring Boot + Actuator throughput, worst endpoint and connection count (wrk)",
              SPRING_THROUGHPUT),
          new Goal(
              "everything-vs-none",
              "(d) everything / (a) none, throughput, worst endpoint and connection count (wrk)",
              EVERYTHING_COST),
          new Goal("spring-rss", "RSS under load, (d) / Spring Boot", SPRING_RSS),
          new Goal(
              "half-peak-p99",
              "p99 at half the peak rate (hey -q), worst vigil configuration and endpoint",
              HALF_PEAK_P99),
          new Goal(
              "slo-generate",
              "`vigil slo generate` of 1,000 SLOs, cold CLI as `./vigil` starts it (AOT cache)",
              SLO_GENERATE),
          new Goal(
              "metrics-hot-path",
              "the metrics' hot path, matched route, allocation (JMH)",
              HOT_PATH_ALLOCATION),
          new Goal(
              "generators-agree",
              "a second load generator (hey) agrees with wrk on (d) / Spring and (d) / (a)",
              GENERATORS_AGREE));

  /** Heading of the goals section. */
  static final String GOALS_HEADING = "## Issue 25's goals, from this run";

  /**
   * The reason a goal is not met and the next step, written by hand.
   *
   * @param reason what the measurements say holds it back
   * @param next what to do next
   */
  record GoalNote(String reason, String next) {}

  private record Measured(double value, String text) {}

  private final BenchResults r;
  private final StringBuilder md = new StringBuilder();
  private final List<String[]> targets = new ArrayList<>();
  private final Map<Target, Measured> measured = new HashMap<>();
  private final Map<String, GoalNote> notes;

  private PerformanceReport(BenchResults results, Map<String, GoalNote> notes) {
    this.r = results;
    this.notes = notes;
  }

  /**
   * Renders the report without reasons for goals not met.
   *
   * @param results what the bench measured
   * @param analysis hand-written analysis to append, or empty
   * @return the markdown text
   */
  public static String render(BenchResults results, Optional<String> analysis) {
    return render(results, analysis, Optional.empty());
  }

  /**
   * Renders what this run measured. A run of every part renders the whole report (title,
   * introduction, issue 25's goals, machine and method, every measurement, the targets, the
   * analysis); a run of some parts renders only the sections of those parts, each marked with the
   * run, for {@link #merge(String, String)} to put into the previous report.
   *
   * @param results what the bench measured
   * @param analysis hand-written analysis to append, or empty
   * @param goalNotes the hand-written {@value #GOALS_FILE} (reasons and next steps of goals not
   *     met), or empty
   * @return the markdown text
   */
  public static String render(
      BenchResults results, Optional<String> analysis, Optional<String> goalNotes) {
    PerformanceReport report =
        new PerformanceReport(
            results, goalNotes.map(PerformanceReport::parseNotes).orElse(Map.of()));
    boolean all = results.settings().allParts();
    int goalsAt = 0;
    if (all) {
      report.preamble();
      goalsAt = report.md.length();
      report.machine();
    }
    if (report.runs("jmh")) {
      report.hotPath();
      report.scrape();
    }
    if (report.runs("load")) {
      report.load();
    }
    if (report.runs("memory")) {
      report.memory();
    }
    if (report.runs("slo")) {
      report.sloCompile();
    }
    if (all) {
      report.targets();
      analysis.ifPresent(a -> report.md.append("\n").append(a.strip()).append("\n"));
      report.md.insert(goalsAt, report.goals());
    }
    return report.md.toString();
  }

  /**
   * Writes the report without reasons for goals not met; see {@link #write(BenchResults, Path,
   * Path, Path)}.
   *
   * @param results what the bench measured
   * @param file the markdown file, e.g. docs/performance.md
   * @param analysisFile hand-written analysis to append, if it exists
   * @throws IllegalStateException when the file cannot be written
   */
  public static void write(BenchResults results, Path file, Path analysisFile) {
    write(results, file, analysisFile, null);
  }

  /**
   * Writes the report into {@code file}: what this run rendered replaces the sections and
   * subsections with the same headings, everything else in the file (sections written by hand,
   * subsections added by hand inside a generated section, sections of parts this run did not
   * measure) stays in place ({@link #merge(String, String)}).
   *
   * @param results what the bench measured
   * @param file the markdown file, e.g. docs/performance.md
   * @param analysisFile hand-written analysis to append, if it exists
   * @param goalsFile hand-written reasons and next steps of the goals ({@value #GOALS_FILE}), if it
   *     exists; {@code null} for none
   * @throws IllegalStateException when the file cannot be written
   */
  public static void write(BenchResults results, Path file, Path analysisFile, Path goalsFile) {
    try {
      String text =
          render(
              results,
              readIfExists(analysisFile),
              goalsFile == null ? Optional.empty() : readIfExists(goalsFile));
      if (Files.exists(file)) {
        text = merge(Files.readString(file), text);
      }
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static Optional<String> readIfExists(Path file) throws IOException {
    return Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.empty();
  }

  /**
   * Puts a run's report into the previous one, keeping what the run did not render.
   *
   * @param previous the existing report
   * @param rendered the report of this run ({@link #render(BenchResults, Optional, Optional)})
   * @return {@code previous} with each section and subsection of {@code rendered} replaced in place
   *     (new ones after their predecessor), everything else unchanged
   */
  static String merge(String previous, String rendered) {
    return ReportMerge.merge(previous, rendered, ORDER);
  }

  /** The generated level-2 sections in report order, to place one the previous report lacks. */
  private static final List<String> ORDER =
      List.of(
          GOALS_HEADING,
          "## Machine and method",
          HOT_PATH_HEADING,
          SCRAPE_HEADING,
          LOAD_HEADING,
          "## Memory after 1 requests over 200 endpoint/status combinations",
          SLO_HEADING,
          TARGETS_HEADING);

  /**
   * Reads the goal notes: the rows of the markdown table in {@value #GOALS_FILE} whose first cell
   * is a goal's key, then the reason and the next step.
   *
   * @param markdown the file's text
   * @return the notes by goal key
   */
  static Map<String, GoalNote> parseNotes(String markdown) {
    Map<String, GoalNote> out = new LinkedHashMap<>();
    for (String line : markdown.lines().toList()) {
      if (!line.startsWith("|")) {
        continue;
      }
      String[] cells = line.strip().replaceAll("^\\||\\|$", "").split("(?<!\\\\)\\|", -1);
      if (cells.length < 3) {
        continue;
      }
      String key = cells[0].strip().replace("`", "");
      if (GOALS.stream().anyMatch(g -> g.key().equals(key))) {
        out.put(key, new GoalNote(cells[1].strip(), cells[2].strip()));
      }
    }
    return out;
  }

  /** Whether this run measured a part: a partial run renders only those sections. */
  private boolean runs(String part) {
    return r.settings().allParts() || r.settings().parts().contains(part);
  }

  /**
   * The line under each heading of a partial run, naming it; nothing in a full run (its time is in
   * the introduction).
   */
  private void mark() {
    if (r.settings().allParts()) {
      return;
    }
    DateTimeFormatter utc =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    md.append("_From the run of ")
        .append(utc.format(r.started()))
        .append(" (vigil commit ")
        .append(r.machine().commit())
        .append(") with BENCH_PARTS=")
        .append(
            String.join(
                ",",
                BenchSettings.ALL_PARTS.stream().filter(r.settings().parts()::contains).toList()))
        .append("; sections without such a line come from the full run named at the top._\n\n");
  }

  /** Issue 25's goals: the measured value of this run, met or not, and the hand-written notes. */
  private String goals() {
    StringBuilder g = new StringBuilder();
    g.append(GOALS_HEADING).append("\n\n");
    g.append(
        "Each goal of issue 25 with this run's figure (the same figures as the tables below, median (min–max)\n"
            + "of the rounds). For a goal not met, the reason and the next step are written by hand in\n"
            + "`"
            + GOALS_FILE
            + "` from measurements (this run's and those of the hand-measured sections below) and\n"
            + "go stale when the figures move; the figure and the \"met\" column are this run's.\n\n");
    g.append("| goal | target | this run | met | if not: measured reason | next step |\n")
        .append("|---|---|---|---|---|---|\n");
    for (Goal goal : GOALS) {
      Measured m = measured.get(goal.target());
      g.append("| ").append(goal.figure()).append(" | ").append(goal.target().goal()).append(" | ");
      if (m == null) {
        g.append("not measured in this run | – | | |\n");
        continue;
      }
      boolean met = goal.target().met(m.value());
      GoalNote note = notes.get(goal.key());
      g.append(m.text())
          .append(" | ")
          .append(met ? "yes" : "**no**, " + goal.target().gap(m.value()))
          .append(" | ");
      if (met) {
        g.append(" | |\n");
      } else if (note == null) {
        g.append("(no reason written in `")
            .append(GOALS_FILE)
            .append("` for `")
            .append(goal.key())
            .append("`) | |\n");
      } else {
        g.append(note.reason()).append(" | ").append(note.next()).append(" |\n");
      }
    }
    return g.append("\n").toString();
  }

  private void preamble() {
    Machine m = r.machine();
    DateTimeFormatter utc =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    md.append(
        "# Performance: what vigil's instrumentation costs, and vigil against Spring Boot\n\n");
    md.append(
            "Generated by `./vigil bench` (bench/run.sh, then `dev.vigil.bench.BenchRun`). A run replaces the sections\n")
        .append(
            "it measures and keeps every other one in place: the sections and subsections marked \"measured by hand\"\n")
        .append(
            "are written by hand and kept by every run; a run of some parts (BENCH_PARTS) marks its sections with\n")
        .append("that run. Full run of ")
        .append(utc.format(r.started()))
        .append(", ")
        .append(minutes(Duration.between(r.started(), r.finished())))
        .append(", vigil commit ")
        .append(m.commit())
        .append(".\n\n");
    md.append(
            "**These figures were taken on a shared 2-core machine** while other engineers compiled: the\n")
        .append(
            "load generator, the service and their builds share two cores, so absolute numbers are low and\n")
        .append(
            "noisy (the load average is under \"Machine and method\"). Compare configurations within one table\n")
        .append(
            "(they ran interleaved, minutes apart), not with figures from other machines. Each figure is the\n")
        .append("median of the runs, with (min–max).\n\n");
  }

  private void machine() {
    Machine m = r.machine();
    BenchSettings s = r.settings();
    md.append("## Machine and method\n\n");
    md.append("| | |\n|---|---|\n");
    row("CPU", m.cpu() + ", " + m.cores() + " cores");
    row("memory", String.format(Locale.ROOT, "%,d MiB", m.memoryMib()));
    row("kernel", m.kernel());
    row("JDK (services and JMH forks)", m.jdk() + " (`" + s.javaHome() + "`)");
    row(
        "heap, both services",
        "`-Xms"
            + s.heap()
            + " -Xmx"
            + s.heap()
            + "`; vigil also with the JVM options `./vigil up` starts the catalog with (`"
            + String.join(" ", dev.vigil.stack.ServiceCommands.CATALOG_JVM_OPTIONS)
            + "`, its heap sizes overridden by these), Spring Boot with the default collector (G1)");
    row(
        "load average (1, 5, 15 min; /proc/loadavg)",
        "at the start " + m.loadAtStart() + "; at the end " + m.loadAtEnd());
    row(
        "load generators",
        m.wrk()
            + "; hey (Go) for the rate-limited runs and, closed-loop, as the second generator of the key"
            + " ratios");
    row("rounds", s.rounds() + " (each configuration restarted as a fresh JVM in every round)");
    row(
        "per round and configuration",
        "start, wait for ready, warm up each endpoint at "
            + last(s.connections())
            + " connections in runs of "
            + s.warmup().toSeconds()
            + " s until a run is less than 10% faster than the previous one (2 to 6"
            + " runs), then "
            + s.measure().toSeconds()
            + " s per endpoint and connection count "
            + s.connections()
            + ", then "
            + s.measure().toSeconds()
            + " s at half the peak rate");
    md.append("\nCommand lines:\n\n```\n");
    r.commands()
        .forEach((what, cmd) -> md.append("# ").append(what).append("\n").append(cmd).append("\n"));
    md.append("```\n\n");
    md.append("Configurations (`VIGIL_TELEMETRY`): ");
    md.append(String.join("; ", r.specs().stream().map(sp -> "**" + sp.label() + "**").toList()));
    md.append(".");
    runsOf(Configuration.ALL).stream()
        .findFirst()
        .ifPresent(
            d ->
                md.append(
                    d.traced()
                        ? " In (d), responses carry a trace id header: requests are traced, every one recorded (the SDK's"
                            + " default sampler); (e) is (d) with the head sampling Spring's peer has by default, 10% of traces"
                            + " recorded, the others still carrying trace ids in logs and headers."
                        : " **In (d), responses carry no trace id header: this build does not trace requests yet, so (d)"
                            + " measures the tracing switch on but no tracing work.**"));
    md.append(" vigil serves `GET /api/products/42` from a Caffeine cache hit; the Spring peer\n")
        .append(
            "(bench/peers/spring-catalog: Spring Boot 4.1, Tomcat, Actuator, Micrometer Prometheus registry,\n")
        .append(
            "Micrometer Tracing over OpenTelemetry with Boot's default 10% sampling, no exporter) from a map\n")
        .append(
            "holding the same catalogue. vigil's stdout (the access log) goes to `.vigil/bench/logs/`.\n");
  }

  private void hotPath() {
    if (r.hotPath().isEmpty()) {
      return;
    }
    md.append("\n" + HOT_PATH_HEADING + "\n\n");
    mark();
    md.append(
            "One request recorded on one thread: in-flight gauge up and down, route series lookup, status slot,\n")
        .append(
            "request and error counters, duration histogram (14 buckets; the client's exemplar sampler when a\n")
        .append(
            "span is current). The access-log and span rows time the other layers' work per request on the\n")
        .append(
            "request's thread (the access-log writer thread runs on the other core). `java -jar bench/target/vigil-benchmarks.jar ")
        .append("'Vigil|RequestId|PrometheusFloor|AccessLog|ServerSpan' ")
        .append(JmhSuite.OPTIONS)
        .append(" -f ")
        .append(r.settings().jmhForks())
        .append("`; median over forks.\n\n");
    md.append("| benchmark | what | ns/op | B/op |\n|---|---|---:|---:|\n");
    for (JmhSuite.Figure f : r.hotPath()) {
      md.append("| `")
          .append(f.name())
          .append("` | ")
          .append(describe(f.name()))
          .append(" | ")
          .append(f.score().format(1))
          .append(" | ")
          .append(f.bytesPerOp().format(0))
          .append(" |\n");
    }
    figure("VigilHttpMetricsBenchmark.matchedRequest")
        .ifPresent(
            f -> {
              target(HOT_PATH, f.score().median(), f.score().format(1) + " ns/op");
              target(
                  HOT_PATH_ALLOCATION, f.bytesPerOp().median(), f.bytesPerOp().format(0) + " B/op");
            });
    figure("VigilHttpMetricsBenchmark.unmatchedRequest")
        .ifPresent(
            f ->
                target(
                    UNMATCHED_ALLOCATION,
                    f.bytesPerOp().median(),
                    f.bytesPerOp().format(0) + " B/op"));
  }

  /** A JVM size such as {@code 128m}, {@code 1g} or {@code 262144k}, in MiB. */
  private static double heapMib(String size) {
    String lower = size.toLowerCase(Locale.ROOT);
    double number = Double.parseDouble(lower.replaceAll("[kmg]$", ""));
    return switch (lower.charAt(lower.length() - 1)) {
      case 'g' -> number * 1024;
      case 'm' -> number;
      case 'k' -> number / 1024;
      default -> number / (1024 * 1024);
    };
  }

  private static String describe(String name) {
    return switch (name) {
      case "VigilHttpMetricsBenchmark.matchedRequest" ->
          "vigil `HttpMetrics`, request matched a route";
      case "VigilHttpMetricsBenchmark.unmatchedRequest" ->
          "vigil `HttpMetrics`, no route (`NOT_FOUND`)";
      case "RequestIdBenchmark.generatedIdInMdc" ->
          "vigil request id generated and held in the MDC (modes c, d)";
      case "PrometheusFloorBenchmark.cachedDataPoints" ->
          "Prometheus client, data points resolved in advance (floor)";
      case "PrometheusFloorBenchmark.labelLookupPerRequest" ->
          "Prometheus client, `labelValues(...)` per request";
      case "AccessLogBenchmark.vigilAccessLog" ->
          "vigil access-log line: JSON written directly, batched to stdout (modes c, d)";
      case "AccessLogBenchmark.logbackAsyncJson" ->
          "the same line through SLF4J, logback's AsyncAppender and logstash's encoder (replaced)";
      case "ServerSpanBenchmark.span" ->
          "one SERVER span: start with HTTP attributes, MDC ids, name, status, end (mode d)";
      case "ServerSpanBenchmark.spanAttributesAtStart" ->
          "the span started the earlier way: HTTP attributes given before the sampler decides";
      case "ServerSpanBenchmark.sampledSpan" ->
          "the span with 10% of traces sampled (mode e): nine in ten not recorded";
      case "ServerSpanBenchmark.sampledSpanAttributesAtStart" ->
          "10% of traces sampled, attributes given before the sampler decides (the earlier way)";
      case "ServerSpanBenchmark.spanWithMetrics" ->
          "the span with the request's metrics recorded inside it (exemplar sampling)";
      default -> "";
    };
  }

  private void scrape() {
    if (r.scrape().isEmpty()) {
      return;
    }
    md.append("\n" + SCRAPE_HEADING + "\n\n");
    mark();
    md.append(
            "`registry.scrape()` plus writing the body into a fresh buffer, as vigil's `MetricsEndpoint` does;\n")
        .append(
            "the registry holds vigil's HTTP metrics for as many routes as needed (20 series per route).\n\n");
    md.append(
            "| series | format | ms per scrape | µs per 1k series | body bytes | B allocated per scrape |\n")
        .append("|---:|---|---:|---:|---:|---:|\n");
    for (JmhSuite.Figure f : r.scrape()) {
      int series = Integer.parseInt(f.params().get("series"));
      String format = f.params().get("format");
      BenchResults.ScrapeSize size = r.scrapeSizes().get(series + "/" + format);
      md.append(
          String.format(
              Locale.ROOT,
              "| %,d | %s | %s | %.1f | %,d | %s |%n",
              size == null ? series : size.samples(),
              format,
              scaled(f.score(), 0.001, 3),
              f.score().median() / (series / 1000.0),
              size == null ? 0 : size.bytes(),
              f.bytesPerOp().format(0)));
    }
    for (String format : List.of("text", "openmetrics")) {
      Optional<JmhSuite.Figure> small = scrapeFigure(1000, format);
      Optional<JmhSuite.Figure> large = scrapeFigure(50000, format);
      small.ifPresent(
          f ->
              target(
                  SCRAPE_1K.about(format),
                  f.score().median() / 1000,
                  scaled(f.score(), 0.001, 3) + " ms"));
      if (small.isPresent() && large.isPresent()) {
        double growth = (large.get().score().median() / 50) / small.get().score().median();
        target(
            SCRAPE_LINEAR.about(format),
            growth,
            String.format(Locale.ROOT, "%.2f× the per-series cost of 1k", growth));
      }
    }
  }

  private void load() {
    if (r.runs().isEmpty()) {
      return;
    }
    md.append("\n" + LOAD_HEADING + "\n\n");
    mark();
    List<ServiceRun.Scenario> scenarios =
        new ArrayList<>(new LinkedHashSet<>(r.runs().get(0).closedLoop().keySet()));
    throughput(scenarios);
    layerCosts(scenarios);
    halfPeakLatency();
    againstSpring(scenarios);
    secondGenerator(scenarios);
    cpu();
  }

  /**
   * The key ratios, (d) / Spring and (d) / (a), from wrk and from hey closed-loop in the same
   * rounds, and whether the two generators agree within {@link #GENERATORS_AGREE}.
   */
  private void secondGenerator(List<ServiceRun.Scenario> wrkScenarios) {
    List<ServiceRun.Scenario> heyScenarios =
        new ArrayList<>(new LinkedHashSet<>(r.runs().get(0).heyClosedLoop().keySet()));
    if (heyScenarios.isEmpty()) {
      return;
    }
    md.append("\n### A second load generator: the key ratios from wrk and from hey\n\n");
    md.append(
            "In every round, on each configuration's JVM, right after wrk's runs of an endpoint, hey measured the\n")
        .append(
            "same endpoint closed-loop (`hey -z "
                + r.settings().measure().toSeconds()
                + "s -c <connections> -disable-compression URL`, no `-q`): each\n")
        .append(
            "worker sends its next request when its response arrives, as wrk's connections do (a fixed rate that\n")
        .append(
            "both services sustain would make every throughput ratio 1). hey is Go's HTTP client, independent of\n")
        .append(
            "wrk, and heavier: it takes more of the two cores, so its absolute figures are lower; the ratios are\n")
        .append("what must agree. Throughput under hey, requests/s:\n\n");
    scenarioTable(
        heyScenarios, ServiceRun::heyClosedLoop, run -> run.load().requestsPerSecond(), 0);
    List<ServiceRun> none = runsOf(Configuration.NONE);
    ServiceRun.Scenario last = last(heyScenarios);
    if (!none.isEmpty() && none.get(0).closedLoop().containsKey(last)) {
      md.append(
          String.format(
              Locale.ROOT,
              "%nAt %s, %d connections, in (a): hey took %s cores and wrk %s; the service %s under hey, %s"
                  + " under wrk.%n",
              last.endpoint().label(),
              last.connections(),
              spread(none, run -> run.heyClosedLoop().get(last).load().generatorCores()).format(2),
              spread(none, run -> run.closedLoop().get(last).load().generatorCores()).format(2),
              spread(none, run -> run.heyClosedLoop().get(last).serviceCores()).format(2),
              spread(none, run -> run.closedLoop().get(last).serviceCores()).format(2)));
    }
    md.append(
            "\nEach ratio run by run (a round's run over the same round's run of the other configuration), median\n")
        .append(
            "(min–max) over the rounds; the difference is hey's median over wrk's, minus 1; they agree when it is\n")
        .append(
            "within ±10%. The last two columns divide the service's own CPU time per request (from /proc, over\n")
        .append(
            "the same runs): a figure that depends less on how much of the cores the generator leaves.\n\n");
    md.append(
            "| ratio | endpoint | connections | wrk | hey | hey / wrk − 1 | agree within 10% |"
                + " service CPU per request, (d) / other, under wrk | the same under hey |\n")
        .append("|---|---|---:|---:|---:|---:|---|---:|---:|\n");
    double largest = 0;
    String largestWhere = "";
    for (Configuration base : List.of(Configuration.SPRING, Configuration.NONE)) {
      for (ServiceRun.Scenario sc : heyScenarios) {
        if (!wrkScenarios.contains(sc)) {
          continue;
        }
        Optional<Spread> wrkRatio =
            pairRatio(
                Configuration.ALL,
                base,
                run -> run.closedLoop().get(sc).load().requestsPerSecond());
        Optional<Spread> heyRatio =
            pairRatio(
                Configuration.ALL,
                base,
                run -> run.heyClosedLoop().get(sc).load().requestsPerSecond());
        if (wrkRatio.isEmpty() || heyRatio.isEmpty()) {
          continue;
        }
        double difference = heyRatio.get().median() / wrkRatio.get().median() - 1;
        boolean agree = Math.abs(difference) <= GENERATORS_AGREE.limit() / 100;
        String name = base == Configuration.SPRING ? "(d) / Spring" : "(d) / (a)";
        md.append("| ")
            .append(name)
            .append(" | ")
            .append(sc.endpoint().label())
            .append(" | ")
            .append(sc.connections())
            .append(" | ")
            .append(wrkRatio.get().format(3))
            .append(" | ")
            .append(heyRatio.get().format(3))
            .append(" | ")
            .append(String.format(Locale.ROOT, "%+.1f%%", 100 * difference))
            .append(" | ")
            .append(agree ? "yes" : "**no**")
            .append(" | ")
            .append(
                pairRatio(Configuration.ALL, base, run -> cpuPerRequest(run.closedLoop().get(sc)))
                    .map(x -> x.format(2))
                    .orElse("–"))
            .append(" | ")
            .append(
                pairRatio(
                        Configuration.ALL, base, run -> cpuPerRequest(run.heyClosedLoop().get(sc)))
                    .map(x -> x.format(2))
                    .orElse("–"))
            .append(" |\n");
        if (Math.abs(difference) >= largest) {
          largest = Math.abs(difference);
          largestWhere =
              String.format(
                  Locale.ROOT,
                  "%.1f%% (%s, %s, %d conn.: wrk %s, hey %s)",
                  100 * largest,
                  name,
                  sc.endpoint().label(),
                  sc.connections(),
                  wrkRatio.get().format(2),
                  heyRatio.get().format(2));
        }
      }
    }
    if (!largestWhere.isEmpty()) {
      target(GENERATORS_AGREE, 100 * largest, largestWhere);
    }
  }

  /** Throughput and p99 at peak, per endpoint, connection count and configuration. */
  private void throughput(List<ServiceRun.Scenario> scenarios) {
    md.append("### Throughput, requests/s\n\n");
    scenarioTable(scenarios, run -> run.load().requestsPerSecond(), 0);
    Spread others =
        Spread.of(
            r.runs().stream()
                .flatMap(run -> run.closedLoop().values().stream())
                .map(ServiceRun.ScenarioRun::otherCores)
                .toList());
    md.append(
        String.format(
            Locale.ROOT,
            "%nCPU taken by other processes (builds, tests of other engineers) during these wrk runs: %s cores of %d."
                + " Where it is high, a run had less CPU than its neighbours; the run-by-run ratios below absorb"
                + " slow drifts but not a burst inside one run.%n",
            others.format(2),
            r.machine().cores()));
    md.append("\n### p99 latency at peak throughput, ms (wrk --latency)\n\n");
    scenarioTable(scenarios, run -> run.load().p99Millis(), 2);
  }

  /** Each vigil configuration's throughput over (a)'s, round by round. */
  private void layerCosts(List<ServiceRun.Scenario> scenarios) {
    md.append("\n### Cost of each instrumentation layer: throughput ratio to (a), run by run\n\n");
    md.append(
        "Each round's run of a configuration divided by the same round's run of (a), minutes apart.\n\n");
    md.append("| endpoint | connections |");
    List<ServiceSpec> vigilSpecs =
        r.specs().stream()
            .filter(
                s ->
                    s.configuration() != Configuration.NONE
                        && s.configuration() != Configuration.SPRING)
            .toList();
    vigilSpecs.forEach(s -> md.append(" ").append(s.label()).append(" / (a) |"));
    md.append("\n|---|---:|").append("---:|".repeat(vigilSpecs.size())).append("\n");
    for (ServiceRun.Scenario sc : scenarios) {
      md.append("| ")
          .append(sc.endpoint().label())
          .append(" | ")
          .append(sc.connections())
          .append(" |");
      for (ServiceSpec s : vigilSpecs) {
        md.append(" ")
            .append(
                ratio(s.configuration(), Configuration.NONE, sc).map(x -> x.format(3)).orElse("–"))
            .append(" |");
      }
      md.append("\n");
    }
    worstRatio(Configuration.METRICS, Configuration.NONE, scenarios)
        .ifPresent(w -> target(METRICS_COST, w.value, w.text));
    worstRatio(Configuration.ALL, Configuration.NONE, scenarios)
        .ifPresent(w -> target(EVERYTHING_COST, w.value, w.text));
  }

  /** p50 and p99 at half the peak rate (hey), the latency the service adds when not saturated. */
  private void halfPeakLatency() {
    md.append("\n### p99 latency at half the peak rate, ms (hey -q, ")
        .append(r.settings().heyWorkers())
        .append(" workers)\n\n");
    md.append(
            "The rate is half of the same round's peak (the best of its connection counts). hey is closed-loop per\n")
        .append(
            "worker (a late response delays the next request: coordinated omission); the achieved rate is shown\n")
        .append("beside the target so a shortfall is visible.\n\n");
    md.append(
            "| endpoint | configuration | target rate, req/s | achieved, req/s | p50, ms | p99, ms |\n")
        .append("|---|---|---:|---:|---:|---:|\n");
    double worstVigilP99 = 0;
    String worstWhere = "";
    for (Endpoint e : List.of(Endpoint.PRODUCT, Endpoint.INDEX)) {
      for (ServiceSpec s : r.specs()) {
        List<ServiceRun.HalfPeakRun> half =
            runsOf(s.configuration()).stream().map(run -> run.halfPeak().get(e)).toList();
        if (half.contains(null) || half.isEmpty()) {
          continue;
        }
        Spread p99 = spread(half, h -> h.load().p99Millis());
        md.append("| ")
            .append(e.label())
            .append(" | ")
            .append(s.label())
            .append(" | ")
            .append(spread(half, ServiceRun.HalfPeakRun::targetRate).format(0))
            .append(" | ")
            .append(spread(half, h -> h.load().requestsPerSecond()).format(0))
            .append(" | ")
            .append(spread(half, h -> h.load().p50Millis()).format(2))
            .append(" | ")
            .append(p99.format(2))
            .append(" |\n");
        if (s.configuration() != Configuration.SPRING && p99.median() > worstVigilP99) {
          worstVigilP99 = p99.median();
          worstWhere = s.label() + ", " + e.label();
        }
      }
    }
    if (!worstWhere.isEmpty()) {
      target(
          HALF_PEAK_P99,
          worstVigilP99,
          String.format(Locale.ROOT, "%.2f ms (%s)", worstVigilP99, worstWhere));
    }
  }

  /** Start, memory and throughput of every configuration beside the Spring peer's. */
  private void againstSpring(List<ServiceRun.Scenario> scenarios) {
    md.append("\n### vigil against the Spring Boot peer\n\n");
    md.append("| figure | ")
        .append(String.join(" | ", r.specs().stream().map(ServiceSpec::label).toList()))
        .append(" | (d) / Spring, run by run |\n|---|")
        .append("---:|".repeat(r.specs().size() + 1))
        .append("\n");
    Optional<Spread> startRatio =
        springRow("start to ready, ms", ServiceRun::startToReadyMillis, 0, true);
    springRow("warm-up load before measuring, s", ServiceRun::warmupSeconds, 0, false);
    Optional<Spread> rssRatio =
        springRow("RSS under load, MiB", run -> run.rssUnderLoadKib() / 1024.0, 0, true);
    double heapMib = heapMib(r.settings().heap());
    springRow(
        "RSS beyond the "
            + r.settings().heap()
            + " heap (code, metaspace, GC structures, threads), MiB",
        run -> run.rssUnderLoadKib() / 1024.0 - heapMib,
        0,
        true);
    springRow("live heap after full GC, MiB", run -> run.liveHeapKib() / 1024.0, 1, true);
    for (ServiceRun.Scenario sc : scenarios) {
      springRow(
          "throughput, " + sc.endpoint().label() + ", " + sc.connections() + " conn.",
          run -> run.closedLoop().get(sc).load().requestsPerSecond(),
          0,
          true);
    }
    if (r.firstStartMillis() != null) {
      md.append(
          String.format(
              Locale.ROOT,
              "%nvigil's first start on an empty data directory (schema migration and seeding of the catalogue): %.0f ms;"
                  + " the table shows restarts on the existing database.%n",
              r.firstStartMillis()));
    }
    worstRatio(Configuration.ALL, Configuration.SPRING, scenarios)
        .ifPresent(w -> target(SPRING_THROUGHPUT, w.value, w.text));
    startRatio.ifPresent(x -> target(SPRING_START, x.median(), x.format(2)));
    rssRatio.ifPresent(
        x -> {
          double springRssMib =
              spread(runsOf(Configuration.SPRING), run -> run.rssUnderLoadKib() / 1024.0).median();
          String unreachable =
              heapMib >= springRssMib / 2
                  ? String.format(
                      Locale.ROOT,
                      "; unreachable with equal heap settings: the heap both commit (%.0f MiB) is"
                          + " more than half of Spring's RSS (%.0f MiB)",
                      heapMib,
                      springRssMib)
                  : "";
          double vigilRssMib =
              spread(runsOf(Configuration.ALL), run -> run.rssUnderLoadKib() / 1024.0).median();
          measured.put(
              SPRING_RSS,
              new Measured(
                  x.median(),
                  String.format(
                      Locale.ROOT,
                      "%s (%.0f vs %.0f MiB, both `-Xms%s -Xmx%s`)",
                      x.format(2),
                      vigilRssMib,
                      springRssMib,
                      r.settings().heap(),
                      r.settings().heap())));
          target(SPRING_RSS, x.median(), x.format(2), unreachable);
        });
  }

  /**
   * One row of the Spring table: the figure per configuration, then (d) over Spring run by run.
   *
   * @return that ratio, when asked for and measurable
   */
  private Optional<Spread> springRow(
      String figure, ToDoubleFunction<ServiceRun> value, int decimals, boolean withRatio) {
    md.append("| ").append(figure).append(" |");
    r.specs()
        .forEach(
            s ->
                md.append(" ")
                    .append(spread(runsOf(s.configuration()), value).format(decimals))
                    .append(" |"));
    Optional<Spread> ratio =
        withRatio ? pairRatio(Configuration.ALL, Configuration.SPRING, value) : Optional.empty();
    md.append(" ").append(ratio.map(x -> x.format(2)).orElse("–")).append(" |\n");
    return ratio;
  }

  /** CPU of the service, of wrk and of everything else at the heaviest scenario, and GC. */
  private void cpu() {
    md.append("\n### Where the CPU went (cores of ")
        .append(r.machine().cores())
        .append("), and GC\n\n");
    ServiceRun.Scenario heaviest =
        new ServiceRun.Scenario(Endpoint.PRODUCT, last(r.settings().connections()));
    md.append("During the ")
        .append(heaviest.endpoint().label())
        .append(" run at ")
        .append(heaviest.connections())
        .append(
            " connections: CPU of the service JVM, of wrk, and of everything else (other engineers' builds,\n")
        .append(
            "this harness); GC over all measured runs of the round, from the JVM's performance counters.\n\n");
    md.append(
            "| configuration | service, cores | wrk, cores | other, cores | GC pauses per s | time in GC pauses |\n")
        .append("|---|---:|---:|---:|---:|---:|\n");
    for (ServiceSpec s : r.specs()) {
      List<ServiceRun> runs = runsOf(s.configuration());
      md.append("| ")
          .append(s.label())
          .append(" | ")
          .append(spread(runs, run -> run.closedLoop().get(heaviest).serviceCores()).format(2))
          .append(" | ")
          .append(
              spread(runs, run -> run.closedLoop().get(heaviest).load().generatorCores()).format(2))
          .append(" | ")
          .append(spread(runs, run -> run.closedLoop().get(heaviest).otherCores()).format(2))
          .append(" | ")
          .append(
              spread(runs, run -> run.gcDuringMeasure().collections() / run.measureSeconds())
                  .format(1))
          .append(" | ")
          .append(
              spread(runs, run -> 100 * run.gcDuringMeasure().seconds() / run.measureSeconds())
                  .format(1))
          .append("% |\n");
    }
    reading(heaviest);
  }

  private void reading(ServiceRun.Scenario heaviest) {
    List<ServiceRun> none = runsOf(Configuration.NONE);
    if (none.isEmpty()) {
      return;
    }
    double wrkCores =
        spread(none, run -> run.closedLoop().get(heaviest).load().generatorCores()).median();
    double serviceCores =
        spread(none, run -> run.closedLoop().get(heaviest).serviceCores()).median();
    double other = spread(none, run -> run.closedLoop().get(heaviest).otherCores()).median();
    md.append(
        String.format(
            Locale.ROOT,
            "%nReading: at peak, wrk itself takes %.2f of the %d cores and the service %.2f (other processes %.2f),"
                + " so throughput is bounded by CPU, shared with the load generator, not by the network or by"
                + " waiting: any CPU the instrumentation spends per request shows up almost one to one as lost"
                + " throughput, and the peak figures understate what the service would do on a machine of its own."
                + " p99 at peak is queueing (more connections than cores); p99 at half the rate is the latency the"
                + " service adds when it is not saturated. Recording takes no lock (the Prometheus client's counters"
                + " and histogram buckets are striped adders) and allocates nothing on a matched route, so the"
                + " instrumentation adds no GC pressure of its own; the GC column is the framework's per-request"
                + " garbage (the JSON body, the request objects).%n",
            wrkCores,
            r.machine().cores(),
            serviceCores,
            other));
  }

  private void memory() {
    MemoryGrowth.Result m = r.memory();
    if (m == null) {
      return;
    }
    md.append("\n## Memory after ")
        .append(String.format(Locale.ROOT, "%,d", r.settings().memoryRequests()))
        .append(" requests over 200 endpoint/status combinations\n\n");
    mark();
    md.append("vigil ")
        .append(m.spec().label())
        .append(", wrk sending the 200 requests of `RequestMix` round-robin (")
        .append(
            "every endpoint; 200, 400, 404, 405, 500; unmatched paths; unknown methods). After the warm-up and\n")
        .append(
            "after each quarter of the requests: a full GC (jcmd GC.run), then heap in use, RSS and the series on\n")
        .append("/metrics.\n\n");
    md.append(
            "| requests served | RSS, MiB | heap after full GC, MiB | series on /metrics | http_requests_total series |\n")
        .append("|---:|---:|---:|---:|---:|\n");
    for (MemoryGrowth.Checkpoint c : m.checkpoints()) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %,d | %.0f | %.1f | %,d | %,d |%n",
              c.requests(),
              c.rssKib() / 1024.0,
              c.heapUsedKib() / 1024.0,
              c.series(),
              c.requestSeries()));
    }
    MemoryGrowth.Checkpoint first = m.checkpoints().get(0);
    MemoryGrowth.Checkpoint lastCp = last(m.checkpoints());
    double heapGrowth = (double) lastCp.heapUsedKib() / first.heapUsedKib() - 1;
    md.append(
        String.format(
            Locale.ROOT,
            "%nThroughput of the mix: %,.0f requests/s. A live scrape of this service's /metrics over HTTP (text format,"
                + " %,d bytes, %,d series): %s ms (median of the last 10 of 20 scrapes).%n",
            m.requestsPerSecond(),
            m.scrapeBytes(),
            lastCp.series(),
            m.scrapeMillis().format(2)));
    target(
        LIVE_SCRAPE.about(lastCp.series() + " series, JVM metrics included"),
        m.scrapeMillis().median(),
        m.scrapeMillis().format(2) + " ms");
    target(HEAP_GROWTH, heapGrowth * 100, String.format(Locale.ROOT, "%+.1f %%", heapGrowth * 100));
    target(
        SERIES_GROWTH,
        lastCp.requestSeries() - first.requestSeries(),
        String.format(
            Locale.ROOT,
            "http_requests_total series %d → %d (all series %d → %d)",
            first.requestSeries(),
            lastCp.requestSeries(),
            first.series(),
            lastCp.series()));
  }

  private void sloCompile() {
    JmhSuite.Figure f = r.sloCompile();
    if (f == null) {
      return;
    }
    md.append("\n").append(SLO_HEADING).append("\n\n");
    mark();
    md.append(
            "`vigil slo generate` on 100 spec files of 10 SLOs each (half availability over `http_requests_total`,\n")
        .append(
            "half latency over `http_request_duration_seconds`; 30d and 28d periods; the workbook's alert tiers):\n")
        .append(
            "picocli parsing, read, validate, compile and write every rule, alert, test and manifest file to a\n")
        .append(
            "temporary directory, in a warm JVM with the default heap, as the CLI runs. `java -jar bench/target/vigil-benchmarks.jar SloCompileBenchmark ")
        .append(JmhSuite.SLO_OPTIONS)
        .append(" -f ")
        .append(r.settings().jmhForks())
        .append("`; median over forks.\n\n");
    md.append(
        "| measurement | ms per 1,000 SLOs | MB allocated | target | met |\n|---|---:|---:|---|---|\n");
    md.append("| warm JVM (JMH, `SloCompileBenchmark.generate`) | ")
        .append(f.score().format(0))
        .append(" | ")
        .append(scaled(f.bytesPerOp(), 1e-6, 0))
        .append(" | ")
        .append(SLO_GENERATE.goal())
        .append(" | ")
        .append(metText(SLO_GENERATE, f.score().median()))
        .append(" |\n");
    ColdGenerate.Result cold = r.sloCold();
    if (cold != null) {
      coldRow("fresh JVM (the CLI, JVM start included, ", "cold CLI", cold.millis());
      if (cold.aotMillis() != null) {
        coldRow(
            "fresh JVM from the AOT cache, as `./vigil` starts it (",
            "cold CLI from the AOT cache",
            cold.aotMillis());
        measured.put(
            SLO_GENERATE,
            new Measured(
                cold.aotMillis().median(),
                cold.aotMillis().format(0)
                    + " ms from the AOT cache; "
                    + cold.millis().format(0)
                    + " ms with `java -jar`"));
      } else {
        measured.put(
            SLO_GENERATE,
            new Measured(
                cold.millis().median(),
                cold.millis().format(0) + " ms with `java -jar` (no AOT cache measured)"));
      }
      md.append("\nThe fresh-JVM figure is the wall time, process start to exit, of\n\n```\n")
          .append(cold.command())
          .append(
              "\n```\n\nThat is what a user or a CI job waits for: JVM start-up and interpreted code included.\n");
      if (cold.aotCommand() != null) {
        md.append(
                "\nFrom the AOT cache (JDK 25; made by one training run, `-XX:AOTCacheOutput`, of `slo generate` on\n")
            .append(
                "one spec file, as `./vigil` makes its own of slos/ once per jar build), taken in turn with the above:\n\n```\n")
            .append(cold.aotCommand())
            .append("\n```\n");
      }
    }
  }

  /** One fresh-JVM row of the SLO compilation table against the 3 s target. */
  /**
   * One fresh-JVM row of the SLO table, and its line in the targets table.
   *
   * @param label the row's label up to the run count, e.g. {@code fresh JVM (the CLI, ...,}
   * @param targetCase the case in the targets table, e.g. {@code cold CLI}
   * @param millis the runs' wall times, ms
   */
  private void coldRow(String label, String targetCase, Spread millis) {
    md.append("| ")
        .append(label)
        .append(millis.count())
        .append(" runs) | ")
        .append(millis.format(0))
        .append(" | – | ")
        .append(SLO_GENERATE.goal())
        .append(" | ")
        .append(metText(SLO_GENERATE, millis.median()))
        .append(" |\n");
    target(SLO_GENERATE.about(targetCase), millis.median(), millis.format(0) + " ms");
  }

  private void targets() {
    md.append(
        "\n"
            + TARGETS_HEADING
            + "\n\n| target | goal | measured | met | gap |\n|---|---|---|---|---|\n");
    for (String[] t : targets) {
      md.append("| ").append(String.join(" | ", t)).append(" |\n");
    }
  }

  // ---- tables and ratios
  // -------------------------------------------------------------------------

  private void scenarioTable(
      List<ServiceRun.Scenario> scenarios,
      ToDoubleFunction<ServiceRun.ScenarioRun> value,
      int decimals) {
    scenarioTable(scenarios, ServiceRun::closedLoop, value, decimals);
  }

  /** One row per scenario, one column per configuration, from the runs of one load generator. */
  private void scenarioTable(
      List<ServiceRun.Scenario> scenarios,
      java.util.function.Function<ServiceRun, Map<ServiceRun.Scenario, ServiceRun.ScenarioRun>>
          generator,
      ToDoubleFunction<ServiceRun.ScenarioRun> value,
      int decimals) {
    md.append("| endpoint | connections |");
    r.specs().forEach(s -> md.append(" ").append(s.label()).append(" |"));
    md.append("\n|---|---:|").append("---:|".repeat(r.specs().size())).append("\n");
    for (ServiceRun.Scenario sc : scenarios) {
      md.append("| ")
          .append(sc.endpoint().label())
          .append(" | ")
          .append(sc.connections())
          .append(" |");
      for (ServiceSpec s : r.specs()) {
        List<ServiceRun> runs = runsOf(s.configuration());
        md.append(" ")
            .append(
                runs.isEmpty()
                    ? "–"
                    : spread(runs, run -> value.applyAsDouble(generator.apply(run).get(sc)))
                        .format(decimals))
            .append(" |");
      }
      md.append("\n");
    }
  }

  private record Worst(double value, String text) {}

  private Optional<Worst> worstRatio(
      Configuration key, Configuration baseKey, List<ServiceRun.Scenario> scenarios) {
    Worst worst = null;
    for (ServiceRun.Scenario sc : scenarios) {
      Optional<Spread> ratio = ratio(key, baseKey, sc);
      if (ratio.isPresent() && (worst == null || ratio.get().median() < worst.value)) {
        worst =
            new Worst(
                ratio.get().median(),
                ratio.get().format(3)
                    + " ("
                    + sc.endpoint().label()
                    + ", "
                    + sc.connections()
                    + " conn.; worst of "
                    + scenarios.size()
                    + ")");
      }
    }
    return Optional.ofNullable(worst);
  }

  private Optional<Spread> ratio(Configuration key, Configuration baseKey, ServiceRun.Scenario sc) {
    return pairRatio(key, baseKey, run -> run.closedLoop().get(sc).load().requestsPerSecond());
  }

  /** Ratio of each round's run of {@code key} to the same round's run of {@code baseKey}. */
  private Optional<Spread> pairRatio(
      Configuration key, Configuration baseKey, ToDoubleFunction<ServiceRun> value) {
    List<Double> ratios = new ArrayList<>();
    for (ServiceRun run : runsOf(key)) {
      r.runs().stream()
          .filter(b -> b.spec().configuration() == baseKey && b.round() == run.round())
          .findFirst()
          .ifPresent(b -> ratios.add(value.applyAsDouble(run) / value.applyAsDouble(b)));
    }
    return ratios.isEmpty() ? Optional.empty() : Optional.of(Spread.of(ratios));
  }

  /** The service's CPU seconds per request served in a closed-loop run. */
  private static double cpuPerRequest(ServiceRun.ScenarioRun run) {
    return run.serviceCores() / run.load().requestsPerSecond();
  }

  private List<ServiceRun> runsOf(Configuration configuration) {
    return r.runs().stream().filter(run -> run.spec().configuration() == configuration).toList();
  }

  private static <T> Spread spread(List<T> items, ToDoubleFunction<T> value) {
    return Spread.of(items.stream().map(value::applyAsDouble).toList());
  }

  private Optional<JmhSuite.Figure> figure(String name) {
    return r.hotPath().stream().filter(f -> f.name().equals(name)).findFirst();
  }

  private Optional<JmhSuite.Figure> scrapeFigure(int series, String format) {
    return r.scrape().stream()
        .filter(
            f ->
                f.params().get("series").equals(String.valueOf(series))
                    && f.params().get("format").equals(format))
        .findFirst();
  }

  /** Adds a row to the targets table: the target, what was measured, whether it is met. */
  private void target(Target target, double measured, String measuredText) {
    target(target, measured, measuredText, "");
  }

  private void target(Target target, double measured, String measuredText, String note) {
    this.measured.putIfAbsent(target, new Measured(measured, measuredText));
    boolean met = target.met(measured);
    targets.add(
        new String[] {
          target.name(),
          target.goal(),
          measuredText,
          met ? "yes" : "**no**",
          met ? "" : target.gap(measured) + note
        });
  }

  private static String metText(Target target, double measured) {
    return target.met(measured) ? "yes" : "**no**, " + target.gap(measured);
  }

  private static String scaled(Spread s, double factor, int decimals) {
    return new Spread(s.median() * factor, s.min() * factor, s.max() * factor, s.count())
        .format(decimals);
  }

  private void row(String key, String value) {
    md.append("| ").append(key).append(" | ").append(value).append(" |\n");
  }

  private static String minutes(Duration d) {
    return String.format(Locale.ROOT, "%d min %02d s", d.toMinutes(), d.toSecondsPart());
  }

  private static <T> T last(List<T> list) {
    return list.get(list.size() - 1);
  }
}
