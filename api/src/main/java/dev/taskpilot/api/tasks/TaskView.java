package dev.taskpilot.api.tasks;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The task resource of API.md. */
@Serdeable
public record TaskView(
    String id,
    String owner,
    String title,
    String prompt,
    String status,
    @Nullable String statusReason,
    int priority,
    String agent,
    @Nullable String workspace,
    List<String> labels,
    @Nullable Instant notBefore,
    @Nullable Plan plan,
    Approval approval,
    @Nullable Run run,
    @Nullable Result result,
    @Nullable Error error,
    Instant createdAt,
    Instant updatedAt) {

  /** The plan; {@code source} is {@code llm}, {@code fallback} or {@code user}. */
  @Serdeable
  public record Plan(
      int priority,
      Instant start,
      int estimateMinutes,
      boolean needsApproval,
      @Nullable String approvalReason,
      @Nullable String reasoning,
      String source) {}

  /**
   * The approval gates in effect (the user's choice, else the plan's; null before planning) and,
   * while the task waits at one, which ({@code before_run} or {@code before_publish}).
   */
  @Serdeable
  public record Approval(
      @Nullable Boolean beforeRun, @Nullable Boolean beforePublish, @Nullable String waitingAt) {}

  /** The agent run. */
  @Serdeable
  public record Run(
      int attempt,
      @Nullable Instant startedAt,
      @Nullable Instant endedAt,
      @Nullable Integer exitCode,
      @Nullable BigDecimal costUsd,
      @Nullable String sessionId,
      long outputLines) {}

  /** The result and where it went. */
  @Serdeable
  public record Result(String summary, List<Publication> publications) {}

  /** One delivered publication. */
  @Serdeable
  public record Publication(String target, String location, @Nullable Instant deliveredAt) {}

  /** Why the task failed. */
  @Serdeable
  public record Error(String code, String message) {}
}
