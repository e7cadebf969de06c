package dev.vigil.drills.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.prometheus.PromDuration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The alerting rules and timing of {@code deploy/} as the repository states them: every alert rule
 * of {@code deploy/prometheus/rules/} (static and generated), the global scrape and evaluation
 * intervals of {@code prometheus.yml}, and the Alertmanager waits per receiver of {@code
 * alertmanager.yml}. Drills derive their predicted detection times from it.
 */
public final class RuleBook {

  private static final YAMLMapper YAML = new YAMLMapper();

  /**
   * One alerting rule as written.
   *
   * @param name the alert name
   * @param forDuration its {@code for} ({@code 0s} when absent)
   * @param expr its expression
   * @param labels its static labels
   * @param file the rule file, relative to {@code deploy/}
   * @param groupInterval its group's own evaluation interval (the SLO groups' 1m, which no profile
   *     shortens), or null when the group follows the global one
   */
  public record AlertRule(
      String name,
      PromDuration forDuration,
      String expr,
      Map<String, String> labels,
      String file,
      PromDuration groupInterval) {}

  /**
   * The Alertmanager waits that apply to one receiver's route.
   *
   * @param groupWait wait before the first notification of a new group
   * @param groupInterval wait before a changed group (e.g. a resolved alert) is notified again
   */
  public record Waits(PromDuration groupWait, PromDuration groupInterval) {}

  private final List<AlertRule> rules;
  private final PromDuration scrapeInterval;
  private final PromDuration evaluationInterval;
  private final Map<String, Waits> waitsByReceiver;
  private final Waits defaultWaits;

  private RuleBook(
      List<AlertRule> rules,
      PromDuration scrapeInterval,
      PromDuration evaluationInterval,
      Map<String, Waits> waitsByReceiver,
      Waits defaultWaits) {
    this.rules = rules;
    this.scrapeInterval = scrapeInterval;
    this.evaluationInterval = evaluationInterval;
    this.waitsByReceiver = waitsByReceiver;
    this.defaultWaits = defaultWaits;
  }

  /**
   * Reads the rules and timing of a {@code deploy/} directory.
   *
   * @param deployDir the repository's {@code deploy/}
   * @return the rule book
   * @throws UncheckedIOException when a file cannot be read
   * @throws IllegalStateException when {@code deploy/prometheus/rules} is missing
   */
  public static RuleBook read(Path deployDir) {
    Path rulesDir = deployDir.resolve("prometheus").resolve("rules");
    if (!Files.isDirectory(rulesDir)) {
      throw new IllegalStateException(
          rulesDir + " is missing; run from the repository root or pass --deploy-dir");
    }
    List<AlertRule> rules = new ArrayList<>();
    try (Stream<Path> files = Files.walk(rulesDir)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        JsonNode root = YAML.readTree(file.toFile());
        if (root == null) {
          continue;
        }
        for (JsonNode group : root.path("groups")) {
          PromDuration groupInterval =
              group.has("interval") ? PromDuration.parse(group.get("interval").asText()) : null;
          for (JsonNode rule : group.path("rules")) {
            if (!rule.has("alert")) {
              continue;
            }
            Map<String, String> labels = new HashMap<>();
            rule.path("labels")
                .properties()
                .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            rules.add(
                new AlertRule(
                    rule.get("alert").asText(),
                    PromDuration.parse(rule.path("for").asText("0s")),
                    rule.path("expr").asText(),
                    Map.copyOf(labels),
                    deployDir.relativize(file).toString(),
                    groupInterval));
          }
        }
      }
      JsonNode global = YAML.readTree(deployDir.resolve("prometheus/prometheus.yml").toFile());
      PromDuration scrape =
          PromDuration.parse(global.path("global").path("scrape_interval").asText("1m"));
      PromDuration eval =
          PromDuration.parse(global.path("global").path("evaluation_interval").asText("1m"));
      JsonNode route =
          YAML.readTree(deployDir.resolve("alertmanager/alertmanager.yml").toFile()).path("route");
      Waits top =
          new Waits(
              PromDuration.parse(route.path("group_wait").asText("30s")),
              PromDuration.parse(route.path("group_interval").asText("5m")));
      Map<String, Waits> byReceiver = new HashMap<>();
      for (JsonNode child : route.path("routes")) {
        String receiver = child.path("receiver").asText(route.path("receiver").asText());
        byReceiver.putIfAbsent(
            receiver,
            new Waits(
                child.has("group_wait")
                    ? PromDuration.parse(child.get("group_wait").asText())
                    : top.groupWait(),
                child.has("group_interval")
                    ? PromDuration.parse(child.get("group_interval").asText())
                    : top.groupInterval()));
      }
      return new RuleBook(List.copyOf(rules), scrape, eval, Map.copyOf(byReceiver), top);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the rules under " + deployDir, e);
    }
  }

  /**
   * The rules an alert matcher can come from: same name, and no static label contradicting the
   * matcher's labels (labels the rule does not set come from the series and are not checked here).
   *
   * @param match the alert
   * @return the rules, empty when the repository has no such alert
   */
  public List<AlertRule> rulesOf(Drill.AlertMatch match) {
    return rules.stream()
        .filter(r -> r.name().equals(match.alert()))
        .filter(
            r ->
                match.labels().entrySet().stream()
                    .allMatch(
                        e ->
                            !r.labels().containsKey(e.getKey())
                                || r.labels().get(e.getKey()).equals(e.getValue())))
        .toList();
  }

  /**
   * The shortest {@code for} among the rules of an alert: the first of them to fire bounds the
   * detection time.
   *
   * @param match the alert
   * @return the {@code for} as written, or empty when no rule matches
   */
  public Optional<PromDuration> forOf(Drill.AlertMatch match) {
    return rulesOf(match).stream().map(AlertRule::forDuration).min(PromDuration::compareTo);
  }

  /**
   * The longest own group interval among the rules of an alert (the latest any of them may be
   * evaluated after its condition holds).
   *
   * @param match the alert
   * @return e.g. {@code 1m} for the SLO alerts; empty when the rules follow the global interval
   */
  public Optional<PromDuration> groupIntervalOf(Drill.AlertMatch match) {
    return rulesOf(match).stream()
        .map(AlertRule::groupInterval)
        .filter(java.util.Objects::nonNull)
        .max(PromDuration::compareTo);
  }

  /**
   * The longest own group interval of any rule (the SLO groups': the budget series are recorded at
   * that pace).
   *
   * @return e.g. {@code 1m}; empty when every group follows the global interval
   */
  public Optional<PromDuration> longestGroupInterval() {
    return rules.stream()
        .map(AlertRule::groupInterval)
        .filter(java.util.Objects::nonNull)
        .max(PromDuration::compareTo);
  }

  /**
   * The scrape interval of {@code prometheus.yml}'s global section.
   *
   * @return e.g. {@code 15s}
   */
  public PromDuration scrapeInterval() {
    return scrapeInterval;
  }

  /**
   * The rule evaluation interval of {@code prometheus.yml}'s global section.
   *
   * @return e.g. {@code 15s}
   */
  public PromDuration evaluationInterval() {
    return evaluationInterval;
  }

  /**
   * The Alertmanager waits of the first route that sends to a receiver (the top route's waits when
   * no child route names it).
   *
   * @param receiver e.g. {@code pager}
   * @return its waits
   */
  public Waits waits(String receiver) {
    return waitsByReceiver.getOrDefault(receiver, defaultWaits);
  }
}
