package dev.vigil.slo.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The series a latency SLI reads, written by hand in PromQL selector syntax (labels in name order):
 * the histogram's _count, the threshold's bucket and all buckets.
 */
class LatencySliSelectorsTest {

  @Test
  void aLatencySliSelectsTheHistogramsCountItsThresholdBucketAndAllItsBuckets() {
    Sli.Latency sli =
        new Sli.Latency(
            "http_request_duration_seconds",
            Map.of("service", "catalog", "job", "catalog"),
            new BigDecimal("0.50"));

    assertThat(sli.countSeries())
        .isEqualTo("http_request_duration_seconds_count{job=\"catalog\",service=\"catalog\"}");
    assertThat(sli.fastBucketSeries())
        .isEqualTo(
            "http_request_duration_seconds_bucket{job=\"catalog\",le=\"0.5\",service=\"catalog\"}");
    assertThat(sli.bucketSeries())
        .isEqualTo("http_request_duration_seconds_bucket{job=\"catalog\",service=\"catalog\"}");
  }
}
