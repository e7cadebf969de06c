package dev.vigil.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.vigil.prometheus.PromDuration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Renders the configs under {@code deploy/} into the state directory for one {@link StackProfile}:
 * the default loopback ports ({@link StackPorts#defaults()}) are replaced by the profile's ports
 * (in prometheus.yml, target files and alertmanager.yml; never in rules), and a shortened profile
 * changes intervals, rule {@code for} durations and Alertmanager waits. Rule expressions, labels
 * and annotations are copied unchanged.
 *
 * <p>Layout of the output: {@code config/prometheus/prometheus.yml} with {@code rules/**} and
 * {@code targets/**} beside it (so the relative {@code rule_files} and {@code file_sd_configs}
 * paths still resolve), and {@code config/alertmanager/alertmanager.yml}.
 */
public final class ConfigRenderer {

  private static final Pattern LOOPBACK_ADDRESS =
      Pattern.compile("(127\\.0\\.0\\.1|localhost):(\\d{2,5})\\b");
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
              .build());

  private final Path deployDir;
  private final StackProfile profile;
  private final Path outputDir;

  /**
   * Prepares a rendering.
   *
   * @param deployDir the repository's {@code deploy/} directory
   * @param profile ports and timing to render for
   * @param outputDir where to write, normally {@code .vigil/config}
   */
  public ConfigRenderer(Path deployDir, StackProfile profile, Path outputDir) {
    this.deployDir = deployDir;
    this.profile = profile;
    this.outputDir = outputDir;
  }

  /**
   * The repository's {@code deploy/} directory this renders from.
   *
   * @return the path given to the constructor
   */
  public Path deployDir() {
    return deployDir;
  }

  /**
   * The rendered Prometheus config path.
   *
   * @return {@code <output>/prometheus/prometheus.yml}
   */
  public Path prometheusConfig() {
    return outputDir.resolve("prometheus").resolve("prometheus.yml");
  }

  /**
   * The rendered Alertmanager config path.
   *
   * @return {@code <output>/alertmanager/alertmanager.yml}
   */
  public Path alertmanagerConfig() {
    return outputDir.resolve("alertmanager").resolve("alertmanager.yml");
  }

  /**
   * The blackbox exporter config, used as it is: {@code deploy/blackbox/blackbox.yml}.
   *
   * @return the blackbox config path
   */
  public Path blackboxConfig() {
    return deployDir.resolve("blackbox").resolve("blackbox.yml");
  }

  /**
   * Renders the Prometheus config with its rules and target files.
   *
   * @throws IllegalStateException when {@code deploy/prometheus/prometheus.yml} is missing or not
   *     YAML
   * @throws UncheckedIOException when a file cannot be read or written
   */
  public void renderPrometheus() {
    Path source = deployDir.resolve("prometheus");
    ObjectNode config = readObject(source.resolve("prometheus.yml"));
    deleteRecursively(prometheusConfig().getParent());
    rewritePorts(config);
    if (profile.scrapeIntervalSeconds() > 0 || profile.evaluationIntervalSeconds() > 0) {
      ObjectNode global =
          config.has("global") ? (ObjectNode) config.get("global") : config.putObject("global");
      if (profile.scrapeIntervalSeconds() > 0) {
        String interval = PromDuration.ofSeconds(profile.scrapeIntervalSeconds()).toString();
        global.put("scrape_interval", interval);
        global.put("scrape_timeout", interval);
        for (JsonNode job : config.path("scrape_configs")) {
          ((ObjectNode) job).remove(List.of("scrape_interval", "scrape_timeout"));
        }
      }
      if (profile.evaluationIntervalSeconds() > 0) {
        global.put(
            "evaluation_interval",
            PromDuration.ofSeconds(profile.evaluationIntervalSeconds()).toString());
      }
    }
    Path target = prometheusConfig();
    write(target, config, "deploy/prometheus/prometheus.yml");
    for (String dir : List.of("rules", "targets")) {
      for (Path file : yamlFilesUnder(source.resolve(dir))) {
        Path relative = source.relativize(file);
        JsonNode content = readTree(file, YAML);
        if (content == null || content.isMissingNode()) {
          continue;
        }
        if (dir.equals("rules")) {
          shortenRules(content);
        } else {
          rewritePorts(content);
        }
        write(
            target.getParent().resolve(relative.toString()),
            content,
            "deploy/prometheus/" + relative);
      }
    }
  }

  /**
   * Renders the Alertmanager config: ports of webhook URLs and, for a shortened profile, the waits
   * of every route. Relative {@code templates} paths are made absolute against {@code
   * deploy/alertmanager/}.
   *
   * @throws IllegalStateException when {@code deploy/alertmanager/alertmanager.yml} is missing or
   *     not YAML
   * @throws UncheckedIOException when a file cannot be read or written
   */
  public void renderAlertmanager() {
    Path source = deployDir.resolve("alertmanager");
    ObjectNode config = readObject(source.resolve("alertmanager.yml"));
    rewritePorts(config);
    if (config.has("templates")) {
      ArrayNode absolute = YAML.createArrayNode();
      for (JsonNode t : config.get("templates")) {
        absolute.add(source.resolve(t.asText()).toAbsolutePath().normalize().toString());
      }
      config.set("templates", absolute);
    }
    int wait = profile.alertmanagerWaitSeconds();
    if (wait > 0) {
      ObjectNode global =
          config.has("global") ? (ObjectNode) config.get("global") : config.putObject("global");
      global.put("resolve_timeout", PromDuration.ofSeconds(30L * wait).toString());
      if (config.get("route") instanceof ObjectNode root) {
        root.put("group_wait", PromDuration.ofSeconds(wait).toString());
        root.put("group_interval", PromDuration.ofSeconds(wait).toString());
        root.put("repeat_interval", PromDuration.ofSeconds(10L * wait).toString());
        shortenRouteOverrides(root, wait);
      }
    }
    write(alertmanagerConfig(), config, "deploy/alertmanager/alertmanager.yml");
  }

  private static void shortenRouteOverrides(ObjectNode route, int wait) {
    for (JsonNode child : route.path("routes")) {
      if (child instanceof ObjectNode c) {
        if (c.has("group_wait")) {
          c.put("group_wait", PromDuration.ofSeconds(wait).toString());
        }
        if (c.has("group_interval")) {
          c.put("group_interval", PromDuration.ofSeconds(wait).toString());
        }
        if (c.has("repeat_interval")) {
          c.put("repeat_interval", PromDuration.ofSeconds(10L * wait).toString());
        }
        shortenRouteOverrides(c, wait);
      }
    }
  }

  private void shortenRules(JsonNode ruleFile) {
    for (JsonNode group : ruleFile.path("groups")) {
      ObjectNode g = (ObjectNode) group;
      if (profile.evaluationIntervalSeconds() > 0 && g.has("interval")) {
        g.put("interval", PromDuration.ofSeconds(profile.evaluationIntervalSeconds()).toString());
      }
      if (profile.forDivisor() > 1) {
        for (JsonNode rule : g.path("rules")) {
          if (rule.has("for")) {
            ((ObjectNode) rule)
                .put(
                    "for",
                    PromDuration.parse(rule.get("for").asText())
                        .shorten(profile.forDivisor(), profile.forFloorSeconds())
                        .toString());
          }
        }
      }
    }
  }

  /** Replaces every 127.0.0.1:<default port> (and localhost:...) in every string of the tree. */
  private void rewritePorts(JsonNode node) {
    Map<Integer, Integer> ports = profile.ports().fromDefaults();
    if (node instanceof ObjectNode object) {
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        if (e.getValue().isTextual()) {
          e.setValue(TextNode.valueOf(rewrite(e.getValue().asText(), ports)));
        } else {
          rewritePorts(e.getValue());
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        if (array.get(i).isTextual()) {
          array.set(i, TextNode.valueOf(rewrite(array.get(i).asText(), ports)));
        } else {
          rewritePorts(array.get(i));
        }
      }
    }
  }

  private static String rewrite(String text, Map<Integer, Integer> ports) {
    Matcher m = LOOPBACK_ADDRESS.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      int port = Integer.parseInt(m.group(2));
      m.appendReplacement(
          out, Matcher.quoteReplacement(m.group(1) + ":" + ports.getOrDefault(port, port)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static ObjectNode readObject(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          file
              + " does not exist: run vigil from the repository root, or pass --deploy-dir <repo>/deploy");
    }
    JsonNode node = readTree(file, YAML);
    if (!(node instanceof ObjectNode object)) {
      throw new IllegalStateException(
          file + " is not a YAML mapping; check it with promtool/amtool check");
    }
    return object;
  }

  private static JsonNode readTree(Path file, ObjectMapper mapper) {
    try {
      return mapper.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalStateException(file + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  private static List<Path> yamlFilesUnder(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes an earlier rendering, so that a rule file deleted from deploy/ is not loaded any more.
   */
  private static void deleteRecursively(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + dir + ": " + e.getMessage(), e);
    }
  }

  private void write(Path target, JsonNode content, String origin) {
    try {
      Files.createDirectories(target.getParent());
      String header =
          "# Rendered by vigil from "
              + origin
              + " for profile '"
              + profile.name()
              + "'. Do not edit: edit the original and run ./vigil up again.\n";
      Files.writeString(target, header + YAML.writeValueAsString(content));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }
}
