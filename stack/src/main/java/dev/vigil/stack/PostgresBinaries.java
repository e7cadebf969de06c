package dev.vigil.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The PostgreSQL server binaries ({@code initdb}, {@code pg_ctl}, {@code postgres}) and how to run
 * them: found in {@code $VIGIL_PG_BIN}, on PATH, or in the newest {@code
 * /usr/lib/postgresql/<version>/bin} (Debian's {@code postgresql} package). PostgreSQL refuses to
 * run as root, so as root its commands run as the {@code postgres} user (or {@code nobody}) through
 * {@code setpriv}, which execs the server in place (its pid is the server's).
 *
 * @param bin the directory holding the binaries
 */
public record PostgresBinaries(Path bin) {

  /** The Debian package that installs the server binaries. */
  public static final String DEBIAN_PACKAGE = "postgresql";

  /**
   * Finds the binaries.
   *
   * @return the binaries, or empty when none are installed
   */
  public static Optional<PostgresBinaries> find() {
    String configured = System.getenv("VIGIL_PG_BIN");
    if (configured != null && Files.isExecutable(Path.of(configured, "pg_ctl"))) {
      return Optional.of(new PostgresBinaries(Path.of(configured)));
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty()
          && Files.isExecutable(Path.of(dir, "pg_ctl"))
          && Files.isExecutable(Path.of(dir, "initdb"))
          && Files.isExecutable(Path.of(dir, "postgres"))) {
        return Optional.of(new PostgresBinaries(Path.of(dir)));
      }
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(debian)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(debian)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("pg_ctl")))
          .max(
              Comparator.comparingInt(
                  b ->
                      Integer.parseInt(
                          b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
          .map(PostgresBinaries::new);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The binaries, or a clear error saying what to install.
   *
   * @return the binaries
   * @throws IllegalStateException when none are installed
   */
  public static PostgresBinaries require() {
    return find()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: install them"
                        + " (sudo apt-get install "
                        + DEBIAN_PACKAGE
                        + ") or set VIGIL_PG_BIN to their directory"));
  }

  /**
   * The user the server runs as when this JVM runs as root.
   *
   * @return {@code postgres} when that user exists, else {@code nobody}; empty when not root
   */
  public static Optional<String> runAs() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return Optional.empty();
    }
    try {
      boolean postgres =
          Files.readAllLines(Path.of("/etc/passwd")).stream()
              .anyMatch(l -> l.startsWith("postgres:"));
      return Optional.of(postgres ? "postgres" : "nobody");
    } catch (IOException e) {
      return Optional.of("nobody");
    }
  }

  /**
   * The command line of one of the binaries, run as {@link #runAs()} when this JVM runs as root.
   *
   * @param tool e.g. {@code postgres}, {@code initdb}, {@code pg_ctl}
   * @param args its arguments
   * @return the command line
   */
  public List<String> command(String tool, List<String> args) {
    List<String> command = new ArrayList<>();
    runAs()
        .ifPresent(
            user ->
                command.addAll(
                    List.of(
                        "setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--")));
    command.add(bin.resolve(tool).toString());
    command.addAll(args);
    return command;
  }

  /**
   * Creates a database cluster in a directory unless one is there (superuser {@code postgres},
   * trust authentication: the server listens on loopback only), owned by {@link #runAs()}.
   *
   * @param dataDir the cluster's directory
   * @throws IOException when the directory cannot be created or initdb fails (with its output)
   * @throws InterruptedException when interrupted while initdb runs
   */
  public void initIfMissing(Path dataDir) throws IOException, InterruptedException {
    if (Files.exists(dataDir.resolve("PG_VERSION"))) {
      return;
    }
    Files.createDirectories(dataDir);
    Optional<String> user = runAs();
    if (user.isPresent()) {
      UserPrincipal owner =
          dataDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user.get());
      Files.setOwner(dataDir, owner);
    }
    run(
        command(
            "initdb",
            List.of(
                "-D",
                dataDir.toString(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale")));
  }

  /**
   * Runs one command to completion.
   *
   * @param command the command line, e.g. from {@link #command}
   * @throws IOException when it cannot start, fails, or runs longer than 60 s (with its output)
   * @throws InterruptedException when interrupted while it runs
   */
  public static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed:\n" + output);
    }
  }
}
