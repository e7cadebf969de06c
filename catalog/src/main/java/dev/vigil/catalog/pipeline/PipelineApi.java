package dev.vigil.catalog.pipeline;

import dev.vigil.telemetry.http.RequestParams;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** The HTTP handlers of {@code /data}. */
public final class PipelineApi {

  private final DataPipeline pipeline;

  /**
   * @param pipeline the data pipeline
   */
  public PipelineApi(DataPipeline pipeline) {
    this.pipeline = pipeline;
  }

  /**
   * {@code GET /data/process?records=N}: processes N synthetic records (default 100, 1..10000; 422
   * beyond).
   *
   * @param ctx the request
   */
  public void process(Context ctx) {
    int records = RequestParams.queryInt(ctx, "records", 100, 1, DataPipeline.MAX_RECORDS);
    DataPipeline.Batch batch = pipeline.process(records);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("records_processed", batch.records());
    body.put("checksum", batch.checksum());
    body.put("duration_seconds", batch.durationSeconds());
    ctx.json(body);
  }

  /**
   * {@code GET /data/error}: always a 500 problem, counted in {@code pipeline_errors_total}.
   *
   * @param ctx the request
   */
  public void fail(Context ctx) {
    pipeline.fail();
  }
}
