package dev.vigil.slo.command;

import dev.vigil.slo.spec.OpenSloWriter;
import dev.vigil.slo.spec.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil slo convert --to openslo SPEC... [--out FILE]}: writes the SLOs of specs in any
 * format vigil reads as OpenSLO {@code openslo/v1} documents (see {@link OpenSloWriter}), to
 * standard output or a file. Refuses to write anything when a spec has problems. Exit 0 written, 1
 * invalid spec, 2 usage error.
 */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description =
        "Write SLO specs (vigil/v1, openslo/v1, Sloth prometheus/v1) as OpenSLO v1 documents; vigil reads them back unchanged.",
    exitCodeOnInvalidInput = 2)
public final class ConvertCommand implements Callable<Integer> {

  /** The formats written. */
  enum Format {
    openslo
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--to",
      paramLabel = "FORMAT",
      required = true,
      description = "Format to write: ${COMPLETION-CANDIDATES}.")
  Format to;

  @Parameters(
      arity = "1..*",
      paramLabel = "SPEC",
      description = "Spec files or directories of *.yaml specs.")
  List<Path> files;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write to this file instead of standard output.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      SpecFiles.Checked read = SpecFiles.readAndValidate(files);
      read.notes().forEach(n -> err.println("note: " + n));
      List<Problem> problems = read.problems();
      if (!problems.isEmpty()) {
        problems.forEach(err::println);
        err.println(problems.size() + " problem(s); nothing written.");
        return 1;
      }
      String text = new OpenSloWriter().write(read.slos());
      if (out == null) {
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
      } else {
        Files.writeString(out, text);
        spec.commandLine().getOut().println("wrote " + out);
      }
      return 0;
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }
}
