package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code path/to/vigil slo generate shop.yaml} run in the user's own directory: the launcher starts
 * the CLI in the checkout, and the user's relative paths must still name the user's files.
 */
class UserDirectoryTest {

  private static final Path ROOT = Path.of(System.getProperty("vigil.root"));

  @TempDir Path userDir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void aRelativeSpecAndOutputAreTheUsersFiles() throws Exception {
    Files.copy(ROOT.resolve("slos/catalog.yaml"), userDir.resolve("shop.yaml"));

    int exit = run(Main.commandLine(userDir), "slo", "generate", "shop.yaml", "--out", "out");

    assertThat(exit).as("stderr:%n%s", err).isZero();
    assertThat(userDir.resolve("out/prometheus/rules/generated")).isNotEmptyDirectory();
  }

  @Test
  void withoutTheUsersDirectoryARelativeSpecIsLookedUpWhereTheJvmRuns() throws Exception {
    Files.copy(ROOT.resolve("slos/catalog.yaml"), userDir.resolve("shop.yaml"));

    int exit = run(Main.commandLine(), "slo", "validate", "--no-promtool", "shop.yaml");

    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("shop.yaml");
  }

  @Test
  void anAbsolutePathStaysAsTyped() throws Exception {
    Path spec = Files.copy(ROOT.resolve("slos/catalog.yaml"), userDir.resolve("shop.yaml"));

    int exit =
        run(
            Main.commandLine(ROOT.resolve("no-such-directory")),
            "slo",
            "validate",
            "--no-promtool",
            spec.toString());

    assertThat(exit).as("stderr:%n%s", err).isZero();
  }

  private int run(CommandLine commandLine, String... args) {
    commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }
}
