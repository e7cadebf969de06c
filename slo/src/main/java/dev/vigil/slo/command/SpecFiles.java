package dev.vigil.slo.command;

import dev.vigil.slo.model.Slo;
import dev.vigil.slo.spec.Problem;
import dev.vigil.slo.spec.SpecReader;
import dev.vigil.slo.validate.SloValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The spec arguments of the {@code slo} subcommands: files as given, directories expanded to their
 * {@code *.yaml} and {@code *.yml} files, read and checked the same way by every subcommand.
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
   */
  record Checked(List<Path> paths, List<Slo> slos, List<Problem> readProblems, List<Problem> semanticProblems) {

    /** @return the reading problems, then the semantic ones */
    List<Problem> problems() {
      List<Problem> all = new ArrayList<>(readProblems);
      all.addAll(semanticProblems);
      return all;
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
    List<Path> paths = expand(args);
    SpecReader.Result read = new SpecReader().read(paths);
    return new Checked(paths, read.slos(), read.problems(), new SloValidator().validate(read.slos()));
  }

  private static List<Path> expand(List<Path> args) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : args) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> files = Files.list(p)) {
          files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().forEach(out::add);
        }
      } else {
        out.add(p);
      }
    }
    return out;
  }
}
