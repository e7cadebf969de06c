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

  @Test
  void aWholeSecondThresholdMatchesTheBucketAsEveryClientWritesIt() {
    // client_java 1.x writes le="1.0", others le="1": a bucket selector must match both
    Sli.Latency whole =
        new Sli.Latency(
            "http_request_duration_seconds", Map.of("service", "catalog"), new BigDecimal("1.000"));

    assertThat(whole.fastBucketSeries())
        .isEqualTo("http_request_duration_seconds_bucket{le=~\"1|1\\\\.0\",service=\"catalog\"}");
    assertThat(whole.countSeries())
        .as("only the le matcher is widened")
        .isEqualTo("http_request_duration_seconds_count{service=\"catalog\"}");
  }
}
