package dev.vigil.catalog;

import dev.vigil.stack.PostgresBinaries;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, run from the PostgreSQL server binaries (initdb, pg_ctl) on a
 * free port with its own data directory, stoppable and restartable on the same port and data.
 *
 * <p>Binaries and the user to run them as come from the stack's {@link PostgresBinaries} (the ha
 * profile's database): PostgreSQL refuses to run as root, so when the tests run as root the server
 * runs as the {@code postgres} (or {@code nobody}) user through {@code runuser}.
 */
public final class PostgresServer implements AutoCloseable {

  private final Path bin;
  private final Path dataDir;
  private final int port;
  private final String runAs;
  private boolean running;

  private PostgresServer(Path bin, Path dataDir, int port, String runAs) {
    this.bin = bin;
    this.dataDir = dataDir;
    this.port = port;
    this.runAs = runAs;
  }

  /** Initialises a fresh cluster on a free port and starts it. */
  public static PostgresServer start() throws IOException, InterruptedException {
    PostgresBinaries binaries = PostgresBinaries.require();
    Path dataDir = Files.createTempDirectory("vigil-pg-");
    binaries.initIfMissing(dataDir);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    PostgresServer server =
        new PostgresServer(binaries.bin(), dataDir, port, PostgresBinaries.runAs().orElse(null));
    server.resume();
    return server;
  }

  /** JDBC URL of the server's {@code postgres} database. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** Stops the server (fast shutdown: open connections are terminated). */
  public void stop() throws IOException, InterruptedException {
    run("pg_ctl", "-D", dataDir.toString(), "-m", "fast", "-w", "stop");
    running = false;
  }

  /** Starts the server again on the same port and data. */
  public void resume() throws IOException, InterruptedException {
    run(
        "pg_ctl",
        "-D",
        dataDir.toString(),
        "-w",
        "-l",
        dataDir.resolve("server.log").toString(),
        "-o",
        "-p " + port + " -h 127.0.0.1 -k " + dataDir + " -F -c max_connections=60",
        "start");
    running = true;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      if (running) {
        stop();
      }
    } finally {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void run(String tool, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if (runAs != null) {
      command.addAll(List.of("runuser", "-u", runAs, "--"));
    }
    command.add(bin.resolve(tool).toString());
    command.addAll(Arrays.asList(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
    }
  }
}
