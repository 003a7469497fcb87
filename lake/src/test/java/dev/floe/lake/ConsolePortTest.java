package dev.floe.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's port among the lake's settings (kept apart from LakeSettingsTest). */
class ConsolePortTest {

  @Test
  void theConsoleIsOn8090UnlessFloeConsolePortSaysOtherwise() {
    assertThat(LakeCli.settings(List.of(), Map.of()).consolePort()).isEqualTo(8090);
    assertThat(LakeCli.settings(List.of(), Map.of("FLOE_CONSOLE_PORT", "18090")).consolePort())
        .isEqualTo(18090);
  }

  @Test
  void theJavaBuilderTakesAFreePortSoEmbeddingCodeNeverCollidesWithFloeUp() {
    assertThat(
            LakeSettings.builder(dev.floe.infra.StackSettings.fromEnvironment(Map.of()))
                .build()
                .consolePort())
        .isZero();
  }

  @Test
  void aClashWithAnotherComponentNamesBothVariables() {
    assertThatThrownBy(() -> LakeCli.settings(List.of(), Map.of("FLOE_CONSOLE_PORT", "8081")))
        .hasMessage("FLOE_QUERY_PORT and FLOE_CONSOLE_PORT must differ, both are 8081");
    assertThatThrownBy(() -> LakeCli.settings(List.of(), Map.of("FLOE_CONSOLE_PORT", "x")))
        .hasMessage("FLOE_CONSOLE_PORT must be a whole number, got 'x'");
  }

  @Test
  void replicasStepOverTheConsolePort() {
    assertThat(
            LakeCli.settings(
                    List.of("--producers", "3"),
                    Map.of("FLOE_PRODUCER_PORT", "9000", "FLOE_CONSOLE_PORT", "9002"))
                .producerPorts())
        .containsExactly(9000, 9001, 9003);
  }
}
