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
 */
public record ConsoleConfig(
    String host, int port, URI prometheus, List<Path> specs, Path notifications) {

  /** Copies the spec list. */
  public ConsoleConfig {
    specs = List.copyOf(specs);
  }
}
