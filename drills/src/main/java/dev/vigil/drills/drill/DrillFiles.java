package dev.vigil.drills.drill;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.prometheus.PromDuration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads drill files ({@code drills/NAME.yaml}) strictly with Jackson YAML: unknown keys, duplicate
 * keys, missing required keys and wrong types are refused with {@code file:line:col}, the field and
 * the fix; then the values are checked (durations, rates, exactly one fault kind, the name equal to
 * the file name).
 */
public final class DrillFiles {

  /** Largest drill file read, in bytes. */
  public static final long MAX_BYTES = 100_000;

  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .addModule(
              new SimpleModule("prometheus-durations")
                  .addDeserializer(PromDuration.class, new DurationReader()))
          .build();

  /**
   * Reads a YAML scalar as a {@link PromDuration}, once, when the file is read: everything
   * downstream (the runner, the timing, the admin API's ttl) uses the typed duration. A scalar that
   * is not a duration is refused with the text and the grammar.
   */
  private static final class DurationReader extends StdScalarDeserializer<PromDuration> {
    DurationReader() {
      super(PromDuration.class);
    }

    @Override
    public PromDuration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (!p.currentToken().isScalarValue()) {
        return (PromDuration) ctxt.handleUnexpectedToken(PromDuration.class, p);
      }
      String text = p.getText();
      try {
        return PromDuration.parse(text);
      } catch (IllegalArgumentException e) {
        throw InvalidFormatException.from(
            p,
            "'" + text + "' is not a duration; write e.g. 30s, 5m (" + e.getMessage() + ")",
            text,
            PromDuration.class);
      }
    }
  }

  private static final Set<String> SERVICES = Set.of("catalog", "payments");

  private final Path dir;

  /**
   * The drill files of one directory.
   *
   * @param dir e.g. {@code drills/}
   */
  public DrillFiles(Path dir) {
    this.dir = dir;
  }

  /**
   * The names of every drill file, sorted.
   *
   * @return e.g. {@code [client-error-flood, service-down, watchdog]}
   * @throws DrillFileException when the directory is missing or unreadable
   */
  public List<String> names() {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length()))
          .sorted()
          .toList();
    } catch (NoSuchFileException e) {
      throw new DrillFileException(
          "drill directory " + dir + " is missing; run from the repository root or pass --drills");
    } catch (IOException e) {
      throw new DrillFileException("cannot list " + dir + ": " + e.getMessage());
    }
  }

  /**
   * Reads the drill of a name.
   *
   * @param name e.g. {@code server-error-burst}
   * @return the drill, checked
   * @throws DrillFileException naming the file, line, column, field and fix when the drill is
   *     unknown or invalid
   */
  public Drill read(String name) {
    Path file = dir.resolve(name + ".yaml");
    if (!name.matches("[a-z0-9][a-z0-9-]*") || !Files.isRegularFile(file)) {
      throw new DrillFileException(
          "no drill named '"
              + name
              + "' in "
              + dir
              + "; known drills: "
              + String.join(", ", names())
              + " (vigil drill list)");
    }
    return read(file);
  }

  /**
   * Reads and checks one drill file.
   *
   * @param file the file
   * @return the drill
   * @throws DrillFileException with {@code file:line:col}, the field and the fix
   */
  public static Drill read(Path file) {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new DrillFileException(
            file + ": larger than " + MAX_BYTES + " bytes; a drill file is a page of YAML");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new DrillFileException(file + ": missing");
    } catch (IOException e) {
      throw new DrillFileException(file + ": cannot read: " + e.getMessage());
    }
    Drill drill;
    try {
      drill = YAML.readValue(bytes, Drill.class);
    } catch (UnrecognizedPropertyException e) {
      throw new DrillFileException(
          where(file, bytes, e)
              + "unknown key '"
              + e.getPropertyName()
              + "' in "
              + path(e)
              + "; known keys: "
              + e.getKnownPropertyIds().stream()
                  .map(Object::toString)
                  .sorted()
                  .collect(Collectors.joining(", "))
              + didYouMean(e.getPropertyName(), e.getKnownPropertyIds()));
    } catch (InvalidFormatException e) {
      if (e.getTargetType() != PromDuration.class) {
        throw mismatched(file, bytes, e);
      }
      throw new DrillFileException(
          where(file, bytes, e) + path(e).replace("'", "") + " " + e.getOriginalMessage());
    } catch (MismatchedInputException e) {
      throw mismatched(file, bytes, e);
    } catch (JsonProcessingException e) {
      throw new DrillFileException(
          where(file, e) + firstLine(e.getOriginalMessage()) + "; fix the YAML at that line");
    } catch (IOException e) {
      throw new DrillFileException(file + ": cannot read: " + e.getMessage());
    }
    if (drill == null) {
      throw new DrillFileException(file + ": empty; see docs/drills.md for a drill file");
    }
    List<String> problems = problems(drill, file);
    if (!problems.isEmpty()) {
      throw new DrillFileException(
          problems.stream().map(p -> file + ": " + p).collect(Collectors.joining("\n")));
    }
    return drill;
  }

  /** A value of the wrong shape: the key's position, its path and Jackson's reason. */
  private static DrillFileException mismatched(
      Path file, byte[] bytes, MismatchedInputException e) {
    return new DrillFileException(
        where(file, bytes, e)
            + "in "
            + path(e)
            + ": "
            + firstLine(e.getOriginalMessage())
            + "; see docs/drills.md for the shape of a drill file");
  }

  /** Every value problem of a drill, each naming the field and the fix. */
  private static List<String> problems(Drill d, Path file) {
    List<String> out = new ArrayList<>();
    required(out, "name", d.name());
    required(out, "description", d.description());
    if (!out.isEmpty()) {
      return out;
    }
    for (Drill.MixEntry m : d.load().mix()) {
      required(out, "load.mix path", m.path());
    }
    if (d.fault() != null) {
      Drill.FaultStep f = d.fault();
      if (f.http() != null) {
        required(out, "fault.http.path", f.http().path());
        required(out, "fault.http.burst", f.http().burst());
        required(out, "fault.http.every", f.http().every());
      }
      if (f.stop() != null) {
        required(out, "fault.stop.service", f.stop().service());
      }
      if (f.admin() != null) {
        required(out, "fault.admin.service", f.admin().service());
        required(out, "fault.admin.fault", f.admin().fault());
      }
    }
    for (int i = 0; i < d.expect().size(); i++) {
      Drill.ExpectedAlert e = d.expect().get(i);
      required(out, "expect[" + i + "].alert", e.alert());
      required(out, "expect[" + i + "].severity", e.severity());
      required(out, "expect[" + i + "].receiver", e.receiver());
    }
    for (int i = 0; i < d.mustNotFire().size(); i++) {
      required(out, "mustNotFire[" + i + "].alert", d.mustNotFire().get(i).alert());
    }
    for (int i = 0; i < d.budget().size(); i++) {
      required(out, "budget[" + i + "].slo", d.budget().get(i).slo());
      required(out, "budget[" + i + "].burns", d.budget().get(i).burns());
    }
    if (!out.isEmpty()) {
      return out;
    }
    String stem = file.getFileName().toString().replaceFirst("\\.yaml$", "");
    if (!d.name().equals(stem)) {
      out.add("name '" + d.name() + "' differs from the file name; write name: " + stem);
    }
    if (d.load().rate() != 0 && (d.load().rate() < 0.1 || d.load().rate() > 50)) {
      out.add("load.rate " + d.load().rate() + " is out of range; write 0.1..50 requests/s");
    }
    if (d.load().rate() > 0 && d.load().mix().isEmpty()) {
      out.add("load.mix is empty; name at least one path, e.g. - path: /api/products");
    }
    for (Drill.MixEntry m : d.load().mix()) {
      if (!m.path().startsWith("/")) {
        out.add("load.mix path '" + m.path() + "' must start with /");
      }
      if (!m.method().equals("GET") && !m.method().equals("POST")) {
        out.add(
            "load.mix method '" + m.method() + "' of " + m.path() + " unknown; write GET or POST");
      }
      if (m.weight() < 0) {
        out.add("load.mix weight of " + m.path() + " is negative; write a weight >= 0");
      }
    }
    if (d.fault() != null) {
      Drill.FaultStep f = d.fault();
      int kinds = (f.http() == null ? 0 : 1) + (f.stop() == null ? 0 : 1);
      kinds += f.admin() == null ? 0 : 1;
      if (kinds != 1) {
        out.add("fault must have exactly one of http, stop, admin (has " + kinds + ")");
      }
      if (f.http() != null) {
        if (f.http().burst() < 1 || f.http().burst() > 1000) {
          out.add("fault.http.burst " + f.http().burst() + " is out of range; write 1..1000");
        }
        positive(out, "fault.http.every", f.http().every());
        if (!f.http().path().startsWith("/")) {
          out.add("fault.http.path must start with /");
        }
      }
      if (f.stop() != null && !SERVICES.contains(f.stop().service())) {
        out.add(
            "fault.stop.service '" + f.stop().service() + "' unknown; write catalog or payments");
      }
      if (f.admin() != null) {
        if (!SERVICES.contains(f.admin().service())) {
          out.add(
              "fault.admin.service '"
                  + f.admin().service()
                  + "' unknown; write catalog or payments");
        }
        positive(out, "fault.admin.ttl", f.admin().ttl());
      }
    }
    if (d.expect().isEmpty()) {
      out.add("expect is empty; name at least one alert with severity and receiver");
    }
    if (d.recovery().dilute() < 0 || d.recovery().dilute() > 200) {
      out.add("recovery.dilute " + d.recovery().dilute() + " is out of range; write 0..200");
    }
    return out;
  }

  private static void required(List<String> out, String field, Object value) {
    if (value == null) {
      out.add(field + " is missing; see docs/drills.md for the shape of a drill file");
    }
  }

  /** A duration the services refuse when zero (a ttl, the time between bursts). */
  private static void positive(List<String> out, String field, PromDuration value) {
    if (value != null && value.millis() == 0) {
      out.add(field + " is 0; write a positive duration, e.g. 10m (or leave it out)");
    }
  }

  /**
   * {@code file:line:col: } of the key a mapping error is about: Jackson reports records' unknown
   * keys at the end of their object, so the key's own position is looked up by its path in a
   * streaming pass over the same bytes.
   */
  private static String where(Path file, byte[] bytes, JsonMappingException e) {
    String pointer =
        e.getPath().stream()
            .map(r -> "/" + (r.getFieldName() != null ? r.getFieldName() : r.getIndex()))
            .collect(Collectors.joining());
    try (JsonParser p = YAML.getFactory().createParser(bytes)) {
      while (p.nextToken() != null) {
        if (p.currentToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME
            && p.getParsingContext().pathAsPointer().toString().equals(pointer)) {
          JsonLocation l = p.currentTokenLocation();
          return file + ":" + l.getLineNr() + ":" + l.getColumnNr() + ": ";
        }
      }
    } catch (IOException ignored) {
      // fall back to the location Jackson reported
    }
    return where(file, e);
  }

  private static String where(Path file, JsonProcessingException e) {
    JsonLocation l = e.getLocation();
    if (l == null || l.getLineNr() < 1) {
      return file + ": ";
    }
    return file + ":" + l.getLineNr() + ":" + l.getColumnNr() + ": ";
  }

  private static String path(JsonMappingException e) {
    String p =
        e.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining("."))
            .replace(".[", "[");
    return p.isEmpty() ? "the drill" : "'" + p + "'";
  }

  private static String firstLine(String message) {
    return message == null ? "invalid" : message.lines().findFirst().orElse("invalid").strip();
  }

  private static String didYouMean(String wrong, java.util.Collection<Object> known) {
    String w = wrong.toLowerCase(Locale.ROOT);
    return known.stream()
        .map(Object::toString)
        .filter(k -> k.toLowerCase(Locale.ROOT).equals(w) || distance(k, wrong) <= 2)
        .findFirst()
        .map(k -> " (did you mean '" + k + "'?)")
        .orElse("");
  }

  /** Levenshtein distance, for the did-you-mean hint. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int[] cur = new int[b.length() + 1];
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      prev = cur;
    }
    return prev[b.length()];
  }
}
