package dev.vigil.telemetry.admin;

import dev.vigil.telemetry.auth.BearerToken;
import dev.vigil.telemetry.config.Environment;
import dev.vigil.telemetry.config.Setting;
import java.util.List;
import java.util.Map;

/**
 * Where a service's admin API listens and the token that guards it, read from environment
 * variables.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>variable</th><th>default</th><th>accepted</th></tr>
 *   <tr><td>VIGIL_ADMIN_TOKEN</td><td>(unset: admin API off)</td><td>the bearer token callers send, at least 32 characters</td></tr>
 *   <tr><td>VIGIL_ADMIN_TOKEN_NAME</td><td>admin</td><td>who holds the token, logged with every change</td></tr>
 *   <tr><td>VIGIL_ADMIN_BIND</td><td>127.0.0.1</td><td>interface to bind</td></tr>
 *   <tr><td>VIGIL_ADMIN_PORT</td><td>the service's own default</td><td>0..65535 (0 = any free port)</td></tr>
 * </table>
 *
 * @param bind interface to bind, e.g. {@code 127.0.0.1}
 * @param port TCP port, 0 for any free port
 * @param token the bearer token, or {@code null} when the admin API is off
 * @param tokenName who holds the token (the {@code setBy} of every change), e.g. {@code admin}
 */
public record AdminConfig(String bind, int port, String token, String tokenName) {

  /** The variable holding the token; without it the admin API does not start. */
  public static final String TOKEN_VARIABLE = "VIGIL_ADMIN_TOKEN";

  private static final Setting<String> TOKEN =
      Setting.token(
          TOKEN_VARIABLE,
          "(unset: admin API off)",
          "bearer token of the admin API (faults, errors, profiles; docs/faults.md)");

  private static final Setting<String> TOKEN_NAME =
      Setting.text(
          "VIGIL_ADMIN_TOKEN_NAME",
          "admin",
          "a name",
          "who holds the admin token: logged with every change it makes");

  private static final Setting<String> BIND =
      Setting.text(
          "VIGIL_ADMIN_BIND", "127.0.0.1", "an interface address", "interface of the admin API");

  /**
   * Reads the configuration.
   *
   * @param variables the environment, usually {@code System.getenv()}
   * @param defaultPort the service's default admin port (e.g. 8010 for the catalog)
   * @return the configuration; {@link #enabled()} is false when {@code VIGIL_ADMIN_TOKEN} is unset
   *     or blank
   * @throws IllegalArgumentException naming {@code VIGIL_ADMIN_PORT} when it is not a port, or
   *     {@code VIGIL_ADMIN_TOKEN} when it is shorter than {@value BearerToken#MIN_LENGTH}
   *     characters (the message gives its length, never the token)
   */
  public static AdminConfig fromEnvironment(Map<String, String> variables, int defaultPort) {
    Environment env = new Environment(variables);
    return new AdminConfig(
        BIND.read(env), port(defaultPort).read(env), TOKEN.read(env), TOKEN_NAME.read(env));
  }

  /**
   * The admin API's settings, as a service lists them after its own ({@link
   * dev.vigil.telemetry.config.Settings#and}).
   *
   * @param defaultPort the service's default admin port (e.g. 8010 for the catalog)
   * @return {@code VIGIL_ADMIN_TOKEN}, {@code VIGIL_ADMIN_TOKEN_NAME}, {@code VIGIL_ADMIN_BIND} and
   *     {@code VIGIL_ADMIN_PORT}
   */
  public static List<Setting<?>> settings(int defaultPort) {
    return List.of(TOKEN, TOKEN_NAME, BIND, port(defaultPort));
  }

  private static Setting<Integer> port(int defaultPort) {
    return Setting.integer(
        "VIGIL_ADMIN_PORT", defaultPort, 0, 65535, "port of the admin API (0 = any free port)");
  }

  /**
   * A configuration on loopback with a token, for tests and embedded use.
   *
   * @param port TCP port, 0 for any free port
   * @param token the bearer token, or {@code null} for an admin API that is off
   * @param tokenName who holds the token
   * @return the configuration
   */
  public static AdminConfig loopback(int port, String token, String tokenName) {
    return new AdminConfig("127.0.0.1", port, token, tokenName);
  }

  /** Whether the admin API starts: a non-blank token is configured. */
  public boolean enabled() {
    return token != null && !token.isBlank();
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "AdminConfig[bind="
        + bind
        + ", port="
        + port
        + ", token="
        + (enabled() ? "***" : "unset")
        + ", tokenName="
        + tokenName
        + "]";
  }
}
