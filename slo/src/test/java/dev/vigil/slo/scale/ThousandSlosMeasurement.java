package dev.vigil.slo.scale;

import dev.vigil.slo.generate.SloCompiler;
import dev.vigil.slo.spec.SpecReader;
import dev.vigil.slo.validate.SloValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Measures, by hand, the time to read, validate and generate 1,000 SLOs (100 services x 10 SLOs, half
 * availability and half latency, workbook tiers): everything {@code vigil slo generate} does except
 * writing the files. Not a test (no wall-clock asserts); run it with
 *
 * <pre>java -cp slo/target/classes:slo/target/test-classes:&lt;dependencies&gt; dev.vigil.slo.scale.ThousandSlosMeasurement</pre>
 *
 * and copy the figures to docs/performance.md. The first runs warm the JVM; report the fastest of the later runs and the machine load.
 */
public final class ThousandSlosMeasurement {

  private ThousandSlosMeasurement() {}

  /**
   * @param args unused
   * @throws Exception when the temporary specs cannot be written
   */
  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("vigil-slo-scale");
    for (int s = 0; s < 100; s++) {
      StringBuilder spec = new StringBuilder("apiVersion: vigil/v1\nservice: svc" + s + "\nslos:\n");
      for (int i = 0; i < 10; i++) {
        spec.append("  - name: slo").append(i).append("\n    objective: 99.").append(i).append("\n    period: ")
            .append(i % 2 == 0 ? "30d" : "28d").append("\n    sli:\n");
        if (i % 2 == 0) {
          spec.append("      events:\n        bad: sum(rate(http_requests_total{service=\"svc").append(s)
              .append("\",status=~\"5..\"}[{{window}}]))\n        total: sum(rate(http_requests_total{service=\"svc")
              .append(s).append("\"}[{{window}}]))\n");
        } else {
          spec.append("      latency:\n        metric: http_request_duration_seconds\n        selector: {service: svc")
              .append(s).append("}\n        threshold: 0.5\n");
        }
      }
      Files.writeString(dir.resolve("svc" + s + ".yaml"), spec);
    }
    List<Path> files;
    try (var list = Files.list(dir)) {
      files = list.sorted().toList();
    }
    for (int run = 1; run <= 5; run++) {
      long start = System.nanoTime();
      SpecReader.Result read = new SpecReader().read(files);
      long readDone = System.nanoTime();
      int problems = read.problems().size() + new SloValidator().validate(read.slos()).size();
      long validateDone = System.nanoTime();
      SloCompiler.Output out = new SloCompiler().compile(read.slos());
      long end = System.nanoTime();
      long bytes = out.files().values().stream().mapToLong(String::length).sum();
      System.out.printf("run %d: %d SLOs, %d problems: read %d ms, validate %d ms, generate %d ms (%d files, %d MB); total %d ms%n",
          run, read.slos().size(), problems, (readDone - start) / 1_000_000, (validateDone - readDone) / 1_000_000,
          (end - validateDone) / 1_000_000, out.files().size(), bytes / 1_000_000, (end - start) / 1_000_000);
    }
  }
}
