package dev.taskpilot.api.fleet;

import java.util.Map;

/**
 * The configured agent profiles and their fleet-wide slot capacity, as this process's configuration
 * says ({@code taskpilot.agents.*} and {@code taskpilot.slots.*}); the application provides it, the
 * API module not knowing the worker's configuration classes.
 */
public interface AgentCapacities {
  /** Every configured profile's capacity, by name. */
  Map<String, Integer> configured();

  /** The capacity of any agent name, configured or not (the default limit then). */
  int capacityOf(String agent);
}
