package dev.vigil.slo.backfill;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.prometheus.RemoteWriteClient;
import dev.vigil.prometheus.SampleWriter;
import dev.vigil.slo.generate.RuleFileGenerator;
import dev.vigil.slo.model.RecordedWindows;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.model.SloSeries;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Writes an SLO's recorded event counts for the history that existed before its rules were loaded,
 * so that a new SLO starts with its true error budget instead of "0% of the period covered".
 *
 * <p>The engine is Prometheus' own: each of the SLO's event rules ({@link
 * RuleFileGenerator#eventRules}: the time slice verdict, then the base minute's bad and total
 * events) is evaluated with range queries at a step of {@link RecordedWindows#BASE}, exactly as the
 * rule group would have evaluated it, and written back through remote write before the next rule
 * (which may read it) is evaluated. Every other recording (windows, period, budget) sums these
 * counts at each live evaluation, so it needs no backfill: the next evaluation after a backfill
 * reads the whole period. ({@code promtool tsdb create-blocks-from rules} evaluates only rules that
 * read raw series, and writes bogus series for alerts.)
 *
 * <p>The written minutes end one {@link RecordedWindows#BASE} before the SLO's first live
 * recording, on the same minute grid, so that backfilled and live counts tile time without overlap
 * or gap; without live recordings they end at {@code to}. Gaps in rule evaluation after the first
 * live recording are not filled: the report's coverage shows them.
 */
public final class Backfill {

  /** Prometheus refuses range queries of more than 11,000 points; stay below. */
  public static final int MAX_POINTS = 10_000;

  /** Samples per remote-write request. */
  static final int BATCH_SAMPLES = 50_000;

  /**
   * What was written for one SLO.
   *
   * @param slo the SLO's name
   * @param from the first minute written (its evaluation time); when nothing was written, the first
   *     minute evaluated; null when nothing needed evaluating
   * @param to the last minute written; when nothing was, the last evaluated
   * @param samples samples written per recorded series name, in evaluation order
   * @param skipped why nothing needed writing (history already recorded, or none before the first
   *     live recording), or null
   */
  public record Result(
      String slo, Instant from, Instant to, Map<String, Long> samples, String skipped) {

    /**
     * @return every sample written for the SLO
     */
    public long total() {
      return samples.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final PrometheusClient prometheus;
  private final PrometheusClient recorded;
  private final SampleWriter writer;
  private final RuleFileGenerator rules = new RuleFileGenerator();

  /**
   * @param prometheus where the SLI's raw series are read and the written counts become visible
   * @param writer the same store's remote-write receiver, or its data directory's block writer
   */
  public Backfill(PrometheusClient prometheus, SampleWriter writer) {
    this(prometheus, prometheus, writer);
  }

  /**
   * A backfill into another store than the one holding the raw series (a replay Prometheus): rules
   * that read recorded {@code slo:} series read them where they are written.
   *
   * @param source where the SLI's raw series are read
   * @param recorded the store the writer writes to, where recorded series are read
   * @param writer that store's remote-write receiver
   */
  public Backfill(PrometheusClient source, PrometheusClient recorded, SampleWriter writer) {
    this.prometheus = source;
    this.recorded = recorded;
    this.writer = writer;
  }

  /**
   * Backfills one SLO.
   *
   * @param slo the SLO
   * @param from the earliest instant to write, or null for one period before the end
   * @param to the latest instant to write when the SLO has no live recording yet, or null for now
   * @return what was written
   * @throws IOException when Prometheus cannot be read or the receiver refuses a write
   */
  public Result run(Slo slo, Instant from, Instant to) throws IOException {
    PromDuration period = slo.period().ruleWindow();
    Instant now = to == null ? Instant.now() : to;
    long step = RecordedWindows.BASE.millis();
    Instant firstLive = firstRecording(slo, now, period);
    Instant end =
        firstLive == null
            ? Instant.ofEpochMilli(now.toEpochMilli() / step * step)
            : firstLive.minusMillis(step);
    Instant start = from == null ? end.minusMillis(period.millis()).plusMillis(step) : from;
    if (end.isBefore(start)) {
      return new Result(
          slo.name(),
          null,
          null,
          Map.of(),
          "recorded since " + firstLive + ", before " + start + ": nothing to backfill");
    }
    long steps = (end.toEpochMilli() - start.toEpochMilli()) / step;
    Instant first = end.minusMillis(steps * step);
    long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
    Map<String, Long> written = writeEventRules(slo, first, end, span);
    if (span[0] > span[1] && firstLive != null) {
      return new Result(
          slo.name(),
          first,
          end,
          written,
          "recorded since " + firstLive + "; its SLI has no earlier history: nothing to backfill");
    }
    return span[0] > span[1]
        ? new Result(slo.name(), first, end, written, null)
        : new Result(
            slo.name(),
            Instant.ofEpochMilli(span[0]),
            Instant.ofEpochMilli(span[1]),
            written,
            null);
  }

  /**
   * Evaluates the SLO's event rules ({@link RuleFileGenerator#eventRules}) at every minute from
   * {@code first} to {@code end} and writes them, layer by layer: a rule whose output the next rule
   * reads (a time slice verdict) is committed and visible before the next is evaluated, and the
   * last is visible when this returns.
   *
   * @param slo the SLO
   * @param first the first evaluation
   * @param end the last evaluation
   * @param span the earliest and latest timestamps written so far (ms), widened here
   * @return samples written per recorded series, in evaluation order
   * @throws IOException when a store fails or written samples do not become visible
   */
  public Map<String, Long> writeEventRules(Slo slo, Instant first, Instant end, long[] span)
      throws IOException {
    Map<String, Long> written = new LinkedHashMap<>();
    List<Map<String, Object>> eventRules = rules.eventRules(slo);
    for (int i = 0; i < eventRules.size(); i++) {
      Map<String, Object> rule = eventRules.get(i);
      @SuppressWarnings("unchecked")
      Map<String, String> labels = (Map<String, String>) rule.get("labels");
      String record = (String) rule.get("record");
      long samples = evaluateAndWrite(record, (String) rule.get("expr"), labels, first, end, span);
      written.put(record, samples);
      // the next rule reads this one's output (a time slice verdict): make it visible first
      boolean last = i == eventRules.size() - 1;
      if (last || ((String) eventRules.get(i + 1).get("expr")).contains(record)) {
        writer.commit();
        awaitVisible(record, labels, end, samples);
      }
    }
    return written;
  }

  /**
   * Evaluates one recording rule at every minute from {@code first} to {@code end} with range
   * queries and writes what it returns, named and labelled as the rule records it: the recording a
   * rule group evaluated every {@link RecordedWindows#BASE} would have written. A rule over
   * recorded {@code slo:} series reads them from the store written to. Also for recording rules
   * that are not vigil's (a benchmark's peer rules).
   *
   * @param record the recorded series' name
   * @param expr the rule's PromQL
   * @param ruleLabels the rule's labels, set on every written series
   * @param first the first evaluation
   * @param end the last evaluation
   * @param span the earliest and latest timestamps written so far (ms), widened here
   * @return samples written (visible once the writer commits)
   * @throws IOException when Prometheus cannot be read or the receiver refuses a write
   */
  public long evaluateAndWrite(
      String record,
      String expr,
      Map<String, String> ruleLabels,
      Instant first,
      Instant end,
      long[] span)
      throws IOException {
    long step = RecordedWindows.BASE.millis();
    long written = 0;
    List<RemoteWriteClient.Series> batch = new ArrayList<>();
    long batchSamples = 0;
    for (Instant chunk = first; !chunk.isAfter(end); chunk = chunk.plusMillis(MAX_POINTS * step)) {
      Instant chunkEnd = min(end, chunk.plusMillis((MAX_POINTS - 1) * step));
      PrometheusClient reader = expr.contains("slo:") ? recorded : prometheus;
      for (PrometheusClient.RangeSeries series :
          reader.range(expr.strip(), chunk, chunkEnd, step / 1000.0)) {
        Map<String, String> labels = new LinkedHashMap<>(series.labels());
        labels.putAll(ruleLabels);
        labels.put("__name__", record);
        List<RemoteWriteClient.Sample> samples = new ArrayList<>();
        for (PrometheusClient.Point p : series.points()) {
          if (!Double.isNaN(p.value())) {
            long ms = Math.round(p.epochSeconds() * 1000);
            samples.add(new RemoteWriteClient.Sample(ms, p.value()));
            span[0] = Math.min(span[0], ms);
            span[1] = Math.max(span[1], ms);
          }
        }
        if (!samples.isEmpty()) {
          batch.add(new RemoteWriteClient.Series(labels, samples));
          batchSamples += samples.size();
        }
        if (batchSamples >= BATCH_SAMPLES) {
          written += writer.write(batch);
          batch.clear();
          batchSamples = 0;
        }
      }
    }
    written += writer.write(batch);
    return written;
  }

  /** Longer than any period a backfill writes (a quarter is 90 days). */
  static final String MAX_HISTORY = "93d";

  /** The longest wait for committed blocks to be loaded: Prometheus reloads blocks every minute. */
  static final Duration VISIBLE_WITHIN = Duration.ofMinutes(3);

  /**
   * Waits until the samples written for a recording can be queried where the next rule reads them
   * (at once through remote write; blocks at Prometheus' next block reload, every minute).
   *
   * @param record the recorded series' name
   * @param labels its rule labels
   * @param end the last minute written
   * @param samples how many were written (nothing to wait for when 0)
   * @throws IOException when they are not visible within {@link #VISIBLE_WITHIN}
   */
  public void awaitVisible(String record, Map<String, String> labels, Instant end, long samples)
      throws IOException {
    if (samples == 0) {
      return;
    }
    String selector =
        record
            + "{"
            + labels.entrySet().stream()
                .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                .collect(java.util.stream.Collectors.joining(","))
            + "}";
    Instant deadline = Instant.now().plus(VISIBLE_WITHIN);
    String anyWritten = "count(last_over_time(" + selector + "[" + MAX_HISTORY + "]))";
    while (recorded.value(anyWritten, end).isEmpty()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IOException(
            "wrote "
                + samples
                + " samples of "
                + selector
                + " but Prometheus did not show them within "
                + VISIBLE_WITHIN.toMinutes()
                + " minutes: is the block directory the one this Prometheus reads"
                + " (--storage.tsdb.path)?");
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the written samples", e);
      }
    }
  }

  /**
   * @return the time of the SLO's earliest recorded total-events count within the period before
   *     {@code at}, or null when it has none
   */
  private Instant firstRecording(Slo slo, Instant at, PromDuration period) throws IOException {
    OptionalDouble first =
        prometheus.value(
            "min_over_time(timestamp("
                + SloSeries.TOTAL_EVENTS
                + SloSeries.matchers(slo)
                + ")["
                + period
                + ":"
                + RecordedWindows.BASE
                + "])",
            at);
    if (first.isEmpty()) {
      return null;
    }
    return Instant.ofEpochMilli(Math.round(first.getAsDouble() * 1000));
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /**
   * @param result a backfill's result
   * @return how long the written history is, e.g. {@code PT720H}; zero when nothing was written
   */
  public static Duration span(Result result) {
    return result.from() == null
        ? Duration.ZERO
        : Duration.between(result.from(), result.to()).plus(RecordedWindows.BASE.toDuration());
  }
}
