package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskpilot.workflows.retention.RetentionSettings;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code taskpilot.retention.*}: the spellings of an age, "off", and the values refused. */
class RetentionConfigTest {

  @ParameterizedTest
  @CsvSource({"30d, P30D", "720h, P30D", "P30D, P30D", "p7d, P7D", "PT36H, PT36H", "90m, PT1H30M"})
  void shouldReadAnAgeInEverySpelling(String value, String expected) {
    assertThat(RetentionConfig.parseTasks(value)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"off", "OFF", " off ", "0", "0d", "PT0S"})
  void shouldKeepTasksForEverWhenOffOrZero(String value) {
    assertThat(RetentionConfig.parseTasks(value)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "", "-5d", "30 days", "P-1D"})
  void shouldRefuseWhatIsNotAnAge(String value) {
    assertThatThrownBy(() -> RetentionConfig.parseTasks(value))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("taskpilot.retention.tasks");
  }

  @Test
  void shouldGiveTheSettingsOfTheDefaults() {
    // when
    RetentionSettings settings =
        new RetentionConfig("30d", Duration.ofHours(1), 500, Duration.ofDays(1)).settings();

    // then
    assertThat(settings)
        .isEqualTo(
            new RetentionSettings(
                Duration.ofHours(1), Duration.ofDays(30), Duration.ofDays(1), 500));
  }

  @Test
  void shouldRefuseTasksKeptShorterThanTheirSecrets() {
    assertThatThrownBy(
            () ->
                new RetentionConfig("2h", Duration.ofHours(1), 500, Duration.ofDays(1)).settings())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("must not be shorter than taskpilot.retention.secrets-grace");
  }

  @Test
  void shouldRefuseAnIntervalUnderAMinuteAndABadBatchSize() {
    assertThatThrownBy(
            () ->
                new RetentionConfig("30d", Duration.ofSeconds(5), 500, Duration.ofDays(1))
                    .settings())
        .hasMessageContaining("taskpilot.retention.interval");
    assertThatThrownBy(
            () -> new RetentionConfig("30d", Duration.ofHours(1), 0, Duration.ofDays(1)).settings())
        .hasMessageContaining("taskpilot.retention.batch-size");
  }
}
