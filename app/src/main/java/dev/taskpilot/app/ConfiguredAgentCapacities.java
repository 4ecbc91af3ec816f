package dev.taskpilot.app;

import dev.taskpilot.activities.agent.profile.AgentProfiles;
import dev.taskpilot.activities.slots.SlotsConfig;
import dev.taskpilot.api.fleet.AgentCapacities;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * The fleet view's agent capacities from this process's configuration: the profiles of {@code
 * taskpilot.agents.*} and their limits of {@code taskpilot.slots.max-runs} (else {@code
 * default-max-runs}), the same the workers grant slots by when they are configured alike.
 */
@Singleton
class ConfiguredAgentCapacities implements AgentCapacities {
  private final AgentProfiles profiles;
  private final SlotsConfig slots;

  ConfiguredAgentCapacities(AgentProfiles profiles, SlotsConfig slots) {
    this.profiles = profiles;
    this.slots = slots;
  }

  @Override
  public Map<String, Integer> configured() {
    return slots.maxRunsOf(profiles.names());
  }

  @Override
  public int capacityOf(String agent) {
    return slots.maxRunsOf(agent);
  }
}
