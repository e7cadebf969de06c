package dev.vigil.telemetry.config;

import dev.vigil.telemetry.auth.BearerToken;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One environment variable a service reads, declared once: its name, its default, what it accepts,
 * what it means, and how its value is read and checked. A service lists its settings in one {@link
 * Settings}; its configuration is read through them, and its {@code --help} text and the README's
 * table are printed from the same list, so the three cannot drift apart.
 *
 * <pre>{@code
 * static final Setting<Integer> POOL_SIZE =
 *     Setting.integer("DB_POOL_SIZE", 10, 1, 500, "connections in the database pool");
 * int size = POOL_SIZE.read(new Environment(System.getenv()));
 * }</pre>
 *
 * @param <T> the type of the value read
 */
public final class Setting<T> {

  private final String name;
  private final String defaultText;
  private final String accepted;
  private final String meaning;
  private final Function<Environment, T> reader;

  private Setting(
      String name,
      String defaultText,
      String accepted,
      String meaning,
      Function<Environment, T> reader) {
    this.name = Objects.requireNonNull(name);
    this.defaultText = Objects.requireNonNull(defaultText);
    this.accepted = Objects.requireNonNull(accepted);
    this.meaning = Objects.requireNonNull(meaning);
    this.reader = Objects.requireNonNull(reader);
  }

  /**
   * A setting read by a function of its own, for values with a grammar of their own.
   *
   * @param name the variable, e.g. {@code VIGIL_TELEMETRY}
   * @param defaultText the default as a user would write it, or what happens when it is unset, e.g.
   *     {@code (unset: embedded H2)}
   * @param accepted what is accepted, e.g. {@code none, or a comma list of metrics, access-log,
   *     tracing}
   * @param meaning what the setting changes
   * @param reader reads and checks the value; throws {@link IllegalArgumentException} built by
   *     {@link Environment#invalid} for a value it refuses
   * @param <T> the value's type
   * @return the setting
   */
  public static <T> Setting<T> custom(
      String name,
      String defaultText,
      String accepted,
      String meaning,
      Function<Environment, T> reader) {
    return new Setting<>(name, defaultText, accepted, meaning, reader);
  }

  /**
   * A free text with a default, trimmed.
   *
   * @param name the variable
   * @param defaultValue used when unset or blank
   * @param accepted what is accepted, e.g. {@code an interface address}
   * @param meaning what the setting changes
   * @return the setting; its value is never null
   */
  public static Setting<String> text(
      String name, String defaultValue, String accepted, String meaning) {
    return new Setting<>(
        name, defaultValue, accepted, meaning, env -> env.text(name, defaultValue));
  }

  /**
   * A free text without a default.
   *
   * @param name the variable
   * @param whenUnset what happens when it is unset, e.g. {@code (unset: kept in memory)}
   * @param accepted what is accepted
   * @param meaning what the setting changes
   * @return the setting; its value is null when unset or blank
   */
  public static Setting<String> optional(
      String name, String whenUnset, String accepted, String meaning) {
    return new Setting<>(name, whenUnset, accepted, meaning, env -> env.text(name));
  }

  /**
   * A secret bearer token, checked to be at least {@value BearerToken#MIN_LENGTH} characters.
   *
   * @param name the variable
   * @param whenUnset what happens when it is unset, e.g. {@code (unset: admin API off)}
   * @param meaning what the token protects
   * @return the setting; its value is null when unset or blank. Reading it throws {@link
   *     IllegalArgumentException} naming the variable and the token's length (never the token) when
   *     it is too short
   */
  public static Setting<String> token(String name, String whenUnset, String meaning) {
    return new Setting<>(
        name,
        whenUnset,
        "at least " + BearerToken.MIN_LENGTH + " characters, e.g. openssl rand -base64 32",
        meaning,
        env -> {
          String token = env.text(name);
          BearerToken.checkLength(name, token);
          return token;
        });
  }

  /**
   * An integer within a range.
   *
   * @param name the variable
   * @param defaultValue used when unset or blank, within the range
   * @param min smallest accepted value
   * @param max largest accepted value
   * @param meaning what the setting changes, with its unit
   * @return the setting; reading it throws {@link IllegalArgumentException} for a value outside
   *     {@code min..max}
   */
  public static Setting<Integer> integer(
      String name, int defaultValue, int min, int max, String meaning) {
    return new Setting<>(
        name,
        Integer.toString(defaultValue),
        min + ".." + max,
        meaning,
        env -> env.integer(name, defaultValue, min, max));
  }

  /**
   * A ratio from 0 to 1.
   *
   * @param name the variable
   * @param defaultValue used when unset or blank, 0..1
   * @param meaning what the ratio is of
   * @return the setting; reading it throws {@link IllegalArgumentException} outside 0..1
   */
  public static Setting<Double> ratio(String name, double defaultValue, String meaning) {
    return new Setting<>(
        name, plain(defaultValue), "ratio 0..1", meaning, env -> env.ratio(name, defaultValue));
  }

  /**
   * A duration in Prometheus' grammar ({@code 250ms}, {@code 2s}, {@code 1m}, {@code 1h30m}).
   *
   * @param name the variable
   * @param defaultValue the default in the same grammar, e.g. {@code 10s}
   * @param meaning what the duration bounds
   * @return the setting; reading it throws {@link IllegalArgumentException} for another notation
   */
  public static Setting<Duration> duration(String name, String defaultValue, String meaning) {
    return new Setting<>(
        name,
        defaultValue,
        "duration: 250ms, 2s, 1m, 1h30m",
        meaning,
        env -> env.duration(name, defaultValue));
  }

  /**
   * An absolute http(s) URL.
   *
   * @param name the variable
   * @param defaultValue the default URL
   * @param meaning what the URL points to
   * @return the setting; its value has no trailing slash
   */
  public static Setting<URI> url(String name, String defaultValue, String meaning) {
    return new Setting<>(
        name, defaultValue, "http(s) URL", meaning, env -> env.url(name, defaultValue));
  }

  /**
   * One of a few words, compared without regard to case.
   *
   * @param name the variable
   * @param defaultValue the default, one of {@code values}
   * @param values the accepted words as they are returned
   * @param meaning what the setting changes
   * @return the setting; its value is the matching word of {@code values}
   */
  public static Setting<String> oneOf(
      String name, String defaultValue, List<String> values, String meaning) {
    String accepted = String.join(", ", values);
    return new Setting<>(
        name,
        defaultValue,
        accepted,
        meaning,
        env -> {
          String raw = env.text(name, defaultValue);
          for (String value : values) {
            if (value.equalsIgnoreCase(raw)) {
              return value;
            }
          }
          throw Environment.invalid(name, raw, "one of " + accepted);
        });
  }

  /**
   * Reads and checks the value.
   *
   * @param env the environment
   * @return the value, or its default when unset
   * @throws IllegalArgumentException naming this variable, the value and what is accepted
   */
  public T read(Environment env) {
    return reader.apply(env);
  }

  /** The variable's name, e.g. {@code DB_POOL_SIZE}. */
  public String name() {
    return name;
  }

  /** The default as a user would write it, or what happens when the variable is unset. */
  public String defaultText() {
    return defaultText;
  }

  /** What values are accepted, e.g. {@code 1..500}. */
  public String accepted() {
    return accepted;
  }

  /** What the setting changes, in a phrase. */
  public String meaning() {
    return meaning;
  }

  private static String plain(double value) {
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%s", value);
  }

  @Override
  public String toString() {
    return name + "=" + defaultText;
  }
}
