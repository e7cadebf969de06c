package dev.vigil.cli;

import dev.vigil.catalog.CatalogCommand;
import dev.vigil.console.ConsoleCommand;
import dev.vigil.drills.command.DrillCommand;
import dev.vigil.drills.command.IncidentCommand;
import dev.vigil.payments.PaymentsCommand;
import dev.vigil.slo.command.SloCommand;
import dev.vigil.stack.command.AlertsCommand;
import dev.vigil.stack.command.FaultCommand;
import dev.vigil.stack.command.ProfileCommand;
import dev.vigil.stack.command.ReceiverCommand;
import dev.vigil.stack.command.StackCommand;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vigil} command line: one runnable jar whose subcommands are contributed by the
 * modules.
 *
 * <p>This class only wires subcommands together; every behaviour lives in the module that owns it.
 * Exit codes follow each subcommand's documentation (0 success, 1 failure, 2 usage error).
 */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Observable and provably reliable Java services.")
public final class Main {

  /**
   * The subcommands, in the order {@code vigil --help} lists them. Added by {@link #commandLine}
   * rather than named in {@code @Command(subcommands)}, so that a run of one subcommand builds that
   * one's tree only: picocli instantiates every command of the tree it builds, and some initialise
   * heavy things on load ({@code console} starts logging, half a second on a cold JVM).
   */
  private static final List<Class<?>> SUBCOMMANDS =
      List.of(
          CatalogCommand.class,
          PaymentsCommand.class,
          StackCommand.class,
          SloCommand.class,
          AlertsCommand.class,
          FaultCommand.class,
          DrillCommand.class,
          IncidentCommand.class,
          ReceiverCommand.class,
          ConsoleCommand.class,
          ProfileCommand.class);

  private Main() {}

  /**
   * Builds the command tree with every module's subcommands. When the launcher passed the user's
   * working directory (system property {@code vigil.user.dir}), relative paths on the command line
   * are resolved against it.
   *
   * @return the configured picocli command line, ready to {@code execute}
   */
  public static CommandLine commandLine() {
    return commandLine(SUBCOMMANDS);
  }

  /**
   * The command tree {@link #main} runs {@code args} with: when the first argument names a
   * subcommand, the root with that subcommand only (parsing, help, errors and exit codes as in the
   * whole tree, which a run of one subcommand never leaves), otherwise {@link #commandLine()}.
   *
   * @param args the command line arguments
   * @return the configured picocli command line, ready to {@code execute(args)}
   */
  public static CommandLine commandLineFor(String... args) {
    if (args.length > 0) {
      for (Class<?> subcommand : SUBCOMMANDS) {
        Command command = subcommand.getAnnotation(Command.class);
        if (command.name().equals(args[0]) || List.of(command.aliases()).contains(args[0])) {
          return commandLine(List.of(subcommand));
        }
      }
    }
    return commandLine();
  }

  /** The tree with the given subcommands, paths rooted as {@link #commandLine()} says. */
  private static CommandLine commandLine(List<Class<?>> subcommands) {
    String userDir = System.getProperty(UserDirectory.PROPERTY);
    return userDir == null || userDir.isBlank()
        ? tree(subcommands)
        : tree(subcommands)
            .setExecutionStrategy(
                new UserDirectory(Path.of(userDir).toAbsolutePath(), new CommandLine.RunLast()));
  }

  /** The root command with the given subcommands, in order. */
  private static CommandLine tree(List<Class<?>> subcommands) {
    CommandLine root = new CommandLine(new Main());
    subcommands.forEach(root::addSubcommand);
    return root;
  }

  /**
   * Builds the command tree with every module's subcommands, resolving the relative paths a user
   * types (options and parameters of type {@code Path}) against {@code userDir}; defaults are left
   * as they are.
   *
   * @param userDir the directory the user ran {@code vigil} in, absolute
   * @return the configured picocli command line, ready to {@code execute}
   */
  public static CommandLine commandLine(Path userDir) {
    return tree(SUBCOMMANDS)
        .setExecutionStrategy(new UserDirectory(userDir, new CommandLine.RunLast()));
  }

  /**
   * Runs the command line and exits the JVM with the subcommand's exit code. Long-running
   * subcommands ({@code catalog}, {@code receiver}, {@code console}) return only once their server
   * has stopped.
   *
   * @param args the command line arguments, e.g. {@code ["slo", "validate", "slos/catalog.yaml"]}
   */
  public static void main(String[] args) {
    System.exit(commandLineFor(args).execute(args));
  }

  /** Reports the version recorded in the jar manifest at build time. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"vigil " + (v == null ? "dev" : v)};
    }
  }
}
