package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.stack.command.ReceiverCommand;
import dev.vigil.stack.process.ServiceProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackFailureTest {

  private static final Path DEPLOY =
      Path.of(System.getProperty("vigil.root", "..")).resolve("deploy");

  @TempDir Path stateDir;
  private LocalStack stack;

  @AfterEach
  void down() {
    stack.down(System.out::println);
  }

  @Test
  void aComponentThatExitsIsNamedWithTheTailOfItsLog() {
    stack = new LocalStack(new StackLayout(stateDir));
    List<String> failingCatalog = List.of("sh", "-c", "echo 'database file is locked'; exit 3");

    assertThatThrownBy(
            () ->
                stack.up(
                    DEPLOY,
                    StackProfile.test(),
                    new ServiceCommands(
                        failingCatalog,
                        ServiceProcess.javaCommand(StandInService.class.getName()),
                        ServiceProcess.javaCommand(ReceiverCommand.class.getName()),
                        List.of()),
                    System.out::println))
        .isInstanceOf(StackStartException.class)
        .hasMessageContaining("catalog exited with code 3 before it was ready")
        .hasMessageContaining(stateDir.resolve("logs/catalog.log").toString())
        .hasMessageContaining("| database file is locked");
  }
}
