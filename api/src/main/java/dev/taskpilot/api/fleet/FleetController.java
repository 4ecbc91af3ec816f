package dev.taskpilot.api.fleet;

import dev.taskpilot.api.auth.Roles;
import dev.taskpilot.store.FleetConfig;
import dev.taskpilot.store.WorkerRecord;
import dev.taskpilot.store.WorkerRegistry;
import dev.taskpilot.store.WorkerRegistry.RunningClaim;
import dev.taskpilot.store.WorkerRegistry.SlotCounts;
import io.micronaut.core.type.Argument;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Fleet page's data: the workers of the registry and the agent slots per profile. Admins only:
 * it shows hosts and every owner's running tasks.
 */
@Controller("/api/v1/fleet")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
class FleetController {
  private static final Argument<Map<String, Integer>> CAPACITIES =
      Argument.mapOf(String.class, Integer.class);

  private final WorkerRegistry registry;
  private final FleetConfig config;
  private final AgentCapacities capacities;
  private final JsonMapper json;

  FleetController(
      WorkerRegistry registry, FleetConfig config, AgentCapacities capacities, JsonMapper json) {
    this.registry = registry;
    this.config = config;
    this.capacities = capacities;
    this.json = json;
  }

  @Get
  FleetView fleet() {
    Instant now = Instant.now();
    Instant aliveSince = now.minus(config.aliveWindow());
    Map<String, List<FleetView.Run>> runs = new HashMap<>();
    for (RunningClaim claim : registry.runningClaims()) {
      if (claim.holder() != null) {
        runs.computeIfAbsent(claim.holder(), holder -> new ArrayList<>())
            .add(new FleetView.Run(claim.taskId(), claim.agent(), claim.since()));
      }
    }
    List<FleetView.Worker> workers = new ArrayList<>();
    for (WorkerRecord row : registry.workers()) {
      workers.add(
          new FleetView.Worker(
              row.identity(),
              row.host(),
              row.pid(),
              row.taskQueue(),
              row.startedAt(),
              row.lastSeen(),
              !row.lastSeen().isBefore(aliveSince),
              row.draining(),
              row.agentSlots(),
              agents(row.profiles()),
              runs.getOrDefault(row.identity(), List.of())));
    }
    Map<String, FleetView.Profile> profiles = new TreeMap<>();
    capacities
        .configured()
        .forEach(
            (agent, capacity) ->
                profiles.put(agent, new FleetView.Profile(agent, capacity, 0, 0, null)));
    for (SlotCounts counts : registry.slotCounts()) {
      profiles.put(
          counts.agent(),
          new FleetView.Profile(
              counts.agent(),
              capacities.capacityOf(counts.agent()),
              counts.running(),
              counts.waiting(),
              counts.oldestWaitingSince()));
    }
    return new FleetView(workers, List.copyOf(profiles.values()));
  }

  private Map<String, Integer> agents(String profiles) {
    try {
      Map<String, Integer> parsed = json.readValue(profiles, CAPACITIES);
      return parsed == null ? Map.of() : new TreeMap<>(parsed);
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
  }
}
