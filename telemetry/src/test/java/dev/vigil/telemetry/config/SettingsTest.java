package dev.vigil.telemetry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  private static final Setting<Integer> POOL =
      Setting.integer("POOL", 10, 1, 500, "connections in the pool");
  private static final Setting<Duration> WAIT = Setting.duration("WAIT", "1m", "time | waited");
  private static final Setting<String> LEVEL =
      Setting.oneOf("LEVEL", "INFO", List.of("DEBUG", "INFO"), "log level, 100% of lines");

  @Test
  void eachKindReadsItsDefaultWhenUnsetAndTheValueWhenSet() {
    Environment unset = new Environment(Map.of());
    Environment set =
        new Environment(
            Map.of(
                "POOL", " 42 ",
                "WAIT", "1h30m",
                "LEVEL", "debug",
                "RATIO", "0.25",
                "URL", "https://example.test/",
                "TOKEN", "x".repeat(32)));

    assertThat(POOL.read(unset)).isEqualTo(10);
    assertThat(POOL.read(set)).isEqualTo(42);
    assertThat(WAIT.read(unset)).isEqualTo(Duration.ofMinutes(1));
    assertThat(WAIT.read(set)).isEqualTo(Duration.ofMinutes(90));
    assertThat(LEVEL.read(unset)).isEqualTo("INFO");
    assertThat(LEVEL.read(set)).isEqualTo("DEBUG");
    assertThat(Setting.ratio("RATIO", 0, "share").read(set)).isEqualTo(0.25);
    assertThat(Setting.url("URL", "http://127.0.0.1:1", "where").read(set))
        .isEqualTo(URI.create("https://example.test"));
    assertThat(Setting.token("TOKEN", "(unset: off)", "secret").read(unset)).isNull();
    assertThat(Setting.optional("TOKEN", "(unset)", "a text", "t").read(set)).hasSize(32);
  }

  @Test
  void aRefusedValueNamesTheVariableAndWhatIsAccepted() {
    Environment bad =
        new Environment(Map.of("POOL", "501", "LEVEL", "LOUD", "TOKEN", "short-token"));

    assertThatThrownBy(() -> POOL.read(bad))
        .hasMessageContaining("POOL='501'")
        .hasMessageContaining("1 to 500");
    assertThatThrownBy(() -> LEVEL.read(bad)).hasMessageContaining("one of DEBUG, INFO");
    assertThatThrownBy(() -> Setting.token("TOKEN", "(unset)", "secret").read(bad))
        .hasMessageContaining("TOKEN is 11 characters long")
        .hasMessageNotContaining("short-token");
  }

  @Test
  void theTableAndTheHelpShowEachSettingOnceWithItsDefaultAndAcceptedValues() {
    Settings settings = new Settings("svc", List.of(POOL, WAIT, LEVEL));

    assertThat(settings.markdownTable())
        .isEqualTo(
            "| variable | default | accepted | meaning |\n"
                + "|---|---|---|---|\n"
                + "| `POOL` | `10` | 1..500 | connections in the pool |\n"
                + "| `WAIT` | `1m` | duration: 250ms, 2s, 1m, 1h30m | time \\| waited |\n"
                + "| `LEVEL` | `INFO` | DEBUG, INFO | log level, 100% of lines |\n");
    // picocli formats the footer: %n breaks the line, a literal % is doubled
    assertThat(String.format(settings.helpText()))
        .contains("  POOL=10  connections in the pool [1..500]")
        .contains("  LEVEL=INFO  log level, 100% of lines [DEBUG, INFO]");
  }

  @Test
  void aDocumentHoldsTheTableBetweenItsServicesMarkers() {
    Settings settings = new Settings("svc", List.of(POOL));
    String doc =
        "intro\n<!-- settings:svc -->\n" + settings.markdownTable() + "<!-- /settings:svc -->\n";

    assertThat(settings.documentedIn(doc)).contains(settings.markdownTable());
    assertThat(new Settings("other", List.of(POOL)).documentedIn(doc)).isEmpty();
  }

  @Test
  void aNameDeclaredTwiceIsRefused() {
    Settings settings = new Settings("svc", List.of(POOL));

    assertThatThrownBy(() -> settings.and(List.of(POOL))).hasMessage("svc declares POOL twice");
  }
}
