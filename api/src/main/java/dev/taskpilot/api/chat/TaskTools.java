package dev.taskpilot.api.chat;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.taskpilot.api.auth.Caller;
import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.tasks.CreateTaskRequest;
import dev.taskpilot.api.tasks.TaskPage;
import dev.taskpilot.api.tasks.TaskService;
import dev.taskpilot.api.tasks.TaskView;
import dev.taskpilot.workflows.Priority;
import dev.taskpilot.workflows.task.TaskWorkflow;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The chat assistant's tools: the same task service and the same validation as the REST API. A
 * refused call is answered to the model as an error text, never executed. One instance serves one
 * chat message, with the rights of the caller who sent it, and records what it did.
 */
final class TaskTools {
  private final Caller caller;
  private final TaskService tasks;
  private final Validator validator;
  private final List<ChatAction> actions = new ArrayList<>();

  TaskTools(Caller caller, TaskService tasks, Validator validator) {
    this.caller = caller;
    this.tasks = tasks;
    this.validator = validator;
  }

  List<ChatAction> actions() {
    return List.copyOf(actions);
  }

  @Tool("Create a task for the agent. Returns the new task's id and status.")
  String createTask(
      @P("What the agent must do") String prompt,
      @P(value = "A short title", required = false) String title,
      @P(
              value =
                  "Priority "
                      + Priority.MIN
                      + ".."
                      + Priority.MAX
                      + ", only when the user asked for one",
              required = false)
          Integer priority,
      @P(
              value = "Earliest start, ISO-8601 with offset, only when the user gave one",
              required = false)
          String notBefore,
      @P(value = "Whether a human must approve before the agent runs", required = false)
          Boolean approvalBeforeRun) {
    Map<String, Object> arguments =
        arguments(
            "prompt",
            prompt,
            "title",
            title,
            "priority",
            priority,
            "notBefore",
            notBefore,
            "approvalBeforeRun",
            approvalBeforeRun);
    CreateTaskRequest request =
        new CreateTaskRequest(
            prompt,
            title,
            null,
            null,
            priority,
            notBefore,
            null,
            List.of("chat"),
            approvalBeforeRun == null
                ? null
                : new CreateTaskRequest.Approval(approvalBeforeRun, null),
            null,
            null,
            null,
            null);
    Set<ConstraintViolation<CreateTaskRequest>> violations = validator.validate(request);
    if (!violations.isEmpty()) {
      String detail =
          violations.stream()
              .map(v -> v.getPropertyPath() + " " + v.getMessage())
              .sorted()
              .collect(Collectors.joining("; "));
      return refused("createTask", arguments, null, "VALIDATION_FAILED: " + detail);
    }
    return act("createTask", arguments, null, () -> tasks.create(caller, request, null).task());
  }

  @Tool("List the newest tasks, optionally only those in one status such as SCHEDULED or RUNNING.")
  String listTasks(@P(value = "Status filter", required = false) String status) {
    Map<String, Object> arguments = arguments("status", status);
    try {
      TaskPage page =
          tasks.list(caller, status == null || status.isBlank() ? null : status, null, 20, null);
      String list =
          page.items().isEmpty()
              ? "no tasks"
              : page.items().stream()
                  .map(
                      task ->
                          task.id()
                              + " ["
                              + task.status()
                              + ", priority "
                              + task.priority()
                              + "] "
                              + task.title())
                  .collect(Collectors.joining("\n"));
      actions.add(
          new ChatAction("listTasks", arguments, "done", null, page.items().size() + " task(s)"));
      return list;
    } catch (ApiException e) {
      return refused("listTasks", arguments, null, e.code() + ": " + e.getMessage());
    }
  }

  @Tool("Show one task: status, priority, plan, result or error.")
  String showTask(@P("The task id") String taskId) {
    return act("showTask", arguments("taskId", taskId), taskId, () -> tasks.get(caller, taskId));
  }

  @Tool("Cancel a task that has not finished.")
  String cancelTask(
      @P("The task id") String taskId, @P(value = "Why", required = false) String reason) {
    return command(
        "cancelTask",
        arguments("taskId", taskId, "reason", reason),
        taskId,
        "cancel",
        workflow -> workflow.cancel(reason));
  }

  @Tool("Approve a task that waits for approval.")
  String approveTask(@P("The task id") String taskId) {
    return command(
        "approveTask",
        arguments("taskId", taskId),
        taskId,
        "approve",
        workflow -> workflow.approve("approved in chat", null));
  }

  @Tool("Reject a task that waits for approval; it ends REJECTED.")
  String rejectTask(@P("The task id") String taskId) {
    return command(
        "rejectTask",
        arguments("taskId", taskId),
        taskId,
        "reject",
        workflow -> workflow.reject("rejected in chat"));
  }

  @Tool("Start a waiting task now instead of at its planned slot.")
  String runTaskNow(@P("The task id") String taskId) {
    return command(
        "runTaskNow", arguments("taskId", taskId), taskId, "run-now", TaskWorkflow::runNow);
  }

  @Tool(
      "Change a task's priority, "
          + Priority.MIN
          + " (can wait) to "
          + Priority.MAX
          + " (most urgent).")
  String reprioritiseTask(
      @P("The task id") String taskId,
      @P("The new priority, " + Priority.MIN + ".." + Priority.MAX) int priority) {
    Map<String, Object> arguments = arguments("taskId", taskId, "priority", priority);
    if (!Priority.isValid(priority)) {
      return refused(
          "reprioritiseTask",
          arguments,
          taskId,
          "VALIDATION_FAILED: " + Priority.outOfRange(priority));
    }
    return command(
        "reprioritiseTask",
        arguments,
        taskId,
        "priority",
        workflow -> workflow.setPriority(priority));
  }

  private String command(
      String tool,
      Map<String, Object> arguments,
      String taskId,
      String name,
      Function<TaskWorkflow, ?> update) {
    return act(tool, arguments, taskId, () -> tasks.command(caller, taskId, name, update));
  }

  private String act(
      String tool,
      Map<String, Object> arguments,
      String taskId,
      java.util.function.Supplier<TaskView> call) {
    try {
      TaskView task = call.get();
      String detail =
          "task "
              + task.id()
              + " is "
              + task.status()
              + " (priority "
              + task.priority()
              + "): "
              + task.title();
      actions.add(new ChatAction(tool, arguments, "done", task.id(), detail));
      return detail;
    } catch (ApiException e) {
      return refused(tool, arguments, taskId, e.code() + ": " + e.getMessage());
    }
  }

  private String refused(String tool, Map<String, Object> arguments, String taskId, String detail) {
    actions.add(new ChatAction(tool, arguments, "refused", taskId, detail));
    return "Refused: " + detail;
  }

  private static Map<String, Object> arguments(Object... pairs) {
    Map<String, Object> arguments = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        arguments.put((String) pairs[i], pairs[i + 1]);
      }
    }
    return arguments;
  }
}
