package dev.taskpilot.activities.planning;

import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.service.AiServices;
import dev.taskpilot.llm.LlmFailures;
import dev.taskpilot.workflows.activities.planning.PlanRequest;
import dev.taskpilot.workflows.activities.planning.PlanSource;
import dev.taskpilot.workflows.activities.planning.TaskPlan;
import dev.taskpilot.workflows.task.FallbackPlanner;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans with the model: one call, one repair when the plan is invalid, then the fallback planner.
 * Failures that heal by waiting (rate limits, server errors, timeouts) are thrown, so Temporal
 * retries them with the declared backoff; permanent ones (bad key, bad request) fall back at once.
 */
final class LlmPlanner {
  private static final Logger log = LoggerFactory.getLogger(LlmPlanner.class);
  static final int MAX_REASONING = 2000;

  private final FallbackPlanner fallback = new FallbackPlanner();

  TaskPlan plan(ChatModel model, PlanRequest request, PlanningContext context) {
    PlanAssistant assistant = AiServices.create(PlanAssistant.class, model);
    String prompt = PlanPrompt.of(request, context);
    List<String> problems;
    try {
      LlmPlan first = assistant.plan(prompt);
      problems = PlanValidator.problems(first, request, context);
      if (problems.isEmpty()) {
        return accept(first, request);
      }
    } catch (RuntimeException e) {
      problems = unusable(e);
    }
    // The problems quote user text (other tasks' titles): they go to the model, not to the log.
    log.info(
        "plan for task {} rejected ({} problem(s)), asking for a repair",
        request.taskId(),
        problems.size());
    try {
      LlmPlan second = assistant.repair(prompt, "- " + String.join("\n- ", problems));
      problems = PlanValidator.problems(second, request, context);
      if (problems.isEmpty()) {
        return accept(second, request);
      }
    } catch (RuntimeException e) {
      problems = unusable(e);
    }
    return fallback.plan(
        request, "the LLM's plan was invalid twice: " + String.join("; ", problems));
  }

  /** A failure of the call: rethrown unless the answer itself was unusable. */
  private static List<String> unusable(RuntimeException e) {
    if (LlmFailures.isRetriable(e) || e instanceof NonRetriableException) {
      throw e;
    }
    return List.of(
        "the answer was not a plan in the requested JSON format (" + e.getMessage() + ")");
  }

  /** The model's plan with the user's fixed fields laid over it. */
  private static TaskPlan accept(LlmPlan plan, PlanRequest request) {
    boolean needsApproval =
        request.approvalBeforeRun() != null
            ? request.approvalBeforeRun()
            : Boolean.TRUE.equals(plan.needsApproval());
    String reasoning = plan.reasoning() == null ? "" : plan.reasoning().strip();
    return new TaskPlan(
        request.priority() != null ? request.priority() : plan.priority(),
        request.notBefore() != null ? request.notBefore() : PlanValidator.parse(plan.start()),
        plan.estimateMinutes(),
        needsApproval,
        needsApproval && plan.approvalReason() != null && !plan.approvalReason().isBlank()
            ? plan.approvalReason().strip()
            : null,
        plan.instructions().strip(),
        reasoning.length() <= MAX_REASONING ? reasoning : reasoning.substring(0, MAX_REASONING),
        PlanSource.LLM);
  }
}
