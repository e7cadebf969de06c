package dev.vigil.slo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The default tiers, read from the windows catalogue, are the SRE Workbook's table (chapter 5,
 * "Alerting on SLOs", table 5-8, plus Sloth's 1-day ticket), written out here independently.
 */
class WindowsCatalogueTest {

  @Test
  void theDefaultTiersAreTheWorkbooksTable() {
    assertThat(AlertPolicy.WORKBOOK_TIERS)
        .extracting(
            AlertTier::name,
            AlertTier::severity,
            t -> t.budgetPercent().toPlainString(),
            t -> t.longWindow().toString(),
            t -> t.shortWindow().toString(),
            t -> t.forDuration().seconds(),
            AlertTier::enabled)
        .containsExactly(
            tuple("page-1h", "critical", "2", "1h", "5m", 0L, true),
            tuple("page-6h", "critical", "5", "6h", "30m", 0L, true),
            tuple("ticket-1d", "warning", "10", "1d", "2h", 0L, true),
            tuple("ticket-3d", "warning", "10", "3d", "6h", 0L, true));
  }

  @Test
  void aMissingCatalogueIsAPackagingErrorThatNamesIt() {
    assertThatThrownBy(() -> WindowsCatalogue.load("no-such-windows.yaml"))
        .hasMessageContaining("no-such-windows.yaml is missing");
  }

  @Test
  void aCatalogueOfOneTierIsReadAsWritten() {
    AlertTier tier = WindowsCatalogue.load("windows-one.yaml").get(0);

    assertThat(tier.name()).isEqualTo("fast");
    assertThat(tier.pages()).isTrue();
    assertThat(tier.budgetPercent()).isEqualByComparingTo("1.5");
    assertThat(tier.longWindow().seconds()).isEqualTo(1800);
    assertThat(tier.shortWindow().seconds()).isEqualTo(180);
    // 1.5% of a 30-day budget in 30 minutes: 0.015 x 720h / 0.5h = 21.6
    assertThat(tier.factor(Period.rolling(dev.vigil.prometheus.PromDuration.parse("30d"))))
        .isEqualByComparingTo("21.6");
  }

  @ParameterizedTest
  @CsvSource({
    "windows-bad-severity.yaml, 'tier a: severity must be critical or warning'",
    "windows-duplicate.yaml, 'tier a: name must be a name no other tier has'",
    "windows-short-not-shorter.yaml, 'tier a: shortWindow must be shorter than longWindow'",
    "windows-missing-field.yaml, 'tier a: shortWindow must be a value'",
    "windows-empty.yaml, 'windows-empty.yaml has no tiers'"
  })
  void aMalformedCatalogueNamesItsTierAndField(String resource, String message) {
    assertThatThrownBy(() -> WindowsCatalogue.load(resource))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(message);
  }
}
