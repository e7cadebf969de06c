package dev.vigil.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.catalog.config.CatalogConfig;
import dev.vigil.catalog.pipeline.DataPipeline;
import dev.vigil.telemetry.admin.AdminConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog's own error tracking and profiling through its admin API: its deliberate failure
 * ({@code GET /data/error}) is one group listing the failing requests' trace ids, and a 5-second
 * profile of the catalog serving products names a method of its product path among the top frames.
 */
class AdminErrorsAndProfileTest {

  private static final String TOKEN = "catalog-admin-test";

  @TempDir Path dataDir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theCatalogsFailuresAreGroupedAndAProfileUnderLoadNamesItsProductPath() throws Exception {
    try (CatalogServer server =
            CatalogServer.start(
                CatalogConfig.fromEnvironment(
                    Map.of(
                        "VIGIL_PORT", "0",
                        "VIGIL_DATA_DIR", dataDir.toString(),
                        "VIGIL_PAYMENTS_URL", "http://127.0.0.1:9",
                        "VIGIL_TELEMETRY", "metrics,tracing")),
                AdminConfig.loopback(0, TOKEN, "tester"),
                Map.of());
        CatalogClient client = new CatalogClient(server.port())) {
      List<String> traceIds = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> failed = client.get("/data/error");
        assertThat(failed.statusCode()).isEqualTo(500);
        traceIds.add(0, failed.headers().firstValue("X-Trace-Id").orElseThrow());
      }
      int admin = server.admin().port();

      JsonNode errors = new ObjectMapper().readTree(admin(admin, "GET", "/admin/errors").body());
      JsonNode group = errors.get("groups").get(0);
      assertThat(errors.get("groups")).hasSize(1);
      assertThat(group.get("type").asText())
          .isEqualTo(DataPipeline.PipelineFailure.class.getName());
      assertThat(group.get("count").asLong()).isEqualTo(2);
      assertThat(group.get("frames").get(0).asText())
          .isEqualTo(DataPipeline.class.getName() + "#fail");
      List<String> listed = new ArrayList<>();
      group.get("trace_ids").forEach(t -> listed.add(t.asText()));
      assertThat(listed).isEqualTo(traceIds);

      AtomicBoolean loading = new AtomicBoolean(true);
      List<Thread> load = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        load.add(
            Thread.ofPlatform()
                .daemon()
                .start(
                    () -> {
                      int i = 0;
                      while (loading.get()) {
                        try {
                          client.get("/api/products/" + (1 + i++ % 20));
                        } catch (Exception e) {
                          return;
                        }
                      }
                    }));
      }
      HttpResponse<String> profile;
      try {
        profile = admin(admin, "POST", "/admin/profile?seconds=5&settings=profile");
      } finally {
        loading.set(false);
        for (Thread t : load) {
          t.join(10_000);
        }
      }
      assertThat(profile.statusCode()).as(profile.body()).isEqualTo(200);
      String markdown = profile.body();
      int from = markdown.indexOf("## Top application frames");
      String topFrames = markdown.substring(from, markdown.indexOf("\n## ", from + 1));
      assertThat(topFrames)
          .as("a method of the catalog's product path among the top frames:\n" + markdown)
          .containsPattern("`dev\\.vigil\\.catalog\\.product\\.\\w+\\.\\w+`");
      assertThat(markdown).contains("/api/products/{id}");
      assertThat(profile.headers().firstValue("X-Profile-File").orElseThrow())
          .startsWith(dataDir.resolve("profiles").toString());
    }
  }

  private HttpResponse<String> admin(int port, String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + TOKEN)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(60))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
