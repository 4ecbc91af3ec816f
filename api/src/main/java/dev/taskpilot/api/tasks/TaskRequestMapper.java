package dev.taskpilot.api.tasks;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.net.GitRemotes;
import dev.taskpilot.net.OutboundGuard;
import dev.taskpilot.net.TargetRefusedException;
import dev.taskpilot.workflows.activities.notify.NotifyTarget;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import dev.taskpilot.workflows.task.ApprovalPolicy;
import dev.taskpilot.workflows.task.TaskInput;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks what bean validation cannot and turns a create request into the workflow's input. */
@Singleton
public class TaskRequestMapper {
  static final int TITLE_LENGTH = 80;
  private static final Duration MAX_TIMEOUT = Duration.ofHours(24);

  private static final int MIN_SECRET_LENGTH = 16;

  private final TaskReferences references;
  private final OutboundGuard guard;
  private final GitRemotes gitRemotes;
  private final ChannelMapper channels;

  public TaskRequestMapper(
      TaskReferences references,
      OutboundGuard guard,
      GitRemotes gitRemotes,
      @Value("${taskpilot.notify.ntfy.server:`https://ntfy.sh`}") String defaultNtfyServer) {
    this.references = references;
    this.guard = guard;
    this.gitRemotes = gitRemotes;
    this.channels = new ChannelMapper(guard, defaultNtfyServer);
  }

  /**
   * A validated request: the workflow's input, and the secrets its targets and channels carry (a
   * webhook's signing secret, an ntfy token) by target or channel key, which must be stored in
   * {@code task_secrets} for the task and never enter the workflow.
   */
  public record MappedTask(TaskInput input, Map<String, String> secrets) {
    public MappedTask {
      secrets = Map.copyOf(secrets);
    }
  }

  /** The input and secrets of a valid request; throws {@link ApiException} for an invalid one. */
  public MappedTask map(String taskId, String owner, CreateTaskRequest request) {
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
    MappedSecrets secrets = new MappedSecrets();
    List<PublishTarget> targets = targets(taskId, request.workspace(), request.publish(), secrets);
    List<NotifyTarget> channels = this.channels.map(request.notifyChannels(), secrets);
    TaskInput input =
        new TaskInput(
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
            targets,
            null,
            timeout,
            request.budgetUsd(),
            channels);
    return new MappedTask(input, secrets.values());
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
    String firstLine = request.prompt().strip().lines().findFirst().orElse("").strip();
    if (firstLine.codePointCount(0, firstLine.length()) <= TITLE_LENGTH) {
      return firstLine;
    }
    // Cut between characters, never inside a surrogate pair.
    return firstLine.substring(0, firstLine.offsetByCodePoints(0, TITLE_LENGTH - 1)).strip() + "…";
  }

  private List<PublishTarget> targets(
      String taskId,
      String workspace,
      List<CreateTaskRequest.Target> targets,
      MappedSecrets secrets) {
    if (targets == null) {
      return List.of();
    }
    List<PublishTarget> result = new ArrayList<>();
    for (CreateTaskRequest.Target target : targets) {
      PublishTarget mapped =
          switch (target.type()) {
            case "file" -> fileTarget(target);
            case "webhook" -> webhookTarget(target, secrets);
            case "git" -> gitTarget(taskId, workspace, target);
            default ->
                throw new ApiException(
                    ErrorCode.VALIDATION_FAILED,
                    "unknown publish target type '" + target.type() + "' (file, webhook, git)");
          };
      result.add(mapped);
    }
    if (result.stream().map(PublishTarget::key).distinct().count() != result.size()) {
      throw new ApiException(ErrorCode.VALIDATION_FAILED, "publish targets must be distinct");
    }
    return result;
  }

  private static PublishTarget.File fileTarget(CreateTaskRequest.Target target) {
    RequestChecks.onlyFields(
        target.type() + " target", target.url(), "url", target.secret(), "secret");
    RequestChecks.onlyFields(
        target.type() + " target", target.remote(), "remote", target.branch(), "branch");
    String path = target.path();
    if (path == null || path.isBlank()) {
      throw new ApiException(ErrorCode.VALIDATION_FAILED, "a file target needs a path");
    }
    if (path.startsWith("/") || List.of(path.split("[/\\\\]")).contains("..")) {
      throw new ApiException(
          ErrorCode.TARGET_NOT_ALLOWED,
          "a file target path must stay under the file root: " + path);
    }
    return new PublishTarget.File(path);
  }

  private PublishTarget.Webhook webhookTarget(
      CreateTaskRequest.Target target, MappedSecrets secrets) {
    RequestChecks.onlyFields("webhook target", target.path(), "path", target.remote(), "remote");
    RequestChecks.onlyFields("webhook target", target.branch(), "branch", null, null);
    String url = RequestChecks.checkedUrl(guard, "webhook url", target.url());
    String secret = target.secret();
    if (secret != null && secret.length() < MIN_SECRET_LENGTH) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED,
          "a webhook secret must be at least " + MIN_SECRET_LENGTH + " characters");
    }
    PublishTarget.Webhook webhook = new PublishTarget.Webhook(url, secret != null);
    secrets.put(webhook.key(), secret);
    return webhook;
  }

  private PublishTarget.Git gitTarget(
      String taskId, String workspace, CreateTaskRequest.Target target) {
    RequestChecks.onlyFields("git target", target.path(), "path", target.url(), "url");
    RequestChecks.onlyFields("git target", target.secret(), "secret", null, null);
    String remote = target.remote();
    if (remote == null || remote.isBlank()) {
      throw new ApiException(ErrorCode.VALIDATION_FAILED, "a git target needs a remote");
    }
    remote = remote.strip();
    try {
      gitRemotes.checkAtCreation(remote);
    } catch (TargetRefusedException e) {
      // The messages speak of the git remote already.
      throw new ApiException(RequestChecks.codeOf(e), e.getMessage());
    }
    // A schedule's template has no task id yet: its runs get their own default branch.
    String branch =
        target.branch() != null ? target.branch() : taskId == null ? null : "taskpilot/" + taskId;
    if (branch != null && !GitRemotes.isBranchName(branch)) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED, "'" + branch + "' is not a valid git branch name");
    }
    if (workspace == null || !references.isGitWorkspace(workspace)) {
      throw new ApiException(
          ErrorCode.TARGET_NOT_SUPPORTED,
          "a git target needs a workspace that is a git repository; the task's changes are"
              + " committed from its worktree");
    }
    return new PublishTarget.Git(remote, branch);
  }
}
