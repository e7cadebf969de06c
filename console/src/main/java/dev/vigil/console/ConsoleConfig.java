package dev.vigil.console;

import dev.vigil.prometheus.StateDirectory;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one console serves and where it reads from. {@link #builder()} starts from the defaults of
 * {@code vigil console} (the local stack's default ports and {@code .vigil}).
 *
 * @param host address to bind, normally {@code 127.0.0.1}
 * @param port TCP port (3000 by default), 0 for a free random one
 * @param prometheus Prometheus base URL, e.g. {@code http://127.0.0.1:9090}
 * @param specs SLO spec files or directories of {@code *.yaml} files, e.g. {@code slos}
 * @param notifications the local alert receiver's JSONL file; it may not exist yet
 * @param zipkin the Zipkin UI's base URL, e.g. {@code http://127.0.0.1:9411}: exemplars link to
 *     {@code <zipkin>/zipkin/traces/<trace id>}
 * @param logs the stack's log directory ({@code .vigil/logs}), whose {@code *.log} JSON lines the
 *     "logs of this trace" page reads; it may not exist
 * @param runbooks the directory of runbooks, {@code docs/runbooks/<Alert>.md}; it may not exist
 * @param stateDir the stack's state directory ({@code .vigil}): the admin token is read from its
 *     {@code admin-token} file (on each request, server-side only) and saved profiles from its
 *     {@code profiles/} directory; either may be missing
 * @param adminApis the services' admin API base URLs by service name, in page order, e.g. {@code
 *     catalog -> http://127.0.0.1:8010}: the errors page reads each one's {@code /admin/errors}
 */
public record ConsoleConfig(
    String host,
    int port,
    URI prometheus,
    List<Path> specs,
    Path notifications,
    URI zipkin,
    Path logs,
    Path runbooks,
    Path stateDir,
    Map<String, URI> adminApis) {

  /** Copies the spec list and the admin API map (keeping its order). */
  public ConsoleConfig {
    specs = List.copyOf(specs);
    adminApis = Collections.unmodifiableMap(new LinkedHashMap<>(adminApis));
  }

  /**
   * A builder with the defaults of {@code vigil console}: 127.0.0.1:3000, Prometheus on :9090,
   * specs {@code slos}, Zipkin on :9411, state in {@code .vigil} (notifications, logs, token and
   * profiles beneath it), runbooks in {@code docs/runbooks}, the catalog's admin API on :8010 and
   * the payment provider's on :8011.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ConsoleConfig}; every setting has the default named in {@link #builder()}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 3000;
    private URI prometheus = URI.create("http://127.0.0.1:9090");
    private List<Path> specs = List.of(Path.of("slos"));
    private Path notifications;
    private URI zipkin = URI.create("http://127.0.0.1:9411");
    private Path logs;
    private Path runbooks = Path.of("docs", "runbooks");
    private Path stateDir = Path.of(StateDirectory.DEFAULT);
    private Map<String, URI> adminApis = new LinkedHashMap<>();

    private Builder() {
      adminApis.put("catalog", URI.create("http://127.0.0.1:8010"));
      adminApis.put("payments", URI.create("http://127.0.0.1:8011"));
    }

    /**
     * @param host address to bind
     * @return this builder
     */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /**
     * @param port TCP port, 0 for a free one
     * @return this builder
     */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * @param prometheus Prometheus base URL
     * @return this builder
     */
    public Builder prometheus(URI prometheus) {
      this.prometheus = prometheus;
      return this;
    }

    /**
     * @param specs SLO spec files or directories
     * @return this builder
     */
    public Builder specs(List<Path> specs) {
      this.specs = specs;
      return this;
    }

    /**
     * @param notifications the receiver's JSONL file (default {@code
     *     <state>/alerts/notifications.jsonl})
     * @return this builder
     */
    public Builder notifications(Path notifications) {
      this.notifications = notifications;
      return this;
    }

    /**
     * @param zipkin the Zipkin UI's base URL
     * @return this builder
     */
    public Builder zipkin(URI zipkin) {
      this.zipkin = zipkin;
      return this;
    }

    /**
     * @param logs the stack's log directory (default {@code <state>/logs})
     * @return this builder
     */
    public Builder logs(Path logs) {
      this.logs = logs;
      return this;
    }

    /**
     * @param runbooks the runbook directory
     * @return this builder
     */
    public Builder runbooks(Path runbooks) {
      this.runbooks = runbooks;
      return this;
    }

    /**
     * @param stateDir the stack's state directory (admin token, profiles)
     * @return this builder
     */
    public Builder stateDir(Path stateDir) {
      this.stateDir = stateDir;
      return this;
    }

    /**
     * @param adminApis admin API base URLs by service name, in page order
     * @return this builder
     */
    public Builder adminApis(Map<String, URI> adminApis) {
      this.adminApis = adminApis;
      return this;
    }

    /**
     * @return the configuration
     */
    public ConsoleConfig build() {
      return new ConsoleConfig(
          host,
          port,
          prometheus,
          specs,
          notifications != null
              ? notifications
              : stateDir.resolve("alerts").resolve("notifications.jsonl"),
          zipkin,
          logs != null ? logs : stateDir.resolve("logs"),
          runbooks,
          stateDir,
          adminApis);
    }
  }
}
