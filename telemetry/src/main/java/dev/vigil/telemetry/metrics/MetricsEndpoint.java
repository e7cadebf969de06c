package dev.vigil.telemetry.metrics;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code GET /metrics}: a scrape of the registry in the format the scraper's {@code Accept} header
 * asks for: OpenMetrics text when it lists {@code application/openmetrics-text} (exemplars are only
 * carried by that format), Prometheus text 0.0.4 otherwise.
 */
public final class MetricsEndpoint implements Handler {

  private final PrometheusRegistry registry;
  private final ExpositionFormats formats = ExpositionFormats.init();

  /**
   * @param registry the registry to scrape on every request
   */
  public MetricsEndpoint(PrometheusRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(Context ctx) throws Exception {
    ExpositionFormatWriter writer = formats.findWriter(ctx.header("Accept"));
    // Straight into the response: at 50k series an intermediate byte array doubles the scrape's
    // garbage.
    ctx.contentType(writer.getContentType());
    writer.write(ctx.outputStream(), registry.scrape());
  }
}
