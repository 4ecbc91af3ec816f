package dev.taskpilot.api.tasks;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.net.GitRemotes;
import dev.taskpilot.net.OutboundGuard;
import dev.taskpilot.net.TargetRefusedException;
import dev.taskpilot.net.Urls;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.notify.NotifyTarget;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import dev.taskpilot.workflows.task.ApprovalPolicy;
import dev.taskpilot.workflows.task.TaskInput;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks what bean validation cannot and turns a create request into the workflow's input. */
@Singleton
public class TaskRequestMapper {
  static final int TITLE_LENGTH = 80;
  private static final Duration MAX_TIMEOUT = Duration.ofHours(24);

  private static final int MIN_SECRET_LENGTH = 16;
  private static final Pattern NTFY_TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final TaskReferences references;
  private final OutboundGuard guard;
  private final GitRemotes gitRemotes;
  private final String defaultNtfyServer;

  public TaskRequestMapper(
      TaskReferences references,
      OutboundGuard guard,
      GitRemotes gitRemotes,
      @Value("${taskpilot.notify.ntfy.server:`https://ntfy.sh`}") String defaultNtfyServer) {
    this.references = references;
    this.guard = guard;
    this.gitRemotes = gitRemotes;
    this.defaultNtfyServer = stripSlash(defaultNtfyServer);
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
    Secrets secrets = new Secrets();
    List<PublishTarget> targets = targets(taskId, request.workspace(), request.publish(), secrets);
    List<NotifyTarget> channels = channels(request.notifyChannels(), secrets);
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
    return new MappedTask(input, secrets.values);
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
      String taskId, String workspace, List<CreateTaskRequest.Target> targets, Secrets secrets) {
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
    onlyFields(target.type() + " target", target.url(), "url", target.secret(), "secret");
    onlyFields(target.type() + " target", target.remote(), "remote", target.branch(), "branch");
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

  private PublishTarget.Webhook webhookTarget(CreateTaskRequest.Target target, Secrets secrets) {
    onlyFields("webhook target", target.path(), "path", target.remote(), "remote");
    onlyFields("webhook target", target.branch(), "branch", null, null);
    String url = checkedUrl("webhook url", target.url());
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
    onlyFields("git target", target.path(), "path", target.url(), "url");
    onlyFields("git target", target.secret(), "secret", null, null);
    String remote = target.remote();
    if (remote == null || remote.isBlank()) {
      throw new ApiException(ErrorCode.VALIDATION_FAILED, "a git target needs a remote");
    }
    remote = remote.strip();
    try {
      gitRemotes.checkAtCreation(remote);
    } catch (TargetRefusedException e) {
      // The messages speak of the git remote already.
      throw new ApiException(codeOf(e), e.getMessage());
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

  private List<NotifyTarget> channels(List<CreateTaskRequest.Channel> channels, Secrets secrets) {
    if (channels == null) {
      return List.of();
    }
    List<NotifyTarget> result = new ArrayList<>();
    for (CreateTaskRequest.Channel channel : channels) {
      List<NotifyEvent> events = events(channel.events());
      NotifyTarget mapped =
          switch (channel.type()) {
            case "ntfy" -> {
              onlyFields("ntfy channel", channel.url(), "url", null, null);
              String topic = channel.topic();
              if (topic == null || !NTFY_TOPIC.matcher(topic).matches()) {
                throw new ApiException(
                    ErrorCode.VALIDATION_FAILED,
                    "an ntfy topic must be 1-64 letters, digits, '-' or '_': '" + topic + "'");
              }
              String server =
                  channel.server() == null ? defaultNtfyServer : stripSlash(channel.server());
              checkedUrl("ntfy server", server);
              NotifyTarget.Ntfy ntfy =
                  new NotifyTarget.Ntfy(server, topic, channel.token() != null, events);
              secrets.put(ntfy.key(), channel.token());
              yield ntfy;
            }
            case "webhook" -> {
              onlyFields("webhook channel", channel.topic(), "topic", channel.server(), "server");
              onlyFields("webhook channel", channel.token(), "token", null, null);
              String url = checkedUrl("webhook url", channel.url());
              // Chat webhooks carry their credential in the path: the URL itself is a secret.
              NotifyTarget.Webhook webhook = new NotifyTarget.Webhook(shownUrl(url), events, true);
              secrets.put(webhook.key(), url);
              yield webhook;
            }
            default ->
                throw new ApiException(
                    ErrorCode.VALIDATION_FAILED,
                    "unknown notify channel type '" + channel.type() + "' (ntfy, webhook)");
          };
      result.add(mapped);
    }
    if (result.stream().map(NotifyTarget::key).distinct().count() != result.size()) {
      throw new ApiException(ErrorCode.VALIDATION_FAILED, "notify channels must be distinct");
    }
    return result;
  }

  private static List<NotifyEvent> events(List<String> names) {
    if (names == null) {
      return NotifyEvent.DEFAULTS;
    }
    if (names.isEmpty()) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED,
          "events must name at least one of " + List.of(NotifyEvent.values()));
    }
    List<NotifyEvent> events = new ArrayList<>();
    for (String name : names) {
      try {
        NotifyEvent event = NotifyEvent.valueOf(name);
        if (!events.contains(event)) {
          events.add(event);
        }
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new ApiException(
            ErrorCode.VALIDATION_FAILED,
            "unknown event '" + name + "'; events are " + List.of(NotifyEvent.values()));
      }
    }
    return events;
  }

  /** A user-supplied URL the SSRF guard accepts; its refusals become 400 or 422. */
  private String checkedUrl(String what, String url) {
    if (url == null || url.isBlank()) {
      throw new ApiException(ErrorCode.VALIDATION_FAILED, "a " + what + " is required");
    }
    if (Urls.hasCredentials(url)) {
      throw new ApiException(
          ErrorCode.CREDENTIALS_IN_URL,
          "a " + what + " must not carry credentials; secrets go in their own fields");
    }
    try {
      guard.checkAtCreation(url);
      return url;
    } catch (TargetRefusedException e) {
      throw refusal(what, e);
    }
  }

  /** The API error for a refusal of the SSRF guard. */
  private static ApiException refusal(String what, TargetRefusedException e) {
    String how =
        switch (e.reason()) {
          case INVALID -> " is not acceptable: ";
          case CREDENTIALS -> " must not carry credentials: ";
          case NOT_ALLOWED -> " is not allowed: ";
        };
    return new ApiException(codeOf(e), "the " + what + how + e.getMessage());
  }

  /** The code of a refused URL or git remote: 400 when malformed, 422 otherwise. */
  private static ErrorCode codeOf(TargetRefusedException e) {
    return switch (e.reason()) {
      case INVALID -> ErrorCode.VALIDATION_FAILED;
      case CREDENTIALS -> ErrorCode.CREDENTIALS_IN_URL;
      case NOT_ALLOWED -> ErrorCode.TARGET_NOT_ALLOWED;
    };
  }

  /**
   * What the workflow and the audit may show of a URL that is a secret: scheme, host, port and the
   * first path segment, then a hash of the whole that tells two such URLs apart.
   */
  static String shownUrl(String url) {
    URI uri = URI.create(url);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    int second = path.indexOf('/', 1);
    String first = second < 0 ? path : path.substring(0, second);
    return uri.getScheme()
        + "://"
        + uri.getRawAuthority()
        + first
        + (path.length() > first.length() || uri.getRawQuery() != null ? "/…" : "")
        + "#"
        + PublishTarget.shortHash(url);
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Fields that do not belong to a target or channel type are refused, not ignored. */
  private static void onlyFields(
      String what, Object first, String firstName, Object second, String secondName) {
    if (first != null) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED, "field '" + firstName + "' does not apply to a " + what);
    }
    if (second != null) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED, "field '" + secondName + "' does not apply to a " + what);
    }
  }

  /** Secrets collected while mapping, by target or channel key. */
  private static final class Secrets {
    private final Map<String, String> values = new LinkedHashMap<>();

    /** Keeps a secret under its target's or channel's key; two different ones under one key are refused. */
    void put(String key, String value) {
      if (value == null) {
        return;
      }
      String kept = values.putIfAbsent(key, value);
      if (kept != null && !kept.equals(value)) {
        throw new ApiException(
            ErrorCode.VALIDATION_FAILED,
            "two targets or channels of one task would keep their secrets under the same name;"
                + " spell one of their URLs differently");
      }
    }
  }
}
