package dev.vigil.slo.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.slo.command.SloCommand;
import dev.vigil.slo.model.AlertPolicy;
import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.Period;
import dev.vigil.slo.model.Sli;
import dev.vigil.slo.model.Slo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import picocli.CommandLine;

/**
 * vigil -> OpenSLO -> vigil gives the SLO it started from: random SLO models (every SLI kind,
 * events with bad or good, latency, Timeslices and RatioTimeslices; rolling and calendar periods in
 * several time zones; workbook tiers partly disabled or with {@code for}, OpenSLO-style fixed
 * factors; labels and descriptions with YAML's special characters) written by {@link
 * OpenSloWriter}, read by {@link SpecReader}, compared field by field (only the file and the field
 * path they came from differ).
 */
class OpenSloRoundTripTest {

  /** SLOs generated per run (jqwik tries). */
  static final int TRIES = 200;

  private static final Path ROOT =
      Path.of(System.getProperty("vigil.root", "..")).toAbsolutePath().normalize();

  @Property(tries = TRIES)
  void anSloWrittenAsOpenSloReadsBackIdentical(@ForAll("slos") Slo slo) throws Exception {
    assertRoundTrip(List.of(slo));
  }

  @Example
  void theCatalogsSlosConvertedByTheCliReadBackIdentical() throws Exception {
    List<Slo> catalog = new SpecReader().read(List.of(ROOT.resolve("slos/catalog.yaml"))).slos();
    assertThat(catalog).hasSize(4);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SloCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code =
        cli.execute("convert", "--to", "openslo", ROOT.resolve("slos/catalog.yaml").toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("apiVersion: openslo/v1", "budgetingMethod: Timeslices");
    Path file = Files.createTempFile("vigil-openslo-", ".yaml");
    try {
      Files.writeString(file, out.toString());
      SpecReader.Result back = new SpecReader().read(List.of(file));
      assertThat(back.problems()).isEmpty();
      assertThat(back.slos()).hasSize(catalog.size());
      for (int i = 0; i < catalog.size(); i++) {
        assertThat(back.slos().get(i)).isEqualTo(from(catalog.get(i), back.slos().get(i)));
      }
    } finally {
      Files.delete(file);
    }
  }

  private static void assertRoundTrip(List<Slo> slos) throws Exception {
    String text = new OpenSloWriter().write(slos);
    Path file = Files.createTempFile("vigil-openslo-", ".yaml");
    try {
      Files.writeString(file, text);
      SpecReader.Result back = new SpecReader().read(List.of(file));
      assertThat(back.problems()).as("reading back:%n%s", text).isEmpty();
      assertThat(back.slos()).as(text).hasSize(slos.size());
      for (int i = 0; i < slos.size(); i++) {
        assertThat(back.slos().get(i))
            .as("written as:%n%s", text)
            .isEqualTo(from(slos.get(i), back.slos().get(i)));
      }
    } finally {
      Files.delete(file);
    }
  }

  /** {@code slo} as read from {@code read}'s file and field path. */
  private static Slo from(Slo slo, Slo read) {
    return new Slo(
        read.source(),
        read.path(),
        slo.service(),
        slo.name(),
        slo.description(),
        slo.objectivePercent(),
        slo.period(),
        slo.sli(),
        slo.alerting(),
        slo.labels());
  }

  @Provide
  Arbitrary<Slo> slos() {
    Arbitrary<String> service = Arbitraries.of("catalog", "payments", "search-api");
    Arbitrary<String> name =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .numeric()
            .ofMinLength(1)
            .ofMaxLength(12)
            .filter(n -> Character.isLetter(n.charAt(0)));
    Arbitrary<String> description =
        Arbitraries.strings()
            .alpha()
            .numeric()
            .withChars(" :#'\"-{}[],&*!|>%@`\\é✓")
            .ofMaxLength(60);
    Arbitrary<BigDecimal> objective =
        Arbitraries.oneOf(
            Arbitraries.bigDecimals()
                .between(new BigDecimal("50"), new BigDecimal("99"))
                .ofScale(0),
            Arbitraries.bigDecimals()
                .between(new BigDecimal("50"), new BigDecimal("99.999"))
                .ofScale(3));
    Arbitrary<Period> period =
        Arbitraries.oneOf(
            Arbitraries.of("7d", "28d", "30d", "4w", "90d")
                .map(d -> Period.rolling(PromDuration.parse(d))),
            Combinators.combine(
                    Arbitraries.of("month", "quarter"),
                    Arbitraries.of("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"))
                .as((unit, zone) -> Period.calendar(unit, ZoneId.of(zone))));
    Arbitrary<Map<String, String>> labels =
        Arbitraries.maps(
                Arbitraries.strings()
                    .withCharRange('a', 'z')
                    .withChars('_')
                    .ofMinLength(1)
                    .ofMaxLength(8),
                Arbitraries.oneOf(
                    Arbitraries.of("2", "true", "null", "on", "1.5", "a b", "x: y"),
                    Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)))
            .ofMaxSize(3);
    return Combinators.combine(
            service, name, description, objective, period, labels, kind(), policy())
        .as(
            (svc, n, d, o, p, l, k, a) ->
                new Slo(Path.of("drawn.yaml"), "slos[0]", svc, n, d, o, p, sli(k, svc, n), a, l));
  }

