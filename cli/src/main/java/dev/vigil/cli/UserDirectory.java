package dev.vigil.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.ParseResult;

/**
 * Roots the file paths a user types at the directory the user typed them in.
 *
 * <p>The {@code vigil} launcher changes to the checkout before it starts the CLI, so that the
 * defaults ({@code slos/}, {@code deploy/}, {@code docs/runbooks}, {@code .vigil/}) name the
 * checkout's files. It passes the user's own directory as the system property {@value #PROPERTY};
 * this strategy then resolves every relative path given on the command line (an option or a
 * parameter of type {@link Path} or a list of paths) against that directory, before the command
 * runs. Defaults are left alone. Without the property (the jar started directly, or a test) nothing
 * is changed: relative paths are then resolved by the JVM against its working directory as usual.
 */
final class UserDirectory implements CommandLine.IExecutionStrategy {

  /** The system property holding the user's working directory, set by the launcher. */
  static final String PROPERTY = "vigil.user.dir";

  private final Path directory;
  private final CommandLine.IExecutionStrategy next;

  /**
   * @param directory the user's working directory, absolute
   * @param next the strategy that runs the command once its paths are rooted
   */
  UserDirectory(Path directory, CommandLine.IExecutionStrategy next) {
    this.directory = directory;
    this.next = next;
  }

  @Override
  public int execute(ParseResult parseResult) {
    for (ParseResult command = parseResult; command != null; command = command.subcommand()) {
      for (ArgSpec arg : command.matchedArgs()) {
        root(arg);
      }
    }
    return next.execute(parseResult);
  }

  private void root(ArgSpec arg) {
    Object value = arg.getValue();
    if (value instanceof Path path) {
      arg.setValue(directory.resolve(path));
    } else if (value instanceof List<?> list
        && !list.isEmpty()
        && list.stream().allMatch(Path.class::isInstance)) {
      arg.setValue(list.stream().map(p -> directory.resolve((Path) p)).toList());
    }
  }
}
