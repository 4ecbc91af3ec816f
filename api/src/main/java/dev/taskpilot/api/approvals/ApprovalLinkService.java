package dev.taskpilot.api.approvals;

import dev.taskpilot.api.auth.Caller;
import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.api.tasks.TaskService;
import dev.taskpilot.api.tasks.TaskView;
import dev.taskpilot.store.ApprovalTokenHash;
import dev.taskpilot.store.ApprovalTokenRecord;
import dev.taskpilot.store.ApprovalTokenRepository;
import dev.taskpilot.workflows.task.TaskWorkflow;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Decides an approval gate through a one-tap link. A link works once, and only while its gate is
 * open: the workflow refuses a gate that was decided elsewhere, cancelled or left. Tokens are
 * looked up by their hash and never logged.
 */
@Singleton
public class ApprovalLinkService {
  // 32 random bytes in URL-safe base64 without padding.
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

  private final ApprovalTokenRepository tokens;
  private final TaskService tasks;

  public ApprovalLinkService(ApprovalTokenRepository tokens, TaskService tasks) {
    this.tokens = tokens;
    this.tasks = tasks;
  }

  /** The two things a link can do. */
  public enum Decision {
    APPROVE("approve"),
    REJECT("reject");

    private final String command;

    Decision(String command) {
      this.command = command;
    }

    public String command() {
      return command;
    }

    Function<TaskWorkflow, ?> update(int gate, String comment) {
      return switch (this) {
        case APPROVE -> workflow -> workflow.approveGate(gate, comment);
        case REJECT -> workflow -> workflow.rejectGate(gate, comment);
      };
    }
  }

  /**
   * Applies the decision to the gate the token belongs to and returns the task afterwards.
   *
   * @throws ApiException NOT_FOUND for an unknown token, APPROVAL_LINK_EXPIRED when it was used or
   *     its gate is no longer open, ENGINE_UNAVAILABLE when the engine did not answer (the link
   *     still works)
   */
  public TaskView decide(String token, Decision decision, String comment) {
    ApprovalTokenRecord link = find(token);
    if (link.usedAt() != null) {
      throw expired("this approval link was used already");
    }
    TaskView task;
    try {
      task =
          tasks.command(
              Caller.INTERNAL,
              link.taskId(),
              decision.command(),
              decision.update(link.gate(), comment));
    } catch (ApiException e) {
      if (e.code() == ErrorCode.INVALID_STATE || e.code() == ErrorCode.VALIDATION_FAILED) {
        throw expired("the approval this link belongs to is no longer open");
      }
      throw e;
    }
    tokens.markUsed(
        link.tokenHash(), Instant.now().truncatedTo(ChronoUnit.MICROS), decision.command());
    return task;
  }

  private ApprovalTokenRecord find(String token) {
    if (token == null || !TOKEN.matcher(token).matches()) {
      throw new ApiException(ErrorCode.NOT_FOUND, "no such approval link");
    }
    return tokens
        .findByTokenHash(ApprovalTokenHash.of(token))
        .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no such approval link"));
  }

  private static ApiException expired(String detail) {
    return new ApiException(ErrorCode.APPROVAL_LINK_EXPIRED, detail);
  }
}
