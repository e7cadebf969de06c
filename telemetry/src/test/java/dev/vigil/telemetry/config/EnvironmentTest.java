package dev.vigil.telemetry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentTest {

  @Test
  void unsetOrBlankVariablesTakeTheirDefaults() {
    Environment env = new Environment(Map.of("BLANK", "  "));

    assertThat(env.integer("BLANK", 8000, 0, 65535)).isEqualTo(8000);
    assertThat(env.ratio("UNSET", 0.5)).isEqualTo(0.5);
    assertThat(env.duration("UNSET", "10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(env.url("UNSET", "http://127.0.0.1:8001/"))
        .isEqualTo(URI.create("http://127.0.0.1:8001"));
    assertThat(env.text("BLANK", "fallback")).isEqualTo("fallback");
  }

  @Test
  void valuesAreTrimmedAndParsedInTheirUnits() {
    Environment env =
        new Environment(
            Map.of(
                "PORT",
                " 9000 ",
                "RATE",
                "0.25",
                "SLOW",
                "250ms",
                "GRACE",
                "3s",
                "URL",
                "https://pay.example:8443/"));

    assertThat(env.integer("PORT", 8000, 0, 65535)).isEqualTo(9000);
    assertThat(env.ratio("RATE", 0)).isEqualTo(0.25);
    assertThat(env.duration("SLOW", "500ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(env.duration("GRACE", "10s")).isEqualTo(Duration.ofSeconds(3));
    assertThat(env.url("URL", "http://127.0.0.1:8001"))
        .isEqualTo(URI.create("https://pay.example:8443"));
  }

  /**
   * Issue 26: durations took only ms and s, so {@code VIGIL_RECONCILE_INTERVAL=1m} was refused.
   * Every duration setting reads Prometheus' grammar, the one drills and rules use.
   */
  @Test
  void durationsAreReadInPrometheusGrammarLikeEveryOtherDurationOfVigil() {
    Environment env =
        new Environment(
            Map.of("VIGIL_RECONCILE_INTERVAL", "1m", "LONG", "1h30m", "SHORT", "1500ms"));

    assertThat(env.duration("VIGIL_RECONCILE_INTERVAL", "30s")).isEqualTo(Duration.ofMinutes(1));
    assertThat(env.duration("LONG", "10s")).isEqualTo(Duration.ofMinutes(90));
    assertThat(env.duration("SHORT", "10s")).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void aBadValueNamesTheVariableTheValueAndWhatIsAccepted() {
    Environment env =
        new Environment(
            Map.of("PORT", "70000", "RATE", "1.5", "GRACE", "10 minutes", "URL", "ftp://host/"));

    assertThatThrownBy(() -> env.integer("PORT", 8000, 0, 65535))
        .hasMessage(
            "invalid configuration: PORT='70000' is not accepted; expected an integer from 0 to 65535"
                + " (default 8000)");
    assertThatThrownBy(() -> env.ratio("RATE", 0))
        .hasMessageContaining("RATE='1.5'")
        .hasMessageContaining("a ratio from 0 to 1");
    assertThatThrownBy(() -> env.duration("GRACE", "10s"))
        .hasMessageContaining("GRACE='10 minutes'")
        .hasMessageContaining("such as 250ms or 2s")
        .hasMessageContaining("1h30m");
    assertThatThrownBy(() -> env.url("URL", "http://127.0.0.1:8001"))
        .hasMessageContaining("URL='ftp://host/'")
        .hasMessageContaining("an http(s) URL");
  }

  @Test
  void unknownTelemetrySwitchesAreAConfigurationError() {
    Environment env = new Environment(Map.of("VIGIL_TELEMETRY", "metrics,telepathy"));

    assertThatThrownBy(env::telemetrySwitches)
        .hasMessageStartingWith("invalid configuration: ")
        .hasMessageContaining("telepathy");
  }
}
