package dev.vigil.prometheus;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Prometheus server of its own on a free loopback port, over a TSDB directory that may hold
 * imported history: for tests, benchmarks and replays. It accepts remote write ({@code
 * --web.enable-remote-write-receiver}) with an out-of-order window of 31 days, so that history can
 * be written behind its head ({@code vigil slo backfill}).
 *
 * <p>Usage: {@code LocalPrometheus.importOpenMetrics(file, data); try (LocalPrometheus p =
 * LocalPrometheus.start(data, List.of(rules), log)) { p.client().value("up", now); }}
 */
public final class LocalPrometheus implements AutoCloseable {

  /** The out-of-order window: a 30-day period plus a day. */
  public static final String OUT_OF_ORDER_WINDOW = "31d";

  private final Process process;
  private final URI url;

  private LocalPrometheus(Process process, URI url) {
    this.process = process;
    this.url = url;
  }

  /**
   * Imports an OpenMetrics file (samples with timestamps, ending with {@code # EOF}) into a TSDB
   * directory with {@code promtool tsdb create-blocks-from openmetrics}, in blocks of up to 31 days
   * (promtool re-reads its input once per block range, so long ranges import in one pass).
   *
   * @param openMetrics the file
   * @param dataDir the TSDB directory, created when missing
   * @throws IOException when promtool fails (its output included) or cannot be run
   * @throws IllegalStateException when promtool is not on PATH
   */
  public static void importOpenMetrics(Path openMetrics, Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    PrometheusTool.Result result =
        PrometheusTool.PROMTOOL.run(
            3600,
            dataDir,
            "tsdb",
            "create-blocks-from",
            "openmetrics",
            "--max-block-duration=744h",
            openMetrics.toAbsolutePath().toString(),
            dataDir.toAbsolutePath().toString());
    if (!result.succeeded()) {
      throw new IOException(
          "promtool tsdb create-blocks-from openmetrics " + openMetrics + ":\n" + result.output());
    }
  }

  /**
   * Starts Prometheus and waits until it is ready (at most 60 s).
   *
   * @param dataDir the TSDB directory
   * @param ruleFiles rule files to load (absolute paths), may be empty
   * @param log where Prometheus writes its log
   * @return the running server; close it to stop it
   * @throws IOException when it cannot start or is not ready in time (its log included)
   * @throws IllegalStateException when prometheus is not on PATH
   */
  public static LocalPrometheus start(Path dataDir, List<Path> ruleFiles, Path log)
      throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    StringBuilder config =
        new StringBuilder("global:\n  evaluation_interval: 1m\nstorage:\n  tsdb:\n")
            .append("    out_of_order_time_window: ")
            .append(OUT_OF_ORDER_WINDOW)
            .append("\nrule_files:\n");
    ruleFiles.forEach(f -> config.append("  - ").append(f.toAbsolutePath()).append('\n'));
    if (ruleFiles.isEmpty()) {
      config.append("  []\n");
    }
    Path configFile =
        Files.writeString(
            dataDir.resolveSibling(dataDir.getFileName() + ".yml"), config.toString());
    List<String> command = new ArrayList<>();
    command.add(PrometheusTool.PROMETHEUS.require().toString());
    command.add("--config.file=" + configFile.toAbsolutePath());
    command.add("--storage.tsdb.path=" + dataDir.toAbsolutePath());
    command.add("--storage.tsdb.retention.time=400d");
    command.add("--web.listen-address=127.0.0.1:" + port);
    command.add("--web.enable-remote-write-receiver");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    LocalPrometheus prometheus =
        new LocalPrometheus(process, URI.create("http://127.0.0.1:" + port));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    for (int i = 0; i < 600; i++) {
      if (!process.isAlive()) {
        break;
      }
      try {
        if (http.send(
                    HttpRequest.newBuilder(prometheus.url.resolve("/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return prometheus;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    prometheus.close();
    throw new IOException(
        "Prometheus did not become ready on " + prometheus.url + ":\n" + Files.readString(log));
  }

  /**
   * @return the base URL, e.g. {@code http://127.0.0.1:41234}
   */
  public URI url() {
    return url;
  }

  /**
   * @return a client of its HTTP API
   */
  public PrometheusClient client() {
    return new PrometheusClient(url);
  }

  /**
   * @return a client of its remote-write receiver
   */
  public RemoteWriteClient writer() {
    return new RemoteWriteClient(url.resolve("/api/v1/write"));
  }

  /** Stops Prometheus and waits for it to exit. */
  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
