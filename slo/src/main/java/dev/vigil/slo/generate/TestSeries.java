package dev.vigil.slo.generate;

import dev.vigil.slo.model.Sli;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds two input series that drive an SLI in a promtool test: one counting bad events and one
 * counting the others (good events), both selected by the SLI's total query. Works for SLIs whose
 * queries each read one counter selector ({@code sum(rate(metric{...}[{{window}}]))}) with label
 * matchers simple enough to satisfy; otherwise there is no test and the generator says why.
 */
final class TestSeries {

  private static final Pattern SELECTOR =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{([^}]*)})?\\s*\\[\\s*1m\\s*]");
  private static final Pattern MATCHER =
      Pattern.compile(
          "\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");
  private static final List<String> CANDIDATES =
      List.of("500", "200", "0", "ok", "error", "a", "x");

  /**
   * The two counters of a test.
   *
   * @param bad the series of bad events, e.g. {@code
   *     http_requests_total{service="catalog",status="500"}}
   * @param good the series of good events, or for two-counter SLIs the series of all events
   * @param goodCountsAll true when {@code good} counts all events (bad and total are different
   *     counters)
   */
  record Pair(String bad, String good, boolean goodCountsAll) {}

  private record Match(String label, String op, String value) {
    boolean test(String actual) {
      String v = actual == null ? "" : actual;
      return switch (op) {
        case "=" -> v.equals(value);
        case "!=" -> !v.equals(value);
        case "=~" -> Pattern.matches(value, v);
        default -> !Pattern.matches(value, v);
      };
    }
  }

  private record Selector(String metric, List<Match> matches) {
    boolean test(String metricName, Map<String, String> labels) {
      return metric.equals(metricName)
          && matches.stream().allMatch(m -> m.test(labels.get(m.label())));
    }
  }

  private TestSeries() {}

  /**
   * @param sli the SLI
   * @return the input series pair, or a reason why none could be found
   */
  static Result find(Sli sli) {
    if (sli instanceof Sli.Latency latency) {
      // The bucket counts fast (good) events; _count counts all: bad = count - bucket.
      return new Result(
          Optional.empty(), latency.fastBucketSeries(), latency.countSeries(), null, null);
    }
    if (sli instanceof Sli.Timeslices slices) {
      return probe(slices);
    }
    if (!(sli instanceof Sli.Events events)) {
      return Result.none("no scenarios for this SLI type");
    }
    Optional<Selector> total = only(events.total().replace(Sli.WINDOW, "1m"));
    String sideQuery = events.bad() != null ? events.bad() : events.good();
    Optional<Selector> side = only(sideQuery.replace(Sli.WINDOW, "1m"));
    if (total.isEmpty() || side.isEmpty()) {
      return Result.none("its queries do not each read exactly one counter selector");
    }
    Selector t = total.get();
    Selector s = side.get();
    Optional<Map<String, String>> inBoth =
        satisfy(List.of(t, s).stream().filter(x -> x.metric().equals(s.metric())).toList(), null);
    if (inBoth.isEmpty()) {
      return Result.none(
          "no label values satisfy the selector "
              + s.metric()
              + " together with the total selector");
    }
    boolean badSide = events.bad() != null;
    if (!t.metric().equals(s.metric())) {
      Optional<Map<String, String>> all = satisfy(List.of(t), null);
      if (all.isEmpty()) {
        return Result.none("no label values satisfy the total selector");
      }
      String sideSeries = series(s.metric(), inBoth.get());
      String totalSeries = series(t.metric(), all.get());
      return badSide
          ? new Result(Optional.of(new Pair(sideSeries, totalSeries, true)), null, null, null, null)
          : Result.none("good and total on different counters are not generated");
    }
    Optional<Map<String, String>> outside = satisfy(List.of(t), s);
    if (outside.isEmpty()) {
      return Result.none(
          "no label values satisfy the total selector without the "
              + (badSide ? "bad" : "good")
              + " selector");
    }
    String in = series(s.metric(), inBoth.get());
    String out = series(t.metric(), outside.get());
    return new Result(
        Optional.of(badSide ? new Pair(in, out, false) : new Pair(out, in, false)),
        null,
        null,
        null,
        null);
  }

  /**
   * The probe series of a Timeslices or RatioTimeslices SLI whose slice value is the average of a
   * 0/1 gauge over the slice ({@code avg_over_time(probe_success{...}[{{window}}])}, as the
   * catalog's uptime SLO and OpenSLO raw gauges read): the generated tests drive it with 1 (up) and
   * 0 (down) minutes.
   */
  private static Result probe(Sli.Timeslices slices) {
    String good = slices.good().strip();
    if (!good.startsWith("avg_over_time(") || !good.endsWith("[" + Sli.WINDOW + "])")) {
      return Result.none(
          "its good query is not avg_over_time(<0/1 gauge>[{{window}}]), so no probe history can"
              + " drive it");
    }
    Optional<Selector> gauge = only(good.replace(Sli.WINDOW, "1m"));
    if (gauge.isEmpty()) {
      return Result.none("its good query does not read exactly one series selector");
    }
    Optional<Map<String, String>> labels = satisfy(List.of(gauge.get()), null);
    if (labels.isEmpty()) {
      return Result.none("no label values satisfy the selector of its good query");
    }
    return new Result(
        Optional.empty(), null, null, series(gauge.get().metric(), labels.get()), null);
  }

  /**
   * The outcome of {@link #find}.
   *
   * @param pair the counters for event SLIs (bad/good), present when found for them
   * @param fastBucket for latency SLIs the bucket series of fast events, else null
   * @param count for latency SLIs the {@code _count} series of all events, else null
   * @param probe for time slice SLIs the 0/1 gauge (a probe) the slices average, else null
   * @param reason why nothing was found, else null
   */
  record Result(Optional<Pair> pair, String fastBucket, String count, String probe, String reason) {
    static Result none(String reason) {
      return new Result(Optional.empty(), null, null, null, reason);
    }
  }

  private static Optional<Selector> only(String query) {
    Matcher m = SELECTOR.matcher(query);
    List<Selector> found = new ArrayList<>();
    while (m.find()) {
      List<Match> matches = new ArrayList<>();
      String body = m.group(3) == null ? "" : m.group(3);
      Matcher mm = MATCHER.matcher(body);
      int end = 0;
      while (mm.find() && mm.start() == end) {
        matches.add(new Match(mm.group(1), mm.group(2), mm.group(3).replace("\\\\", "\\")));
        end = mm.end();
      }
      if (end != body.length()) {
        return Optional.empty();
      }
      found.add(new Selector(m.group(1), matches));
    }
    return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
  }

  /**
   * Label values satisfying every selector in {@code all} and, when {@code not} is given, failing
   * it.
   */
  private static Optional<Map<String, String>> satisfy(List<Selector> all, Selector not) {
    Map<String, String> labels = new TreeMap<>();
    for (Selector sel : all) {
      for (Match m : sel.matches()) {
        if (m.op().equals("=")) {
          labels.put(m.label(), m.value());
        } else if (m.op().equals("=~")) {
          labels.putIfAbsent(m.label(), example(m).orElse(null));
        }
      }
    }
    labels.values().removeIf(v -> v == null || v.isEmpty());
    String metric = all.get(0).metric();
    if (not != null && not.metric().equals(metric)) {
      for (Match m : not.matches()) {
        Map<String, String> attempt = new TreeMap<>(labels);
        for (String candidate : CANDIDATES) {
          attempt.put(m.label(), candidate);
          if (all.stream().allMatch(s -> s.test(metric, attempt)) && !not.test(metric, attempt)) {
            return Optional.of(attempt);
          }
        }
      }
      return Optional.empty();
    }
    return all.stream().allMatch(s -> s.test(metric, labels))
        ? Optional.of(labels)
        : Optional.empty();
  }

  private static Optional<String> example(Match m) {
    String regex = m.value();
    String simple = regex.replaceAll("^\\^|\\$$", "");
    if (simple.startsWith("(") && simple.endsWith(")")) {
      simple = simple.substring(1, simple.length() - 1);
    }
    simple =
        simple
            .split("\\|")[0]
            .replaceAll("\\[(.)[^]]*]", "$1")
            .replace("\\d", "0")
            .replace(".", "0")
            .replaceAll("[+*?]", "");
    List<String> tries = new ArrayList<>(List.of(simple));
    tries.addAll(CANDIDATES);
    return tries.stream().filter(c -> Pattern.matches(regex, c)).findFirst();
  }

  private static String series(String metric, Map<String, String> labels) {
    return metric
        + labels.entrySet().stream()
            .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
            .collect(Collectors.joining(",", "{", "}"));
  }
}
