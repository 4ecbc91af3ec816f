package dev.taskpilot.api.llm;

import dev.taskpilot.api.auth.Caller;
import dev.taskpilot.api.auth.Roles;
import dev.taskpilot.api.tasks.TaskService;
import dev.taskpilot.store.LlmCallRecord;
import dev.taskpilot.store.LlmCallRepository;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.util.List;

/** A task's LLM calls from the ledger, oldest first. */
@Controller("/api/v1/tasks/{id}/llm-calls")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.VIEWER)
class LlmCallController {
  private final TaskService tasks;
  private final LlmCallRepository calls;

  LlmCallController(TaskService tasks, LlmCallRepository calls) {
    this.tasks = tasks;
    this.calls = calls;
  }

  @Get
  List<LlmCallView> list(Caller caller, @PathVariable String id) {
    tasks.requireVisible(caller, id);
    return calls.findByTaskIdOrderById(id).stream().map(LlmCallController::view).toList();
  }

  static LlmCallView view(LlmCallRecord call) {
    return new LlmCallView(
        call.id(),
        call.purpose(),
        call.provider(),
        call.model(),
        call.outcome(),
        call.error(),
        call.inputTokens(),
        call.outputTokens(),
        call.costUsd(),
        call.durationMs(),
        call.createdAt(),
        call.request(),
        call.response());
  }
}
