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
import java.util.ArrayList;
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

  /** Reads and writes the rendered YAML files (block style, quotes only where needed). */
  static final ObjectMapper YAML =
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
   * The scrape config of the ha topology's vmagent shards, beside prometheus.yml so that its
   * relative {@code file_sd_configs} paths resolve.
   *
   * @return {@code <output>/prometheus/scrape.yml}
   */
  public Path scrapeConfig() {
    return prometheusConfig().resolveSibling("scrape.yml");
  }

  /**
   * The scrape config VictoriaMetrics runs itself in the ha topology: the scrapers and the rule
   * evaluators, so that a dead scraper shows as {@code up == 0}.
   *
   * @return {@code <output>/victoria-metrics/scrape.yml}
   */
  public Path victoriaMetricsScrapeConfig() {
    return outputDir.resolve("victoria-metrics").resolve("scrape.yml");
  }

  /**
   * The rule files vmalert reads in the ha topology ({@link #renderHa()}): the rendered Prometheus
   * rules, each group split into stages and each stage placed in time ({@link VmalertSchedule}).
   *
   * @return {@code <output>/vmalert/rules}
   */
  public Path vmalertRules() {
    return outputDir.resolve("vmalert").resolve("rules");
  }

  /**
   * The rendered HAProxy config of the ha topology.
   *
   * @return {@code <output>/haproxy/haproxy.cfg}
   */
  public Path haproxyConfig() {
    return outputDir.resolve("haproxy").resolve("haproxy.cfg");
  }

  /**
   * The rule evaluation interval of deploy/prometheus/prometheus.yml.
   *
   * @return {@code global.evaluation_interval} in seconds, or Prometheus' default of 60
   * @throws IllegalStateException when prometheus.yml is missing or not YAML
   */
  public int evaluationIntervalSeconds() {
    JsonNode interval =
        readObject(deployDir.resolve("prometheus").resolve("prometheus.yml"))
            .path("global")
            .path("evaluation_interval");
    return interval.isTextual() ? (int) PromDuration.parse(interval.asText()).seconds() : 60;
  }

  /**
   * Renders the configs only the ha topology reads, after {@link #renderPrometheus()}: the vmagent
   * scrape config (prometheus.yml's scrape timing and {@code scrape_configs}, the catalog job
   * pointed at each replica instead of HAProxy, the Alertmanager job at each Alertmanager, no
   * {@code prometheus} job), VictoriaMetrics' own scrape config (every vmagent and vmalert) and
   * HAProxy's (the catalog replicas, health-checked on {@code /readyz} every second, down after 2
   * failed checks; its statistics at {@code /haproxy/stats}) and vmalert's rule files ({@link
   * #vmalertRules()}).
   *
   * @throws IllegalStateException when the profile is not of the ha topology, or the rendered
   *     prometheus.yml is missing
   * @throws UncheckedIOException when a file cannot be written
   */
  public void renderHa() {
    if (profile.topology() != StackTopology.HA) {
      throw new IllegalStateException("profile '" + profile.name() + "' is not of the ha topology");
    }
    List<String> catalogs = addresses(Component.CATALOG);
    ObjectNode rendered = readObject(prometheusConfig());
    ObjectNode scrape = YAML.createObjectNode();
    ObjectNode global = scrape.putObject("global");
    for (String field : List.of("scrape_interval", "scrape_timeout")) {
      if (rendered.path("global").has(field)) {
        global.set(field, rendered.path("global").get(field));
      }
    }
    ArrayNode jobs = scrape.putArray("scrape_configs");
    for (JsonNode job : rendered.path("scrape_configs")) {
      String name = job.path("job_name").asText();
      if (name.equals("prometheus")) {
        continue;
      }
      ObjectNode copy = job.deepCopy();
      if (name.equals("catalog")) {
        retarget(copy, catalogs);
      } else if (name.equals("alertmanager")) {
        retarget(copy, addresses(Component.ALERTMANAGER));
      }
      jobs.add(copy);
    }
    write(
        scrapeConfig(),
        scrape,
        "deploy/prometheus/prometheus.yml (its scrape_configs, for vmagent)");

    ObjectNode own = YAML.createObjectNode();
    own.set("global", global.deepCopy());
    ArrayNode ownJobs = own.putArray("scrape_configs");
    for (Component c : List.of(Component.VMAGENT, Component.VMALERT)) {
      ObjectNode job = ownJobs.addObject();
      job.put("job_name", c.id());
      ArrayNode targets = job.putArray("static_configs").addObject().putArray("targets");
      addresses(c).forEach(targets::add);
    }
    write(victoriaMetricsScrapeConfig(), own, "the ha topology (its scrapers and rule evaluators)");
    renderVmalertRules();

    StringBuilder cfg = new StringBuilder();
    cfg.append(
        """
        # Rendered by vigil for profile '%s'. Do not edit: run ./vigil up --profile ha again.
        global
          maxconn 4096
        defaults
          mode http
          timeout connect 1s
          timeout client 60s
          timeout server 60s
          timeout check 1s
          # a connection refused by a dead replica is retried once on the other one; a request a
          # replica received is never sent twice (retry-on keeps its default, conn-failure)
          retries 1
          option redispatch
        frontend catalog
          bind %s:%d
          stats enable
          stats uri /haproxy/stats
          default_backend catalog
        backend catalog
          balance roundrobin
          option httpchk GET /readyz
          http-check expect status 200
          default-server inter 1s fall 2 rise 2
        """
            .formatted(profile.name(), LaunchPlan.HOST, profile.ports().catalog()));
    for (int i = 0; i < catalogs.size(); i++) {
      cfg.append("  server catalog-").append(i + 1).append(' ').append(catalogs.get(i));
      cfg.append(" check\n");
    }
    try {
      Files.createDirectories(haproxyConfig().getParent());
      Files.writeString(haproxyConfig(), cfg.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + haproxyConfig() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@link #vmalertRules()} from the rendered Prometheus rules: every group in stages, every
   * stage in a file of its own whose name starts it on time ({@link VmalertSchedule#plan}).
   */
  private void renderVmalertRules() {
    Path target = vmalertRules().toAbsolutePath();
    deleteRecursively(target);
    double interval =
        profile.evaluationIntervalSeconds() > 0
            ? profile.evaluationIntervalSeconds()
            : evaluationIntervalSeconds();
    Map<String, String> files =
        VmalertSchedule.render(
            prometheusConfig().getParent().resolve("rules"),
            target,
            interval,
            "deploy/prometheus/rules/",
            "./vigil up --profile " + profile.name());
    try {
      Files.createDirectories(target);
      for (Map.Entry<String, String> f : files.entrySet()) {
        Files.writeString(target.resolve(f.getKey()), f.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /** The loopback addresses of every replica of a component under the profile. */
  private List<String> addresses(Component c) {
    int count = profile.topology().replicas(c);
    List<String> out = new ArrayList<>();
    for (int n = 1; n <= count; n++) {
      out.add(LaunchPlan.HOST + ":" + profile.ports().of(new Replica(c, n, count)));
    }
    return out;
  }

  /** Points every static target group of a job at the given addresses (its labels kept). */
  private static void retarget(ObjectNode job, List<String> addresses) {
    for (JsonNode group : job.path("static_configs")) {
      ArrayNode targets = ((ObjectNode) group).putArray("targets");
      addresses.forEach(targets::add);
    }
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
