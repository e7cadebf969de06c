package dev.vigil.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.prometheus.PromDuration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * When vmalert evaluates each rule group, and which rules it evaluates together: the rule files of
 * the ha topology rearranged so that vmalert raises an alert as soon after the data as Prometheus.
 *
 * <p>Two things make vmalert 1.79 later than Prometheus on the same rules (docs/scaling.md,
 * "Chained recordings"):
 *
 * <ul>
 *   <li><b>Its query time lags its evaluation.</b> vmalert queries at the evaluation time truncated
 *       to the group's interval ({@code -datasource.queryTimeAlignment}, which the two replicas
 *       need so that their recordings carry the same timestamps and VictoriaMetrics keeps one), and
 *       it starts each group at a fixed phase within its interval: interval x FNV-1a-64(file path,
 *       0xff, group name, "prometheus") / 2<sup>64</sup> (vmalert 1.79's {@code Group.ID} and its
 *       start-up sleep; checked against the phases vmalert 1.79.5 chose). A 1m group whose phase is
 *       50 s reads data 50 s old.
 *   <li><b>It reads a recording back from the store.</b> Prometheus evaluates a group's rules in
 *       turn at one timestamp, each reading the samples recorded just before it; vmalert's next
 *       rule reads a recording only once it has been remote-written and is searchable, so at the
 *       group's next evaluation, an interval later per level of recordings.
 * </ul>
 *
 * So each group is split into <b>stages</b> by dependency (a rule is one stage after the latest
 * rule of its group whose recording it reads; stage 0 reads none), each stage a group of the same
 * name (vmalert's {@code alertgroup} label unchanged) in a file of its own, and each file named so
 * that its group starts {@link #LEAD} after the interval's boundary plus {@link #HOP} per stage:
 * the scrape before the boundary has arrived, and each stage's recordings are searchable before the
 * next stage reads them, at the same aligned time. A group with more stages than fit {@link #HOP}
 * apart gets them closer, down to {@link #MIN_HOP}; one with still more is written whole, started
 * at {@link #LEAD}; one whose interval is too short even for that (the 1 s test profiles) is
 * written whole and its phase left to chance, as before.
 */
public final class VmalertSchedule {

  /**
   * After an interval's boundary, when a group's first stage starts: the last scrape has landed.
   */
  public static final double LEAD = 3.0;

  /**
   * Between one stage and the next: vmalert's remote-write flush (1 s, {@code
   * -remoteWrite.flushInterval}) and VictoriaMetrics making the sample searchable (about 0.6 s
   * measured), twice over.
   */
  public static final double HOP = 4.0;

  /**
   * The shortest step between stages: a group with more stages than {@link #HOP} apart fit in its
   * interval gets them closer together, down to this, or is written whole.
   */
  public static final double MIN_HOP = 2.5;

  /** How close to its target a group's phase is placed, seconds either way. */
  static final double TOLERANCE = 0.25;

  /**
   * Where compose-ha and k8s-ha mount {@code deploy/vmalert/rules/} in their vmalert containers:
   * the phases of its files hold for vmalert reading them there ({@code -rule=<this>/*.yml}).
   */
  public static final Path DEPLOY_MOUNT = Path.of("/etc/vmalert/rules");

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private VmalertSchedule() {}

  /**
   * One rendered file for vmalert.
   *
   * @param name the file name, e.g. {@code generated-catalog-g0-s1-57.yml}
   * @param content the rule file: {@code groups:} with one group
   * @param group the group's name
   * @param stage the stage, 0 for the rules that read no recording of their own group
   * @param targetPhase when the group should start within its interval, seconds, or NaN when left
   *     to chance
   */
  public record RuleFile(
      String name, ObjectNode content, String group, int stage, double targetPhase) {}

  /**
   * The phase vmalert 1.79 starts a group at within its interval.
   *
   * @param file the rule file's path as vmalert matched it (absolute when the {@code -rule} glob
   *     is)
   * @param group the group's name
   * @param intervalSeconds the group's interval, seconds
   * @return seconds after each multiple of the interval (Unix time), 0 <= phase < interval
   */
  public static double phaseSeconds(String file, String group, double intervalSeconds) {
    long h = FNV_OFFSET;
    for (byte[] part :
        new byte[][] {
          file.getBytes(StandardCharsets.UTF_8),
          {(byte) 0xff},
          group.getBytes(StandardCharsets.UTF_8),
          "prometheus".getBytes(StandardCharsets.UTF_8)
        }) {
      for (byte b : part) {
        h ^= b & 0xff;
        h *= FNV_PRIME;
      }
    }
    // the unsigned 64-bit hash as a fraction of 2^64
    double fraction = ((h >>> 11) * 0x1.0p-53);
    return intervalSeconds * fraction;
  }

  /**
   * Splits a group's rules into stages by dependency: a rule that reads a series recorded by an
   * earlier rule of the same group is one stage after the latest such rule. Order within a stage is
   * the group's.
   *
   * @param rules the group's {@code rules}, each with {@code record} or {@code alert} and {@code
   *     expr}
   * @return the stages, from 0; every rule in exactly one
   */
  public static List<List<JsonNode>> stages(JsonNode rules) {
    Map<String, Integer> recordedAt = new HashMap<>();
    List<List<JsonNode>> stages = new ArrayList<>();
    for (JsonNode rule : rules) {
      String expr = rule.path("expr").asText();
      int stage = 0;
      for (Map.Entry<String, Integer> e : recordedAt.entrySet()) {
        if (e.getValue() + 1 > stage && reads(expr, e.getKey())) {
          stage = e.getValue() + 1;
        }
      }
      while (stages.size() <= stage) {
        stages.add(new ArrayList<>());
      }
      stages.get(stage).add(rule);
      if (rule.has("record")) {
        recordedAt.merge(rule.get("record").asText(), stage, Math::max);
      }
    }
    return stages;
  }

  /** Whether PromQL names a series: the name not part of a longer metric name. */
  private static boolean reads(String expr, String series) {
    return Pattern.compile("(?<![A-Za-z0-9_:])" + Pattern.quote(series) + "(?![A-Za-z0-9_:])")
        .matcher(expr)
        .find();
  }

  /**
   * The files vmalert reads for one rule file: each group split into stages, each stage in a file
   * named to start it at {@link #LEAD} + {@link #HOP} x stage after its interval's boundary (closer
   * or whole when they do not fit: see the class).
   *
   * @param dir the directory the files will be written to (their names set the phase)
   * @param stem a prefix for the files' names, e.g. {@code generated-catalog}
   * @param ruleFile the rule file's content ({@code groups:})
   * @param defaultIntervalSeconds the interval of a group without its own ({@code
   *     -evaluationInterval}), seconds
   * @return the files, in group and stage order
   */
  public static List<RuleFile> plan(
      Path dir, String stem, JsonNode ruleFile, double defaultIntervalSeconds) {
    List<RuleFile> out = new ArrayList<>();
    int index = 0;
    for (JsonNode group : ruleFile.path("groups")) {
      String name = group.path("name").asText();
      double interval =
          group.hasNonNull("interval")
              ? PromDuration.parse(group.get("interval").asText()).seconds()
              : defaultIntervalSeconds;
      List<List<JsonNode>> stages = stages(group.path("rules"));
      double hop = Math.min(HOP, (interval - LEAD) / stages.size());
      // started on time: in stages, or whole when they do not fit; or left to chance when the
      // interval has no room even for that
      boolean fits = true;
      if (hop < MIN_HOP) {
        stages = List.of(list(group.path("rules")));
        hop = 0;
        fits = LEAD + MIN_HOP <= interval;
      }
      for (int s = 0; s < stages.size(); s++) {
        ObjectNode copy = ((ObjectNode) group).deepCopy();
        ArrayNode rules = copy.putArray("rules");
        stages.get(s).forEach(r -> rules.add(r.deepCopy()));
        ObjectNode content = JsonNodeFactory.instance.objectNode();
        content.putArray("groups").add(copy);
        String base = stem + "-g" + index + "-s" + s;
        if (!fits) {
          out.add(new RuleFile(base + ".yml", content, name, s, Double.NaN));
          continue;
        }
        double target = LEAD + hop * s;
        String file = null;
        for (int salt = 0; file == null; salt++) {
          String candidate = base + "-" + salt + ".yml";
          double phase = phaseSeconds(dir.resolve(candidate).toString(), name, interval);
          if (Math.abs(phase - target) <= TOLERANCE) {
            file = candidate;
          }
        }
        out.add(new RuleFile(file, content, name, s, target));
      }
      index++;
    }
    return out;
  }

  /**
   * vmalert's rule files for a directory of Prometheus rule files ({@code *.yml}, in subdirectories
   * too): every file planned ({@link #plan}), each named by its path with {@code /} as {@code -},
   * each with a header naming its origin, group, stage and phase.
   *
   * @param rules the directory of Prometheus rule files, e.g. deploy/prometheus/rules
   * @param mount where vmalert will read the returned files from (their path sets the phase)
   * @param defaultIntervalSeconds the interval of a group without its own, seconds
   * @param origin what the header names as the files' origin, e.g. {@code deploy/prometheus/rules/}
   * @param regenerate what the header tells a reader to run instead of editing, e.g. {@code ./vigil
   *     regenerate}
   * @return file name to YAML text, in the order of the source files and their groups
   * @throws IllegalStateException when a rule file is not YAML
   * @throws UncheckedIOException when the directory cannot be read
   */
  public static Map<String, String> render(
      Path rules, Path mount, double defaultIntervalSeconds, String origin, String regenerate) {
    Map<String, String> out = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.isDirectory(rules) ? Files.walk(rules) : Stream.empty()) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + rules + ": " + e.getMessage(), e);
    }
    for (Path file : files) {
      String relative = rules.relativize(file).toString().replace('\\', '/');
      JsonNode content;
      try {
        content = ConfigRenderer.YAML.readTree(file.toFile());
      } catch (IOException e) {
        throw new IllegalStateException(file + " is not valid YAML: " + e.getMessage(), e);
      }
      if (content == null || content.isMissingNode()) {
        continue;
      }
      String stem = relative.replaceAll("\\.ya?ml$", "").replace('/', '-');
      for (RuleFile f : plan(mount, stem, content, defaultIntervalSeconds)) {
        String header =
            "# vmalert's copy of "
                + origin
                + relative
                + ": group "
                + f.group()
                + ", stage "
                + f.stage()
                + (Double.isNaN(f.targetPhase())
                    ? ""
                    : ", starting "
                        + f.targetPhase()
                        + " s into each interval when read from "
                        + mount)
                + " (VmalertSchedule).\n# Do not edit: edit the original and run "
                + regenerate
                + ".\n";
        try {
          out.put(f.name(), header + ConfigRenderer.YAML.writeValueAsString(f.content()));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("cannot write " + f.name() + ": " + e.getMessage(), e);
        }
      }
    }
    return out;
  }

  private static List<JsonNode> list(JsonNode rules) {
    List<JsonNode> out = new ArrayList<>();
    rules.forEach(out::add);
    return out;
  }
}
