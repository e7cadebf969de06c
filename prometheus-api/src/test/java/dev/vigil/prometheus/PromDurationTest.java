package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromDurationTest {

  /** Strings on both sides of Prometheus' grammar: each is checked against promtool below. */
  private static final List<String> CANDIDATES =
      List.of(
          "5m",
          "1h30m",
          "2w",
          "30d",
          "1y",
          "1d500ms",
          "500ms",
          "0",
          "0s",
          "1h0m",
          "90m",
          "1y2w3d4h5m6s7ms",
          "292y",
          "293y",
          "106751d",
          "106752d",
          "9223372036854ms",
          "9223372036855ms",
          "99999999999999999999s",
          "",
          "5",
          "1m1h",
          "5m5m",
          "1.5h",
          "-5m",
          "+5m",
          " 5m",
          "5m ",
          "5 m",
          "5M",
          "1H",
          "5min",
          "ms",
          "m",
          "1µs",
          "1ns",
          "1us",
          "1h30",
          "00",
          "07m",
          "0d0h");

  @Test
  void parsesCompoundDurations() {
    assertThat(PromDuration.parse("5m").toDuration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(PromDuration.parse("1h30m").toDuration()).isEqualTo(Duration.ofMinutes(90));
    assertThat(PromDuration.parse("1d500ms").toDuration())
        .isEqualTo(Duration.ofDays(1).plusMillis(500));
    assertThat(PromDuration.parse("2w").toDuration()).isEqualTo(Duration.ofDays(14));
    assertThat(PromDuration.parse("1y").toDuration()).isEqualTo(Duration.ofDays(365));
    assertThat(PromDuration.parse("0").toDuration()).isEqualTo(Duration.ZERO);
  }

  @Test
  void writesTheLargestUnitThatDividesExactly() {
    assertThat(PromDuration.parse("60m")).hasToString("1h");
    assertThat(PromDuration.parse("1h30m")).hasToString("90m");
    assertThat(PromDuration.parse("2w")).hasToString("14d");
    assertThat(PromDuration.parse("1500ms")).hasToString("1500ms");
    assertThat(PromDuration.parse("0")).hasToString("0s");
    assertThat(PromDuration.ofMinutes(1440)).hasToString("1d");
  }

  @Test
  void whatItWritesParsesBackToTheSameLength() {
    for (String text : List.of("1y2w3d4h5m6s7ms", "30d", "1h30m", "61s", "1500ms", "0")) {
      PromDuration d = PromDuration.parse(text);
      assertThat(PromDuration.parse(d.toString())).as(text).isEqualTo(d);
    }
  }

  @Test
  void shortensByTheDivisorRoundingUpButNotBelowTheFloor() {
    assertThat(PromDuration.parse("10m").shorten(30, 10)).hasToString("20s");
    assertThat(PromDuration.parse("5m").shorten(30, 10)).hasToString("10s");
    assertThat(PromDuration.parse("2m").shorten(30, 10)).hasToString("10s");
    assertThat(PromDuration.parse("301s").shorten(30, 1)).hasToString("11s");
  }

  @Test
  void neverLengthensADuration() {
    assertThat(PromDuration.parse("5s").shorten(30, 10)).hasToString("5s");
    assertThat(PromDuration.parse("0s").shorten(30, 10)).hasToString("0s");
  }

  @Test
  void rejectsTextThatIsNoDurationSayingHowToWriteOne() {
    assertThatThrownBy(() -> PromDuration.parse("5 minutes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("'5 minutes' is not a duration")
        .hasMessageContaining("e.g. 30d, 5m or 1h30m");
  }

  @Test
  void aZeroSloWindowIsRejected() {
    assertThatThrownBy(() -> PromDuration.parsePositive("0d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be positive");
    assertThat(PromDuration.parsePositive("28d").toDuration()).isEqualTo(Duration.ofDays(28));
  }

  /**
   * The oracle: promtool (Prometheus' own parser) checks a rule whose {@code for} is each
   * candidate; a string is a duration for vigil exactly when promtool accepts it.
   */
  @Test
  void acceptsExactlyTheStringsPromtoolAccepts(@TempDir Path dir) throws IOException {
    List<String> disagreements = new ArrayList<>();
    int accepted = 0;
    for (int i = 0; i < CANDIDATES.size(); i++) {
      String text = CANDIDATES.get(i);
      Path rules = dir.resolve("rules-" + i + ".yml");
      Files.writeString(
          rules,
          """
          groups:
            - name: duration
              rules:
                - alert: DurationProbe
                  expr: vector(1)
                  for: "%s"
          """
              .formatted(text));
      PrometheusTool.Result check =
          PrometheusTool.PROMTOOL.run(dir, "check", "rules", rules.toString());
      boolean promtoolAccepts = check.succeeded();
      boolean vigilAccepts;
      try {
        PromDuration.parse(text);
        vigilAccepts = true;
      } catch (IllegalArgumentException e) {
        vigilAccepts = false;
      }
      if (promtoolAccepts) {
        accepted++;
      }
      if (promtoolAccepts != vigilAccepts) {
        disagreements.add(
            "'"
                + text
                + "': promtool "
                + (promtoolAccepts ? "accepts" : "rejects")
                + ", vigil "
                + (vigilAccepts ? "accepts" : "rejects")
                + (promtoolAccepts ? "" : " (promtool: " + check.output().strip() + ")"));
      }
    }
    assertThat(disagreements)
        .as("strings where vigil's duration grammar differs from Prometheus'")
        .isEmpty();
    assertThat(accepted)
        .as("candidates promtool accepts (both sides of the grammar are probed)")
        .isBetween(5, CANDIDATES.size() - 5);
  }
}
