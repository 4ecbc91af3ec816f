package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.Priority;
import dev.taskpilot.workflows.activities.planning.PlanRequest;
import dev.taskpilot.workflows.activities.planning.PlanSource;
import dev.taskpilot.workflows.activities.planning.TaskPlan;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The deterministic planner: answers at once, without any model, from the request alone. User-fixed
 * fields are kept; the rest gets safe defaults (start now, medium priority, no approval). Pure and
 * deterministic, so the workflow itself can fall back on it when the planning activity fails.
 */
public final class FallbackPlanner {
  static final int URGENT_PRIORITY = 8;
  static final int DEFAULT_ESTIMATE_MINUTES = 15;
  private static final List<String> URGENT_WORDS = List.of("urgent", "asap", "immediately");

  /** Plans a task from its request. */
  public TaskPlan plan(PlanRequest request) {
    return plan(request, null);
  }

  /** Plans a task from its request, saying in the reasoning why no LLM plan was used. */
  public TaskPlan plan(PlanRequest request, String whyFallback) {
    boolean userPriority = request.priority() != null;
    boolean userStart = request.notBefore() != null;
    boolean userApproval = request.approvalBeforeRun() != null;
    int priority = userPriority ? request.priority() : guessPriority(request.prompt());
    Instant start = userStart ? request.notBefore() : request.now();
    boolean needsApproval = userApproval && request.approvalBeforeRun();
    PlanSource source =
        userPriority && userStart && userApproval ? PlanSource.USER : PlanSource.FALLBACK;
    return new TaskPlan(
        priority,
        start,
        DEFAULT_ESTIMATE_MINUTES,
        needsApproval,
        needsApproval ? "approval requested by the user" : null,
        instructions(request),
        reasoning(userPriority, userStart, priority, whyFallback),
        source);
  }

  private static int guessPriority(String prompt) {
    String lower = prompt == null ? "" : prompt.toLowerCase(Locale.ROOT);
    return URGENT_WORDS.stream().anyMatch(lower::contains) ? URGENT_PRIORITY : Priority.DEFAULT;
  }

  private static String instructions(PlanRequest request) {
    if (request.context() == null || request.context().isBlank()) {
      return request.prompt();
    }
    return request.prompt() + "\n\nContext:\n" + request.context();
  }

  private static String reasoning(
      boolean userPriority, boolean userStart, int priority, String whyFallback) {
    return "Fallback planner ("
        + (whyFallback == null ? "no LLM configured" : whyFallback)
        + "): "
        + (userPriority ? "priority fixed by the user" : "priority " + priority + " by keywords")
        + ", "
        + (userStart ? "start fixed by the user" : "start as soon as possible")
        + ".";
  }
}
