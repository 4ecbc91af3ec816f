package dev.taskpilot.activities.slots;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fleet-wide agent run limits, under {@code taskpilot.slots}.
 *
 * @param defaultMaxRuns concurrent runs per agent profile across the fleet
 * @param maxRuns per-profile limits that override the default, by profile name
 * @param lease how long a granted slot lives without renewal (a dead worker's slot, or a grant
 *     nobody took up, is freed after it); the running agent renews it
 * @param waitingLease how long a waiting claim lives without renewal; its workflow renews it every
 *     30 minutes (its safety-net timer), so this must be longer
 * @param pollInterval how often a wait of the polling kind (workflows started before slots were
 *     granted by signal) asks again
 */
@ConfigurationProperties("taskpilot.slots")
public record SlotsConfig(
    @Bindable(defaultValue = "2") int defaultMaxRuns,
    @Nullable Map<String, Integer> maxRuns,
    @Bindable(defaultValue = "60s") Duration lease,
    @Bindable(defaultValue = "2h") Duration waitingLease,
    @Bindable(defaultValue = "500ms") Duration pollInterval) {

  /** The limit of a profile. */
  public int maxRunsOf(String agent) {
    return maxRuns != null && maxRuns.containsKey(agent) ? maxRuns.get(agent) : defaultMaxRuns;
  }

  /** The limits of the profiles, by name, in their order (the fleet registry and its view). */
  public Map<String, Integer> maxRunsOf(Collection<String> agents) {
    Map<String, Integer> limits = new LinkedHashMap<>();
    agents.forEach(agent -> limits.put(agent, maxRunsOf(agent)));
    return limits;
  }
}
