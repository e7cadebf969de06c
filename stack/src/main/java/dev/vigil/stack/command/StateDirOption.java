package dev.vigil.stack.command;

import dev.vigil.stack.LocalStack;
import dev.vigil.stack.StackLayout;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --state-dir} option shared by the stack commands: where {@code .vigil/} lives. */
public final class StateDirOption {

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "State directory: pid files, logs, rendered configs, data, notifications "
              + "(default: $VIGIL_DATA_DIR or .vigil)")
  Path stateDir;

  /**
   * The local stack under the chosen state directory.
   *
   * @return the stack
   */
  public LocalStack stack() {
    return new LocalStack(
        stateDir == null
            ? StackLayout.fromEnvironment()
            : new StackLayout(stateDir.toAbsolutePath()));
  }
}
