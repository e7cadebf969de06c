package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.stack.command.StackCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil status} with nothing running. */
class StatusWhenStoppedTest {

  @Test
  void statusExitsNonZeroWhenEverythingIsStopped(@TempDir Path state) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new StackCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    int exit = cli.execute("status", "--state-dir", state.toString());
    assertThat(out.toString()).contains("stopped").contains("Nothing runs");
    assertThat(exit).as(out.toString()).isEqualTo(1);
  }
}
