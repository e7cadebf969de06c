package dev.vigil.slo.command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Parameters;

/**
 * The spec files every {@code vigil slo} command that reads specs takes (a picocli mixin): files or
 * directories of {@code *.yaml} specs, {@code slos} when none is named. The one place the default
 * is written.
 */
public final class SpecFilesParameter {

  /** The directory read when no spec is named, relative to the working directory. */
  static final Path DEFAULT = Path.of("slos");

  @Parameters(
      arity = "0..*",
      paramLabel = "SPEC",
      description = "Spec files or directories of *.yaml specs (default: slos)")
  List<Path> files = new ArrayList<>();

  /**
   * The specs to read.
   *
   * @return the files and directories named, or {@code slos} when none was
   */
  List<Path> paths() {
    return files.isEmpty() ? List.of(DEFAULT) : List.copyOf(files);
  }
}
