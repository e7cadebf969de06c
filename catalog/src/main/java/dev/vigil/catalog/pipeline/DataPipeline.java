package dev.vigil.catalog.pipeline;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * The seed's data pipeline: processes batches of synthetic records and counts what it did in {@code
 * pipeline_records_processed_total}, {@code pipeline_errors_total} and {@code
 * pipeline_processing_duration_seconds} (one observation per batch).
 */
public final class DataPipeline {

  /** Largest batch a single request may ask for. */
  public static final int MAX_RECORDS = 10_000;

  /**
   * The result of one batch.
   *
   * @param records records processed
   * @param checksum CRC-32 over all processed records, proof the work was done
   * @param durationSeconds time spent, in seconds
   */
  public record Batch(int records, long checksum, double durationSeconds) {}

  /** Thrown by the deliberate failure: a pipeline error the service does not handle. */
  public static final class PipelineFailure extends RuntimeException {
    PipelineFailure(String message) {
      super(message);
    }
  }

  private final CounterDataPoint processed;
  private final CounterDataPoint errors;
  private final DistributionDataPoint duration;

  /**
   * @param registry where the pipeline metrics are registered
   */
  public DataPipeline(PrometheusRegistry registry) {
    processed =
        Counter.builder()
            .name("pipeline_records_processed_total")
            .help("Synthetic records processed by the data pipeline")
            .register(registry);
    errors =
        Counter.builder()
            .name("pipeline_errors_total")
            .help("Data pipeline batches that failed")
            .register(registry);
    duration =
        Histogram.builder()
            .name("pipeline_processing_duration_seconds")
            .help("Time to process one batch, in seconds")
            .classicOnly()
            .register(registry);
  }

  /**
   * Generates and processes a batch of records (serialise, checksum).
   *
   * @param records 1..{@value #MAX_RECORDS}
   * @return what was done
   */
  public Batch process(int records) {
    long start = System.nanoTime();
    CRC32 crc = new CRC32();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < records; i++) {
      String record = "{\"id\":" + i + ",\"value\":" + random.nextInt(1_000_000) + "}";
      crc.update(record.getBytes(StandardCharsets.UTF_8));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    processed.inc(records);
    duration.observe(seconds);
    return new Batch(records, crc.getValue(), seconds);
  }

  /**
   * The seed's deliberate error: counts a pipeline error and throws.
   *
   * @throws PipelineFailure always
   */
  public void fail() {
    errors.inc();
    throw new PipelineFailure("deliberate pipeline failure (GET /data/error)");
  }
}
