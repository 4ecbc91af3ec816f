package dev.taskpilot.api.tasks;

import dev.taskpilot.store.TaskRecord;
import dev.taskpilot.workflows.TaskJson;
import dev.taskpilot.workflows.activities.planning.TaskPlan;
import dev.taskpilot.workflows.task.ErrorInfo;
import dev.taskpilot.workflows.task.ResultInfo;
import dev.taskpilot.workflows.task.RunInfo;
import dev.taskpilot.workflows.task.TaskInput;
import java.util.List;
import java.util.Locale;

/** Turns projection rows into task resources. */
final class TaskViews {
  private TaskViews() {}

  /** The user's choice, else the plan's (unknown until planned), else off. */
  private static Boolean effective(Boolean fixed, Boolean planned) {
    return fixed != null ? fixed : planned;
  }

  static TaskView of(TaskRecord row) {
    TaskInput input = TaskJson.read(row.request(), TaskInput.class);
    TaskPlan plan = TaskJson.read(row.plan(), TaskPlan.class);
    RunInfo run = TaskJson.read(row.run(), RunInfo.class);
    ResultInfo result = TaskJson.read(row.result(), ResultInfo.class);
    ErrorInfo error = TaskJson.read(row.error(), ErrorInfo.class);
    return new TaskView(
        row.id(),
        row.owner(),
        row.title(),
        row.prompt(),
        row.status(),
        row.statusReason(),
        row.priority(),
        row.agent(),
        row.workspace(),
        List.of(row.labels()),
        row.notBefore(),
        plan == null
            ? null
            : new TaskView.Plan(
                plan.priority(),
                plan.start(),
                plan.estimateMinutes(),
                plan.needsApproval(),
                plan.approvalReason(),
                plan.reasoning(),
                plan.source().name().toLowerCase(Locale.ROOT)),
        new TaskView.Approval(
            effective(input.approval().beforeRun(), plan == null ? null : plan.needsApproval()),
            effective(input.approval().beforePublish(), false),
            row.approvalGate() == null ? null : row.approvalGate().toLowerCase(Locale.ROOT)),
        run == null
            ? null
            : new TaskView.Run(
                run.attempt(),
                run.startedAt(),
                run.endedAt(),
                run.exitCode(),
                run.costUsd(),
                run.sessionId(),
                run.outputLines()),
        result == null
            ? null
            : new TaskView.Result(
                result.summary(),
                result.publications().stream()
                    .map(p -> new TaskView.Publication(p.target(), p.location(), p.deliveredAt()))
                    .toList()),
        error == null ? null : new TaskView.Error(error.code(), error.message()),
        row.createdAt(),
        row.updatedAt());
  }
}
