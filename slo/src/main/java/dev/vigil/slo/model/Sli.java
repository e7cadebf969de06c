package dev.vigil.slo.model;

import dev.vigil.prometheus.PromDuration;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A service level indicator: how to count bad events and all events over a window, in PromQL.
 *
 * <p>Every query returns events per second averaged over the window (a {@code rate}); the error ratio is
 * bad / total. {@link #WINDOW} in a query is replaced by the window, e.g. {@code 5m}.
 */
public sealed interface Sli permits Sli.Events, Sli.Latency {

  /** The placeholder replaced by the window in event queries. */
  String WINDOW = "{{window}}";

  /**
   * @param window e.g. {@code 5m}
   * @return PromQL for bad events per second over the window
   */
  String badQuery(PromDuration window);

  /**
   * @param window e.g. {@code 5m}
   * @return PromQL for all events per second over the window
   */
  String totalQuery(PromDuration window);

  /**
   * Events given as PromQL: either bad or good, plus total.
   *
   * @param bad PromQL with {@code {{window}}} returning bad events per second, or null when good is given
   * @param good PromQL with {@code {{window}}} returning good events per second, or null when bad is given
   * @param total PromQL with {@code {{window}}} returning all events per second
   */
  record Events(String bad, String good, String total) implements Sli {
    @Override
    public String badQuery(PromDuration window) {
      if (bad != null) {
        return at(bad, window);
      }
      return "(" + at(total, window) + ") - (" + at(good, window) + ")";
    }

    @Override
    public String totalQuery(PromDuration window) {
      return at(total, window);
    }

    private static String at(String query, PromDuration window) {
      return query.replace(WINDOW, window.toString()).strip();
    }
  }

  /**
   * Latency from a Prometheus histogram: an event is bad when slower than the threshold, i.e. not in the
   * bucket {@code le="<threshold>"}.
   *
   * @param metric the histogram's base name, e.g. {@code http_request_duration_seconds}
   * @param selector label equalities selecting the service's series, e.g. {@code service=catalog}
   * @param thresholdSeconds the latency threshold in seconds; must be a bucket boundary
   */
  record Latency(String metric, Map<String, String> selector, BigDecimal thresholdSeconds) implements Sli {

    /** Copies the selector in label order. */
    public Latency {
      selector = new TreeMap<>(selector);
    }

    @Override
    public String badQuery(PromDuration window) {
      return "(" + totalQuery(window) + ") - (" + fastQuery(window) + ")";
    }

    @Override
    public String totalQuery(PromDuration window) {
      return "sum(rate(" + countSeries() + "[" + window + "]))";
    }

    /** @param window e.g. 5m @return PromQL for events per second faster than the threshold */
    public String fastQuery(PromDuration window) {
      return "sum(rate(" + fastBucketSeries() + "[" + window + "]))";
    }

    /** @return the selector of the histogram's {@code _count}, e.g. {@code m_count{service="catalog"}} */
    public String countSeries() {
      return metric + "_count" + matchers(Map.of());
    }

    /** @return the selector of the threshold's bucket, e.g. {@code m_bucket{le="0.5",service="catalog"}} */
    public String fastBucketSeries() {
      return metric + "_bucket" + matchers(Map.of("le", leValue()));
    }

    /** @return the selector of all the histogram's buckets, e.g. {@code m_bucket{service="catalog"}} */
    public String bucketSeries() {
      return metric + "_bucket" + matchers(Map.of());
    }

    /** @return the threshold as Prometheus writes the {@code le} label: {@code 0.5}, {@code 1} */
    public String leValue() {
      return BudgetMath.plain(thresholdSeconds).toPlainString();
    }

    private String matchers(Map<String, String> extra) {
      Map<String, String> all = new TreeMap<>(selector);
      all.putAll(extra);
      return all.entrySet().stream()
          .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
          .collect(Collectors.joining(",", "{", "}"));
    }
  }
}
