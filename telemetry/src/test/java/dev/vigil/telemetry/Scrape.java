package dev.vigil.telemetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed Prometheus text exposition, for assertions on samples by name and labels. */
public record Scrape(List<Sample> samples) {

  private static final Pattern LINE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+).*$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  /** One sample line: metric name, labels and value. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  /** Parses the text format (version 0.0.4). */
  public static Scrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
    }
    return new Scrape(samples);
  }

  /**
   * The value of the sample with this name and exactly these labels, 0 when absent.
   *
   * @param name e.g. {@code http_requests_total}
   * @param labels alternating label names and values
   */
  public double value(String name, String... labels) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    return samples.stream()
        .filter(s -> s.name().equals(name) && s.labels().equals(wanted))
        .mapToDouble(Sample::value)
        .findFirst()
        .orElse(0);
  }

  /** Number of samples whose name starts with a prefix, e.g. {@code http_}. */
  public long seriesCount(String prefix) {
    return samples.stream().filter(s -> s.name().startsWith(prefix)).count();
  }

  /** Samples whose name starts with a prefix. */
  public List<Sample> series(String prefix) {
    return samples.stream().filter(s -> s.name().startsWith(prefix)).toList();
  }
}
