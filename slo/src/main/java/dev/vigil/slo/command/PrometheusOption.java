package dev.vigil.slo.command;

import java.net.URI;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --prometheus URL} option the slo commands that read history share (report, gate,
 * backtest, backfill): a Prometheus-compatible base URL, by default the local stack's; {@code
 * host:port} without a scheme means http. A value that is not a URL is a usage error (exit 2) that
 * says how to write one.
 */
public final class PrometheusOption {

  /** The local stack's Prometheus. */
  static final String LOCAL = "http://127.0.0.1:9090";

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  private URI url = URI.create(LOCAL);

  /**
   * Sets the URL from the command line.
   *
   * @param text e.g. {@code http://prometheus:9090} or {@code localhost:9090}
   * @throws ParameterException when the text is not a URL
   */
  @Option(
      names = "--prometheus",
      defaultValue = LOCAL,
      paramLabel = "URL",
      description =
          "Prometheus-compatible base URL holding the SLIs' series (default: ${DEFAULT-VALUE}, the"
              + " local stack's); host:port means http")
  void url(String text) {
    try {
      // localhost:9090 has no scheme: the user meant http://localhost:9090
      URI parsed = URI.create(text.contains("://") ? text : "http://" + text);
      if (parsed.getHost() == null) {
        throw new IllegalArgumentException("no host");
      }
      url = parsed;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          mixee.commandLine(),
          "--prometheus '"
              + text
              + "' is not a URL: write it as http://HOST:PORT, e.g. http://127.0.0.1:9090");
    }
  }

  /**
   * @return the base URL
   */
  public URI url() {
    return url;
  }
}