  /** SLI kinds with their parameters; the time slice verdicts depend on service and name. */
  record Kind(String kind, String query, BigDecimal value, String slice) {}

  private static Arbitrary<Kind> kind() {
    Arbitrary<String> query =
        Arbitraries.of(
            "sum(rate(http_requests_total{service=\"x\",status=~\"5..\"}[{{window}}]))",
            "sum by (job) (rate(errors_total{env!=\"dev\"}[{{window}}]))",
            "rate(a_total[{{window}}])");
    return Arbitraries.oneOf(
        query.map(q -> new Kind("bad", q, null, null)),
        query.map(q -> new Kind("good", q, null, null)),
        Arbitraries.of("0.25", "0.5", "1", "2.5", "10")
            .map(t -> new Kind("latency", null, new BigDecimal(t), null)),
        Combinators.combine(
                Arbitraries.of("0.75", "1", "0.5", "0.999"), Arbitraries.of("1m", "2m", "5m"))
            .as((t, w) -> new Kind("timeslices", null, new BigDecimal(t), w)),
        Arbitraries.of("1m", "5m").map(w -> new Kind("ratio-timeslices", null, null, w)));
  }

  private static Sli sli(Kind k, String service, String name) {
    String total = "sum(rate(http_requests_total{service=\"x\"}[{{window}}]))";
    return switch (k.kind()) {
      case "bad" -> new Sli.Events(k.query(), null, total);
      case "good" -> new Sli.Events(null, k.query(), total);
      case "latency" ->
          new Sli.Latency("http_request_duration_seconds", Map.of("service", service), k.value());
      default ->
          new Sli.Timeslices(
              "avg_over_time(probe_success{job=\"blackbox\",service=\""
                  + service
                  + "\"}[{{window}}])",
              PromDuration.parse(k.slice()),
              k.value(),
              Sli.Timeslices.verdictsOf(service, name));
    };
  }

  private static Arbitrary<AlertPolicy> policy() {
    Arbitrary<List<Boolean>> enabled = Arbitraries.of(true, true, false).list().ofSize(4);
    Arbitrary<String> forDuration = Arbitraries.of("0s", "0s", "2m", "1h");
    // the factor OpenSLO states directly, or none (computed from the budget share)
    Arbitrary<String> fixed = Arbitraries.of("", "14.4", "6", "3", "1");
    return Combinators.combine(
            enabled,
            forDuration,
            fixed,
            Arbitraries.longs().between(0, 1000),
            Arbitraries.of("5m", "10m", "1h"),
            Arbitraries.of("0s", "5m", "30m"))
        .as(
            (on, f, factor, minEvents, absent, exhausted) -> {
              List<AlertTier> tiers = new ArrayList<>();
              for (int i = 0; i < AlertPolicy.WORKBOOK_TIERS.size(); i++) {
                AlertTier t = AlertPolicy.WORKBOOK_TIERS.get(i);
                tiers.add(
                    new AlertTier(
                        t.name(),
                        t.severity(),
                        t.budgetPercent(),
                        t.longWindow(),
                        t.shortWindow(),
                        i == 0 ? PromDuration.parse(f) : t.forDuration(),
                        on.get(i),
                        i == 1 && !factor.isEmpty() ? new BigDecimal(factor) : null));
              }
              return new AlertPolicy(
                  tiers, minEvents, PromDuration.parse(absent), PromDuration.parse(exhausted));
            });
  }
}
