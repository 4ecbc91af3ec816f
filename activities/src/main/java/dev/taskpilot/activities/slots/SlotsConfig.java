package dev.taskpilot.activities.slots;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.Map;

/**
 * Fleet-wide agent run limits, under {@code taskpilot.slots}.
 *
 * @param defaultMaxRuns concurrent runs per agent profile across the fleet
 * @param maxRuns per-profile limits that override the default, by profile name
 * @param lease how long a claim lives without renewal (a dead worker's claim expires after it)
 * @param pollInterval how often a waiting claim asks again
 */
@ConfigurationProperties("taskpilot.slots")
public record SlotsConfig(
    @Bindable(defaultValue = "2") int defaultMaxRuns,
    @Nullable Map<String, Integer> maxRuns,
    @Bindable(defaultValue = "60s") Duration lease,
    @Bindable(defaultValue = "500ms") Duration pollInterval) {

  /** The limit of a profile. */
  public int maxRunsOf(String agent) {
    return maxRuns != null && maxRuns.containsKey(agent) ? maxRuns.get(agent) : defaultMaxRuns;
  }
}
