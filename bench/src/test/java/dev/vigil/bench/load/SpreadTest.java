package dev.vigil.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

  @Test
  void medianOfAnOddCountIsTheMiddleValue() {
    Spread s = Spread.of(List.of(30.0, 10.0, 20.0));

    assertThat(s.median()).isEqualTo(20.0);
    assertThat(s.min()).isEqualTo(10.0);
    assertThat(s.max()).isEqualTo(30.0);
    assertThat(s.format(1)).isEqualTo("20.0 (10.0–30.0)");
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Spread.of(List.of(4.0, 1.0, 3.0, 2.0)).median()).isEqualTo(2.5);
  }

  @Test
  void noMeasurementsIsAnError() {
    assertThatThrownBy(() -> Spread.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one round");
  }
}
