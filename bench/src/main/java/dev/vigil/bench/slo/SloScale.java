package dev.vigil.bench.slo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.prometheus.LocalPrometheus;
import dev.vigil.prometheus.PromDuration;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.prometheus.TsdbBlockWriter;
import dev.vigil.slo.backfill.Backfill;
import dev.vigil.slo.backtest.Backtest;
import dev.vigil.slo.generate.RuleFileGenerator;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import dev.vigil.slo.report.BudgetReport;
import dev.vigil.slo.report.BurnDown;
import dev.vigil.slo.spec.SpecReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SLO scale benchmark: one command builds two TSDBs with 30 days of {@code http_requests_total}
 * (one sample every 30 s; 100 and 1,000 series, the same traffic split over more endpoints,
 * statuses and pods) with {@code promtool tsdb create-blocks-from openmetrics}, starts Prometheus
 * on each, backfills vigil's recordings ({@code vigil slo backfill}'s engine) and Sloth's recorded
 * 5m ratio (the peer of bench/peers/sloth), then measures at the end of the history, with
 * Prometheus' own {@code stats=all}: samples touched and evaluation time per rule and per group
 * (vigil's one SLO group against Sloth's three groups), the SLI over the raw series for 30 days
 * (what vigil's period rule read before), {@code vigil slo report} of 100 SLOs (in-process and as a
 * fresh CLI), and the console SLO page's data (budget row, window pairs, burn-down, burn rates).
 * Writes the section {@value #HEADING} of docs/performance.md.
 *
 * <p>Usage: {@code BENCH_PARTS=scale ./vigil bench} or {@code java -cp
 * bench/target/vigil-benchmarks.jar dev.vigil.bench.slo.SloScale <repository root>}. About 10
 * minutes and 10 GB of temporary files under .vigil/bench/slo-scale (deleted at the end).
 */
public final class SloScale {

  /** The heading of the section written to docs/performance.md. */
  public static final String HEADING =
      "## SLO rules at scale: 30 days of history, 100 and 1,000 series";

  static final int DAYS = 30;
  static final int STEP_SECONDS = 30;
  static final int REPORT_SLOS = 100;
  private static final int ROUNDS = 5;

  /** One cardinality's figures. */
  record Figures(
      int series,
      long rawSamples,
      Duration importTime,
      Duration backfillTime,
      long backfillSamples,
      Map<String, long[]> vigilRules,
      Map<String, long[]> slothRules,
      double vigilGroupSeconds,
      double slothGroupSeconds,
      long rawPeriodSamples,
      double rawPeriodSeconds,
      double reportSeconds,
      double reportCliSeconds,
      double sloPageSeconds,
      double backtestSeconds) {}

  private SloScale() {}

  /**
   * Runs the benchmark and writes its section of docs/performance.md.
   *
   * @param args the repository root
   * @throws Exception when a tool fails (its output included)
   */
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    Path work = root.resolve(".vigil/bench/slo-scale");
    List<Figures> all = new ArrayList<>();
    for (int series : List.of(100, 1000)) {
      all.add(measure(root, work.resolve(String.valueOf(series)), series));
    }
    String section = render(all);
    System.out.println(section);
    Path doc = root.resolve("docs/performance.md");
    Files.writeString(doc, replaceSection(Files.readString(doc), section));
    SloCompileBenchmark.deleteTree(work);
  }

  static Figures measure(Path root, Path dir, int series) throws Exception {
    if (Files.exists(dir)) {
      SloCompileBenchmark.deleteTree(dir);
    }
    Files.createDirectories(dir);
    Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(10, ChronoUnit.MINUTES);
    Path om = dir.resolve("history.om");
    long rawSamples = writeHistory(om, end, series);
    long t0 = System.nanoTime();
    LocalPrometheus.importOpenMetrics(om, dir.resolve("data"));
    Duration importTime = Duration.ofNanos(System.nanoTime() - t0);
    Files.delete(om);
    Slo slo = catalogAvailability(root);
    try (LocalPrometheus prometheus =
        LocalPrometheus.start(dir.resolve("data"), List.of(), dir.resolve("prometheus.log"))) {
      PrometheusClient client = prometheus.client();
      // blocks, as Prometheus documents backfilling: remote-written history would be served from
      // the out-of-order head, about 100 times slower, until the next head compaction
      TsdbBlockWriter blocks = new TsdbBlockWriter(dir.resolve("data"));
      Backfill backfill = new Backfill(client, blocks);
      t0 = System.nanoTime();
      Backfill.Result written = backfill.run(slo, null, end);
      Duration backfillTime = Duration.ofNanos(System.nanoTime() - t0);

      // Sloth's 30d ratio averages its recorded 5m ratio: give it the same month of recordings
      JsonNode sloth =
          new YAMLMapper()
              .readTree(root.resolve("bench/peers/sloth/catalog-availability.yml").toFile());
      JsonNode fiveMinutes = sloth.path("groups").get(0).path("rules").get(0);
      Map<String, String> slothLabels = new LinkedHashMap<>();
      fiveMinutes
          .path("labels")
          .properties()
          .forEach(e -> slothLabels.put(e.getKey(), e.getValue().asText()));
      long slothWritten =
          backfill.evaluateAndWrite(
              fiveMinutes.path("record").asText(),
              fiveMinutes.path("expr").asText(),
              slothLabels,
              written.from(),
              end,
              new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
      blocks.commit();
      backfill.awaitVisible(fiveMinutes.path("record").asText(), slothLabels, end, slothWritten);

      Map<String, long[]> vigilRules = new LinkedHashMap<>();
      double vigilGroup = 0;
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rules =
          (List<Map<String, Object>>)
              new RuleFileGenerator().groups(List.of(slo)).get(0).get("rules");
      for (Map<String, Object> rule : rules) {
        String name = (String) rule.getOrDefault("record", rule.get("alert"));
        long[] cost = cost(client, ((String) rule.get("expr")).strip(), end);
        vigilRules.merge(name, cost, SloScale::add);
        vigilGroup += cost[1] / 1e6;
      }
      Map<String, long[]> slothRules = new LinkedHashMap<>();
      double slothGroup = 0;
      for (JsonNode group : sloth.path("groups")) {
        for (JsonNode rule : group.path("rules")) {
          String name =
              rule.has("record") ? rule.get("record").asText() : rule.get("alert").asText();
          long[] cost = cost(client, rule.path("expr").asText(), end);
          slothRules.merge(name, cost, SloScale::add);
          slothGroup += cost[1] / 1e6;
        }
      }
      long[] raw = cost(client, slo.sli().errorRatioQuery(PromDuration.parse("30d")), end);

      // vigil slo report of 100 SLOs: 99 more SLOs with the same recordings under their own names
      List<Slo> hundred = hundredSlos(dir, written, blocks, backfill, end);
      BudgetReport report = new BudgetReport(client);
      double reportSeconds = median(() -> report.rows(hundred, end));
      double cliSeconds = median(() -> cli(root, prometheus, dir, end));
      BurnDown burnDown = new BurnDown(client);
      double pageSeconds =
          median(
              () -> {
                report.rows(List.of(slo), end);
                for (var tier : slo.alerting().enabledTiers()) {
                  client.value(SloSeries.ratioOver(slo, tier.longWindow()), end);
                  client.value(SloSeries.ratioOver(slo, tier.shortWindow()), end);
                }
                burnDown.remaining(slo, end, 600);
                burnDown.burnRate(slo, PromDuration.parse("1h"), end, 600);
                return null;
              });
      // vigil slo backtest of the SLO over the whole month, replayed in a Prometheus of its own
      Path replayDir = Files.createDirectories(dir.resolve("replay"));
      long b0 = System.nanoTime();
      Backtest.Result replayed;
      try (LocalPrometheus replay =
          LocalPrometheus.start(
              replayDir.resolve("data"), List.of(), replayDir.resolve("prometheus.log"))) {
        replayed =
            new Backtest(client, replay.client(), new TsdbBlockWriter(replayDir.resolve("data")))
                .run(slo, end.minus(DAYS, ChronoUnit.DAYS), end);
      }
      double backtestSeconds = (System.nanoTime() - b0) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "backtest of 30 days at %d series: %.1f s, %d notifications%n",
          series,
          backtestSeconds,
          replayed.alerts().stream().mapToInt(a -> a.notifications().size()).sum());
      return new Figures(
          series,
          rawSamples,
          importTime,
          backfillTime,
          written.total(),
          vigilRules,
          slothRules,
          vigilGroup,
          slothGroup,
          raw[0],
          raw[1] / 1e6,
          reportSeconds,
          cliSeconds,
          pageSeconds,
          backtestSeconds);
    }
  }

  /**
   * @return {samples touched, median evaluation time in microseconds}
   */
  private static long[] cost(PrometheusClient client, String expr, Instant at) throws IOException {
    long samples = 0;
    double[] seconds = new double[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      PrometheusClient.QueryCost c = client.cost(expr, at);
      samples = c.samples();
      seconds[i] = c.evalSeconds();
    }
    Arrays.sort(seconds);
    return new long[] {samples, Math.round(seconds[ROUNDS / 2] * 1e6)};
  }

  private static long[] add(long[] a, long[] b) {
    return new long[] {a[0] + b[0], a[1] + b[1]};
  }

  interface Timed {
    Object run() throws Exception;
  }

  private static double median(Timed timed) throws Exception {
    double[] seconds = new double[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
      long t0 = System.nanoTime();
      timed.run();
      seconds[i] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(seconds);
    return seconds[ROUNDS / 2];
  }

  private static Slo catalogAvailability(Path root) {
    return new SpecReader()
        .read(List.of(root.resolve("slos/catalog.yaml"))).slos().stream()
            .filter(s -> s.name().equals("availability"))
            .findFirst()
            .orElseThrow();
  }

  /**
   * A spec of {@value #REPORT_SLOS} availability SLOs named availability-000.., each given the
   * month of recordings of the backfilled one (read back and written under its name).
   */
  private static List<Slo> hundredSlos(
      Path dir, Backfill.Result written, TsdbBlockWriter blocks, Backfill backfill, Instant end)
      throws IOException {
    StringBuilder spec = new StringBuilder("apiVersion: vigil/v1\nservice: catalog\nslos:\n");
    for (int i = 0; i < REPORT_SLOS; i++) {
      String name = String.format(Locale.ROOT, "availability-%03d", i);
      spec.append("  - name: ")
          .append(name)
          .append("\n    objective: 99.9\n    period: 30d\n    sli:\n      events:\n")
          .append(
              "        bad: sum(rate(http_requests_total{service=\"catalog\",status=~\"5..\"}[{{window}}]))\n")
          .append(
              "        total: sum(rate(http_requests_total{service=\"catalog\"}[{{window}}]))\n");
      for (String events : List.of(SloSeries.BAD_EVENTS, SloSeries.TOTAL_EVENTS)) {
        backfill.evaluateAndWrite(
            events,
            events + "{service=\"catalog\",slo=\"availability\"}",
            Map.of("service", "catalog", "slo", name),
            written.from(),
            end,
            new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
      }
    }
    blocks.commit();
    String lastName = String.format(Locale.ROOT, "availability-%03d", REPORT_SLOS - 1);
    backfill.awaitVisible(
        SloSeries.TOTAL_EVENTS, Map.of("service", "catalog", "slo", lastName), end, 1);
    Path file = Files.writeString(dir.resolve("hundred.yaml"), spec.toString());
    return new SpecReader().read(List.of(file)).slos();
  }

  private static Object cli(Path root, LocalPrometheus prometheus, Path dir, Instant end)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                root.resolve("cli/target/vigil.jar").toString(),
                "slo",
                "report",
                "--prometheus",
                prometheus.url().toString(),
                "--at",
                end.toString(),
                dir.resolve("hundred.yaml").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("report.txt").toFile())
            .start();
    if (p.waitFor() != 0) {
      throw new IOException(
          "vigil slo report failed: " + Files.readString(dir.resolve("report.txt")));
    }
    return null;
  }

  /**
   * Writes 30 days of {@code http_requests_total} counters, one sample every {@value #STEP_SECONDS}
   * s, over {@code series} series: the same traffic (about 100 requests/s with a day/night swing,
   * 0.1% server errors) split over more endpoints, statuses and pods.
   *
   * @return samples written
   */
  static long writeHistory(Path om, Instant end, int series) throws IOException {
    int endpoints = series == 100 ? 5 : 10;
    List<String> statuses =
        series == 100 ? List.of("200", "500") : List.of("200", "201", "404", "500", "503");
    int pods = series == 100 ? 5 : 10;
    int steps = DAYS * 86_400 / STEP_SECONDS;
    long start = end.getEpochSecond() - (long) steps * STEP_SECONDS;
    long written = 0;
    try (BufferedWriter out =
        Files.newBufferedWriter(
            om,
            java.nio.charset.StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.CREATE_NEW)) {
      out.write("# TYPE http_requests counter\n");
      StringBuilder line = new StringBuilder(160);
      for (int e = 0; e < endpoints; e++) {
        for (String method : List.of("GET", "POST")) {
          for (String status : statuses) {
            boolean error = status.startsWith("5");
            double share =
                error
                    ? 0.001 / (statuses.size() == 2 ? 1 : 2)
                    : 0.999 / (statuses.size() - (statuses.size() == 2 ? 1 : 2));
            for (int pod = 0; pod < pods; pod++) {
              String labels =
                  "http_requests_total{service=\"catalog\",endpoint=\"/e"
                      + e
                      + "\",method=\""
                      + method
                      + "\",status=\""
                      + status
                      + "\",instance=\"pod-"
                      + pod
                      + "\"} ";
              double perStep = 100.0 * STEP_SECONDS * share / (endpoints * 2 * pods);
              double value = 0;
              for (int s = 0; s <= steps; s++) {
                long t = start + (long) s * STEP_SECONDS;
                value += perStep * (1 + 0.8 * Math.sin(2 * Math.PI * (t % 86_400) / 86_400.0));
                line.setLength(0);
                line.append(labels).append(Math.floor(value)).append(' ').append(t).append('\n');
                out.write(line.toString());
                written++;
              }
            }
          }
        }
      }
      out.write("# EOF\n");
    }
    return written;
  }

  static String render(List<Figures> all) {
    StringBuilder md = new StringBuilder(HEADING).append("\n\n");
    md.append(
        "One availability SLO (99.9% over 30d), vigil's generated group against the rules Sloth generates"
            + " for the same SLI (bench/peers/sloth), both in one Prometheus 2.42 per store, each store 30 days"
            + " of `http_requests_total` at one sample every 30 s built with `promtool tsdb create-blocks-from"
            + " openmetrics`. Samples are Prometheus' own `stats=all` (`totalQueryableSamples`) at the end of the"
            + " history; times are Prometheus' `evalTotalTime`, medians of 5. Reproduce: `BENCH_PARTS=scale"
            + " ./vigil bench` (or `java -cp bench/target/vigil-benchmarks.jar dev.vigil.bench.slo.SloScale .`).\n\n");
    md.append("| figure |");
    all.forEach(f -> md.append(" ").append(f.series()).append(" series |"));
    md.append("\n|---|");
    all.forEach(f -> md.append("---|"));
    md.append("\n");
    row(
        md,
        "raw samples in the store",
        all,
        f -> String.format(Locale.ROOT, "%,d", f.rawSamples()));
    row(md, "import (promtool)", all, f -> seconds(f.importTime().toMillis() / 1000.0));
    row(
        md,
        "`vigil slo backfill --tsdb`, one SLO, 30 days (blocks loaded at Prometheus' next reload, up to 1 min)",
        all,
        f ->
            seconds(f.backfillTime().toMillis() / 1000.0)
                + ", "
                + String.format(Locale.ROOT, "%,d", f.backfillSamples())
                + " samples written");
    row(
        md,
        "vigil: samples per group evaluation",
        all,
        f ->
            String.format(
                Locale.ROOT, "%,d", f.vigilRules().values().stream().mapToLong(c -> c[0]).sum()));
    row(
        md,
        "Sloth: samples per evaluation (3 groups)",
        all,
        f ->
            String.format(
                Locale.ROOT, "%,d", f.slothRules().values().stream().mapToLong(c -> c[0]).sum()));
    row(md, "vigil: group evaluation time", all, f -> seconds(f.vigilGroupSeconds()));
    row(md, "Sloth: evaluation time (3 groups)", all, f -> seconds(f.slothGroupSeconds()));
    row(
        md,
        "the SLI over 30 days of raw series (vigil's period rule before)",
        all,
        f ->
            String.format(
                Locale.ROOT,
                "%,d samples, %s",
                f.rawPeriodSamples(),
                seconds(f.rawPeriodSeconds())));
    row(md, "`vigil slo report`, 100 SLOs, in-process", all, f -> seconds(f.reportSeconds()));
    row(
        md,
        "`vigil slo report`, 100 SLOs, fresh CLI (`java -jar`)",
        all,
        f -> seconds(f.reportCliSeconds()));
    row(
        md,
        "console SLO page data (budget, window pairs, burn-down, 1h burn rate)",
        all,
        f -> seconds(f.sloPageSeconds()));
    Figures small = all.get(0);
    Figures large = all.get(all.size() - 1);
    long vs = small.vigilRules().values().stream().mapToLong(c -> c[0]).sum();
    long vl = large.vigilRules().values().stream().mapToLong(c -> c[0]).sum();
    md.append(
        String.format(
            Locale.ROOT,
            "%nTargets: vigil's samples per evaluation at %,d series / at %,d series = %.3f (target <= 1.1);"
                + " vigil's group time / Sloth's at %,d series = %.2f (target <= 1); report of 100 SLOs"
                + " %.2f s in-process (target < 2 s); backtest of one SLO over 30 days at %,d series %.0f s"
                + " (target < 120 s).%n%n",
            large.series(),
            small.series(),
            vl / (double) vs,
            large.series(),
            large.vigilGroupSeconds() / large.slothGroupSeconds(),
            large.reportSeconds(),
            large.series(),
            large.backtestSeconds()));
    md.append("Per rule at ")
        .append(large.series())
        .append(
            " series (samples, median µs):\n\n| rule | vigil | | Sloth | |\n|---|---|---|---|---|\n");
    List<String> names = new ArrayList<>(large.vigilRules().keySet());
    large
        .slothRules()
        .keySet()
        .forEach(
            n -> {
              if (!names.contains(n)) names.add(n);
            });
    for (String n : names) {
      long[] v = large.vigilRules().get(n);
      long[] s = large.slothRules().get(n);
      md.append("| `")
          .append(n)
          .append("` | ")
          .append(v == null ? "" : String.format(Locale.ROOT, "%,d", v[0]))
          .append(" | ")
          .append(v == null ? "" : String.valueOf(v[1]))
          .append(" | ")
          .append(s == null ? "" : String.format(Locale.ROOT, "%,d", s[0]))
          .append(" | ")
          .append(s == null ? "" : String.valueOf(s[1]))
          .append(" |\n");
    }
    return md.append('\n').toString();
  }

  private interface Cell {
    String of(Figures f);
  }

  private static void row(StringBuilder md, String name, List<Figures> all, Cell cell) {
    md.append("| ").append(name).append(" |");
    all.forEach(f -> md.append(" ").append(cell.of(f)).append(" |"));
    md.append('\n');
  }

  private static String seconds(double s) {
    return s >= 1
        ? String.format(Locale.ROOT, "%.2f s", s)
        : String.format(Locale.ROOT, "%.1f ms", s * 1000);
  }

  /** Replaces the section {@link #HEADING} (up to the next "## "), or appends it. */
  static String replaceSection(String doc, String section) {
    int at = doc.indexOf(HEADING);
    if (at < 0) {
      return doc.stripTrailing() + "\n\n" + section;
    }
    int next = doc.indexOf("\n## ", at + HEADING.length());
    return doc.substring(0, at) + section + (next < 0 ? "" : doc.substring(next + 1));
  }
}
