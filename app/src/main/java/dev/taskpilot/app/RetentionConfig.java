package dev.taskpilot.app;

import dev.taskpilot.workflows.retention.RetentionSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the retention sweep keeps, from {@code taskpilot.retention.*}; read by the processes that
 * serve the API, which hand it to the retention workflow.
 *
 * @param tasks how long finished tasks (with all their rows) and rows tied to no task are kept:
 *     {@code 30d}, {@code 720h}, ISO-8601 ({@code P30D}); {@code off} (or {@code 0}) keeps them for
 *     ever
 * @param interval how often the sweep runs
 * @param batchSize tasks (and rows of each other kind) deleted per transaction
 * @param secretsGrace how long after its end a finished task's leftover secrets (of a task whose
 *     workflow did not purge them) are purged; longer than the final notifications can take
 */
@ConfigurationProperties("taskpilot.retention")
public record RetentionConfig(
    @Bindable(defaultValue = "30d") String tasks,
    @Bindable(defaultValue = "1h") Duration interval,
    @Bindable(defaultValue = "500") int batchSize,
    @Bindable(defaultValue = "1d") Duration secretsGrace) {

  /** The shortest interval: a sweep costs a few queries even when nothing is due. */
  static final Duration MIN_INTERVAL = Duration.ofMinutes(1);

  private static final Pattern SHORT_FORM = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  /** The settings, or a {@link ConfigurationException} that names the key at fault. */
  public RetentionSettings settings() {
    Duration keepTasks = parseTasks(tasks);
    if (interval == null || interval.compareTo(MIN_INTERVAL) < 0) {
      throw new ConfigurationException(
          "taskpilot.retention.interval must be at least 1m: " + interval);
    }
    if (batchSize < 1 || batchSize > 10_000) {
      throw new ConfigurationException(
          "taskpilot.retention.batch-size must be between 1 and 10000: " + batchSize);
    }
    if (secretsGrace == null || !secretsGrace.isPositive()) {
      throw new ConfigurationException(
          "taskpilot.retention.secrets-grace must be positive: " + secretsGrace);
    }
    if (keepTasks != null && keepTasks.compareTo(secretsGrace) < 0) {
      throw new ConfigurationException(
          "taskpilot.retention.tasks ("
              + tasks
              + ") must not be shorter than taskpilot.retention.secrets-grace ("
              + secretsGrace
              + "): a task is not deleted while its last notifications may still need it");
    }
    return new RetentionSettings(interval, keepTasks, secretsGrace, batchSize);
  }

  /** How long finished tasks are kept; null for {@code off} or zero (for ever). */
  static Duration parseTasks(String value) {
    String text = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    if (text.equals("off") || text.equals("0")) {
      return null;
    }
    Duration parsed = null;
    Matcher shortForm = SHORT_FORM.matcher(text);
    if (shortForm.matches()) {
      long amount = Long.parseLong(shortForm.group(1));
      parsed =
          switch (shortForm.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
    } else {
      try {
        parsed = Duration.parse(text.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    if (parsed == null || parsed.isNegative()) {
      throw new ConfigurationException(
          "taskpilot.retention.tasks must be a duration (30d, 720h, P30D) or off: '" + value + "'");
    }
    return parsed.isZero() ? null : parsed;
  }
}
