package dev.taskpilot.api.tasks;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.workflows.activities.NotifyEvent;
import dev.taskpilot.workflows.activities.PublishTarget;
import dev.taskpilot.workflows.task.ApprovalPolicy;
import dev.taskpilot.workflows.task.TaskInput;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Checks what bean validation cannot and turns a create request into the workflow's input. */
@Singleton
public class TaskRequestMapper {
  static final int TITLE_LENGTH = 80;
  private static final Duration MAX_TIMEOUT = Duration.ofHours(24);

  private final TaskReferences references;

  public TaskRequestMapper(TaskReferences references) {
    this.references = references;
  }

  /** The workflow input of a valid request; throws {@link ApiException} for an invalid one. */
  public TaskInput toInput(String taskId, String owner, CreateTaskRequest request) {
    String agent = request.agent() == null ? references.defaultAgent() : request.agent();
    if (!references.agentNames().contains(agent)) {
      throw new ApiException(
          ErrorCode.UNKNOWN_AGENT,
          "unknown agent '" + agent + "'; configured: " + references.agentNames());
    }
    if (request.workspace() != null) {
      references
          .workspaceProblem(request.workspace())
          .ifPresent(
              problem -> {
                throw new ApiException(ErrorCode.UNKNOWN_WORKSPACE, problem);
              });
    }
    Duration timeout =
        request.timeout() == null
            ? references.defaultTimeout(agent)
            : parseTimeout(request.timeout());
    CreateTaskRequest.Approval approval = request.approval();
    return new TaskInput(
        taskId,
        owner,
        title(request),
        request.prompt(),
        agent,
        request.workspace(),
        request.priority(),
        request.notBefore() == null ? null : parseInstant("notBefore", request.notBefore()),
        request.context(),
        request.labels(),
        approval == null
            ? ApprovalPolicy.UNSET
            : new ApprovalPolicy(approval.beforeRun(), approval.beforePublish()),
        targets(request.publish()),
        events(request.notifyChannels()),
        timeout,
        request.budgetUsd());
  }

  /** An ISO-8601 instant that carries its offset, such as {@code 2026-11-22T09:00:00+01:00}. */
  public static Instant parseInstant(String field, String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED,
          field
              + " must be an ISO-8601 date-time with an offset, e.g. 2026-11-22T09:00:00Z: '"
              + text
              + "'");
    }
  }

  private static Duration parseTimeout(String text) {
    Duration timeout;
    try {
      timeout = Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED,
          "timeout must be an ISO-8601 duration such as PT30M: '" + text + "'");
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED, "timeout must be positive and at most PT24H: " + text);
    }
    return timeout;
  }

  private static String title(CreateTaskRequest request) {
    if (request.title() != null && !request.title().isBlank()) {
      return request.title().strip();
    }
    String firstLine = request.prompt().strip().lines().findFirst().orElse("");
    return firstLine.length() <= TITLE_LENGTH
        ? firstLine
        : firstLine.substring(0, TITLE_LENGTH - 1) + "…";
  }

  private static List<PublishTarget> targets(List<CreateTaskRequest.Target> targets) {
    if (targets == null) {
      return List.of();
    }
    List<PublishTarget> result = new ArrayList<>();
    for (CreateTaskRequest.Target target : targets) {
      switch (target.type()) {
        case "file" -> {
          String path = target.path();
          if (path == null || path.isBlank()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "a file target needs a path");
          }
          if (path.startsWith("/") || List.of(path.split("[/\\\\]")).contains("..")) {
            throw new ApiException(
                ErrorCode.TARGET_NOT_ALLOWED,
                "a file target path must stay under the file root: " + path);
          }
          result.add(new PublishTarget.File(path));
        }
        case "webhook", "git" ->
            throw new ApiException(
                ErrorCode.TARGET_NOT_SUPPORTED,
                "publish target type '" + target.type() + "' is not available in this version");
        default ->
            throw new ApiException(
                ErrorCode.VALIDATION_FAILED,
                "unknown publish target type '" + target.type() + "' (file, webhook, git)");
      }
    }
    if (result.stream().map(PublishTarget::key).distinct().count() != result.size()) {
      throw new ApiException(ErrorCode.VALIDATION_FAILED, "publish targets must be distinct");
    }
    return result;
  }

  private static List<NotifyEvent> events(List<CreateTaskRequest.Channel> channels) {
    if (channels == null || channels.isEmpty()) {
      return null;
    }
    for (CreateTaskRequest.Channel channel : channels) {
      if (!List.of("ntfy", "webhook").contains(channel.type())) {
        throw new ApiException(
            ErrorCode.VALIDATION_FAILED,
            "unknown notify channel type '" + channel.type() + "' (ntfy, webhook)");
      }
      throw new ApiException(
          ErrorCode.TARGET_NOT_SUPPORTED,
          "notify channel type '"
              + channel.type()
              + "' is not available in this version; notifications go to the server log");
    }
    return null;
  }
}
