package dev.vigil.console;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * What one console serves and where it reads from.
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
 */
public record ConsoleConfig(
    String host,
    int port,
    URI prometheus,
    List<Path> specs,
    Path notifications,
    URI zipkin,
    Path logs,
    Path runbooks) {

  /** Copies the spec list. */
  public ConsoleConfig {
    specs = List.copyOf(specs);
  }
}
