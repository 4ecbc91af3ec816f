package dev.taskpilot.activities.planning;

import dev.langchain4j.exception.NonRetriableException;
import dev.taskpilot.llm.LlmClient;
import dev.taskpilot.llm.LlmPurpose;
import dev.taskpilot.store.OwnerContextRepository;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.workflows.activities.planning.PlanRequest;
import dev.taskpilot.workflows.activities.planning.PlanningActivities;
import dev.taskpilot.workflows.activities.planning.TaskPlan;
import dev.taskpilot.workflows.task.FallbackPlanner;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Planning: the LLM planner when a provider is configured, the fallback planner otherwise. */
@Singleton
public class PlanningActivitiesImpl implements PlanningActivities {
  private static final Logger log = LoggerFactory.getLogger(PlanningActivitiesImpl.class);

  private final LlmClient llm;
  private final OwnerContextRepository contexts;
  private final TaskRepository tasks;
  private final LlmPlanner planner = new LlmPlanner();
  private final FallbackPlanner fallback = new FallbackPlanner();

  public PlanningActivitiesImpl(
      LlmClient llm, OwnerContextRepository contexts, TaskRepository tasks) {
    this.llm = llm;
    this.contexts = contexts;
    this.tasks = tasks;
  }

  @Override
  public TaskPlan plan(PlanRequest request) {
    var model = llm.forCaller(request.owner(), request.taskId(), LlmPurpose.PLAN);
    if (model.isEmpty()) {
      return fallback.plan(request);
    }
    PlanningContext context =
        PlanningContext.load(contexts, tasks, request.owner(), request.taskId(), request.now());
    try {
      return planner.plan(model.get(), request, context);
    } catch (NonRetriableException e) {
      // A bad key or a bad request will not heal by retrying; the ledger row says what it was.
      log.warn("the LLM refused to plan task {}: {}", request.taskId(), e.getMessage());
      return fallback.plan(request, "the LLM refused: " + e.getClass().getSimpleName());
    }
  }
}
