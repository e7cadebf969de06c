package dev.vigil.slo.validate;

import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.slo.model.BudgetMath;
import dev.vigil.slo.model.Sli;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.spec.Problem;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks, against a running Prometheus, that every latency SLI's threshold is a bucket boundary of
 * its histogram: otherwise {@code le="<threshold>"} selects nothing and the SLI reports every
 * request as slow.
 */
public final class BucketBoundaryCheck {

  private final PrometheusClient prometheus;

  /**
   * @param prometheus the Prometheus to ask
   */
  public BucketBoundaryCheck(PrometheusClient prometheus) {
    this.prometheus = prometheus;
  }

  /**
   * @param slos valid SLOs; only latency SLIs are checked
   * @return one problem per threshold that is not a boundary (or whose histogram has no series)
   * @throws IOException when Prometheus cannot be reached
   */
  public List<Problem> check(List<Slo> slos) throws IOException {
    List<Problem> problems = new ArrayList<>();
    for (Slo slo : slos) {
      if (!(slo.sli() instanceof Sli.Latency latency)) {
        continue;
      }
      String selector = latency.bucketSeries();
      Set<BigDecimal> boundaries = new TreeSet<>();
      for (String le : prometheus.labelValues("le", selector)) {
        if (!le.equals("+Inf")) {
          boundaries.add(BudgetMath.plain(new BigDecimal(le)));
        }
      }
      String field = slo.path() + ".sli.latency.threshold";
      if (boundaries.isEmpty()) {
        problems.add(
            new Problem(
                slo.source(),
                field,
                "Prometheus has no series for " + selector,
                "check the metric name and selector, and that the service is scraped"));
      } else if (!boundaries.contains(BudgetMath.plain(latency.thresholdSeconds()))) {
        problems.add(
            new Problem(
                slo.source(),
                field,
                "threshold "
                    + latency.leValue()
                    + " s is not a bucket boundary of "
                    + latency.metric(),
                "use one of "
                    + boundaries.stream()
                        .map(BigDecimal::toPlainString)
                        .collect(Collectors.joining(", "))
                    + " or add the boundary to the histogram"));
      }
    }
    return problems;
  }
}
