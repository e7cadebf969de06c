package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Where {@code vigil console} looks for the stack's state: admin token and saved profiles. */
class ConsoleCommandTest {

  private static ConsoleCommand parse(String... args) {
    ConsoleCommand command = new ConsoleCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void theConsoleThatVigilUpStartsFindsTheTokenBesideTheLogsNotInAStateDirOfItsOwn() {
    // ./vigil up starts the console inside the state directory and passes --logs <state>/logs: a
    // relative ".vigil" would have been <state>/.vigil, where no token ever is
    Path state = Path.of("/srv/vigil/.vigil");
    assertThat(parse("--logs", state.resolve("logs").toString()).stateDir()).isEqualTo(state);
  }

  @Test
  void anExplicitStateDirWinsAndAdminApisAreTakenAsServiceEqualsUrl() {
    ConsoleCommand command =
        parse(
            "--state-dir",
            "/tmp/state",
            "--logs",
            "/elsewhere/logs",
            "--admin",
            "catalog=http://127.0.0.1:18010,payments=http://127.0.0.1:18011");
    assertThat(command.stateDir()).isEqualTo(Path.of("/tmp/state"));
    assertThat(command.adminApis)
        .containsExactly(
            java.util.Map.entry("catalog", URI.create("http://127.0.0.1:18010")),
            java.util.Map.entry("payments", URI.create("http://127.0.0.1:18011")));
  }
}
