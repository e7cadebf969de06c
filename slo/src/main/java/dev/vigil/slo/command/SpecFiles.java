package dev.vigil.slo.command;

import dev.vigil.slo.model.Slo;
import dev.vigil.slo.spec.Note;
import dev.vigil.slo.spec.Problem;
import dev.vigil.slo.spec.SpecPositions;
import dev.vigil.slo.spec.SpecReader;
import dev.vigil.slo.validate.SloValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The spec arguments of the {@code slo} subcommands: files as given, directories expanded to their
 * {@code *.yaml} and {@code *.yml} files, read and checked the same way by every subcommand; every
 * problem carries the line and column of its field.
 */
final class SpecFiles {

  private SpecFiles() {}

  /**
   * Specs read from the arguments and checked by {@link SloValidator}.
   *
   * @param paths the spec files read, after expanding directories
   * @param slos every SLO read, valid or not
   * @param readProblems problems of reading and parsing (file, field, reason)
   * @param semanticProblems problems {@link SloValidator} found in the SLOs that were read
   * @param notes what the readers assumed or dropped (printed, never an error)
   * @param positions where the fields of the specs stand, to place later problems at their line
   */
  record Checked(
      List<Path> paths,
      List<Slo> slos,
      List<Problem> readProblems,
      List<Problem> semanticProblems,
      List<Note> notes,
      SpecPositions positions) {

    /**
     * @return the reading problems, then the semantic ones
     */
    List<Problem> problems() {
      List<Problem> all = new ArrayList<>(readProblems);
      all.addAll(semanticProblems);
      return all;
    }
  }

  /**
   * The valid SLOs of the spec arguments; every problem is printed instead.
   *
   * @param args files and directories, e.g. {@link SpecFilesParameter#paths()}
   * @param err where problems (and a directory that cannot be listed) are printed
   * @return the SLOs, or null when a spec has problems (already printed)
   */
  static List<Slo> validSlos(List<Path> args, PrintWriter err) {
    try {
      Checked read = readAndValidate(args);
      if (!read.problems().isEmpty()) {
        read.problems().forEach(err::println);
        return null;
      }
      return read.slos();
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return null;
    }
  }

  /**
   * Expands, reads and validates spec arguments.
   *
   * @param args files and directories as given on the command line
   * @return the SLOs with every problem found
   * @throws IOException when a directory cannot be listed
   */
  static Checked readAndValidate(List<Path> args) throws IOException {
    List<Problem> empty = new ArrayList<>();
    List<Path> paths = expand(args, empty);
    SpecReader.Result read = new SpecReader().read(paths);
    List<Problem> readProblems = new ArrayList<>(empty);
    readProblems.addAll(read.problems());
    return new Checked(
        paths,
        read.slos(),
        readProblems,
        read.positions().locate(new SloValidator().validate(read.slos())),
        read.notes(),
        read.positions());
  }

  /**
   * Directories are searched recursively for {@code .yaml} and {@code .yml} files (any case); a
   * directory without one is a problem, so that a wrong path never passes as "0 SLOs, all valid".
   */
  private static List<Path> expand(List<Path> args, List<Problem> problems) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : args) {
      if (Files.isDirectory(p)) {
        List<Path> found;
        try (Stream<Path> files = Files.walk(p)) {
          found = files.filter(Files::isRegularFile).filter(SpecFiles::isYaml).sorted().toList();
        }
        if (found.isEmpty()) {
          problems.add(
              new Problem(
                  p,
                  "(directory)",
                  "holds no *.yaml or *.yml spec (subdirectories included)",
                  "pass the spec files or the directory that holds them, e.g. slos/"));
        }
        out.addAll(found);
      } else {
        out.add(p);
      }
    }
    return out;
  }

  private static boolean isYaml(Path file) {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }
}
