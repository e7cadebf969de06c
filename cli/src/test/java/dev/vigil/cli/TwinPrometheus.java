package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.prometheus.PrometheusTool;
import dev.vigil.stack.ConfigRenderer;
import dev.vigil.stack.LocalStack;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A Prometheus server beside an ha stack, for the parity of the two rule engines: it scrapes the
 * targets the stack's vmagent shards scrape (their rendered {@code scrape.yml}, every shard's
 * share) at the same interval and evaluates the same rendered rule files at the profile's
 * evaluation interval, on a TSDB of its own, notifying no Alertmanager.
 */
final class TwinPrometheus implements AutoCloseable {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Process process;
  private final URI url;
  private final Path log;

  private TwinPrometheus(Process process, URI url, Path log) {
    this.process = process;
    this.url = url;
    this.log = log;
  }

  /**
   * Starts the twin and waits until it answers {@code /-/ready}.
   *
   * @param stack a running stack of the ha topology (its configs rendered)
   * @param deployDir the repository's {@code deploy/}
   * @param dir where its config, TSDB and log go (created)
   * @return the running twin; close it to stop it
   * @throws IOException when a file cannot be written or the process cannot start
   * @throws IllegalStateException when Prometheus is not ready within 60 s (its log's tail says
   *     why)
   */
  static TwinPrometheus start(LocalStack stack, Path deployDir, Path dir) throws IOException {
    ConfigRenderer rendered =
        new ConfigRenderer(deployDir, stack.profile(), stack.layout().configDir());
    JsonNode scrape = YAML.readTree(rendered.scrapeConfig().toFile());
    ObjectNode config = YAML.createObjectNode();
    ObjectNode global = config.putObject("global");
    global.setAll((ObjectNode) scrape.path("global"));
    global.put("evaluation_interval", stack.profile().evaluationIntervalSeconds() + "s");
    Path rules = rendered.prometheusConfig().resolveSibling("rules");
    config
        .putArray("rule_files")
        .add(rules.resolve("*.yml").toString())
        .add(rules.resolve("generated").resolve("*.yml").toString());
    config.set("scrape_configs", scrape.path("scrape_configs"));
    // beside scrape.yml, so that its relative file_sd paths resolve as they do for vmagent
    Path file = rendered.scrapeConfig().resolveSibling("twin-prometheus.yml");
    YAML.writeValue(file.toFile(), config);
    Files.createDirectories(dir);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + port);
    Path log = dir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                PrometheusTool.PROMETHEUS.require().toString(),
                "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    TwinPrometheus twin = new TwinPrometheus(process, url, log);
    twin.await(
        Duration.ofSeconds(60),
        "ready",
        () -> {
          try {
            new PrometheusClient(url).targets();
            return true;
          } catch (IOException notYet) {
            return false;
          }
        });
    return twin;
  }

  /**
   * The twin's HTTP API.
   *
   * @return e.g. {@code http://127.0.0.1:41234}
   */
  URI url() {
    return url;
  }

  /**
   * Waits until every target the twin scrapes is up, so that both engines start from the same
   * targets.
   *
   * @param timeout how long to wait
   * @throws IllegalStateException when a target is still not up after the timeout
   */
  void awaitScraped(Duration timeout) {
    PrometheusClient client = new PrometheusClient(url);
    await(
        timeout,
        "every target up",
        () -> {
          try {
            List<PrometheusClient.Target> targets = client.targets();
            return !targets.isEmpty() && targets.stream().allMatch(t -> t.health().equals("up"));
          } catch (IOException notYet) {
            return false;
          }
        });
  }

  private void await(Duration timeout, String what, java.util.function.BooleanSupplier done) {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the twin Prometheus exited:\n" + tail());
      }
      if (done.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for the twin Prometheus", e);
      }
    }
    throw new IllegalStateException(
        "the twin Prometheus not " + what + " after " + timeout + ":\n" + tail());
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Stops the twin (SIGTERM, then SIGKILL after 10 s). */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
