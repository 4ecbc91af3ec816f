package dev.taskpilot.activities.agent.profile;

import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The configured agent profiles, by name. */
@Singleton
public class AgentProfiles {
  private final Map<String, AgentProfile> byName;

  public AgentProfiles(List<AgentProfile> profiles) {
    Map<String, AgentProfile> sorted = new TreeMap<>();
    profiles.forEach(profile -> sorted.put(profile.name(), profile));
    this.byName = sorted;
  }

  /** The profile called {@code name}, empty when none is configured (or the name is null). */
  public Optional<AgentProfile> find(String name) {
    return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
  }

  /** Every configured profile, sorted by name. */
  public List<AgentProfile> all() {
    return List.copyOf(byName.values());
  }

  /** The names of all configured profiles, sorted. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }
}
