package dev.taskpilot.activities.agent;

import dev.taskpilot.activities.agent.format.AgentEvent;
import dev.taskpilot.activities.agent.format.ResultSignals;
import dev.taskpilot.activities.agent.format.RunTally;
import dev.taskpilot.activities.agent.process.AgentProcessResult;
import dev.taskpilot.activities.agent.profile.AgentProfile;
import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.activities.agent.AgentOutcome;
import dev.taskpilot.workflows.activities.agent.AgentRunResult;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** Turns how an agent process ended, and what it said, into the activity's answer. */
final class AgentRunOutcomes {
  static final int MAX_RESULT_TEXT = 8_000;

  private AgentRunOutcomes() {}

  /** The process exited: completed, asked a question, hit a usage limit, or failed. */
  static AgentRunResult of(
      AgentProfile profile,
      int attempt,
      int code,
      AgentProcessResult result,
      AgentRunWatch watch,
      String resumedSession) {
    if (watch.stop() != null) {
      return stopped(profile, attempt, result, watch, resumedSession);
    }
    RunTally tally = watch.tally();
    AgentEvent.Result last = tally.result();
    String text = last != null && last.resultText() != null ? last.resultText() : result.tail();
    Optional<Instant> reset =
        (last == null || last.isError() || code != 0)
            ? ResultSignals.usageLimitReset(
                text + "\n" + result.lastLine(),
                profile.compiledLimitPatterns(),
                ZoneId.systemDefault(),
                Instant.now())
            : Optional.empty();
    if (reset.isPresent()) {
      return answer(
          attempt,
          code,
          result,
          tally,
          resumedSession,
          AgentOutcome.PARKED,
          reset.get(),
          null,
          text);
    }
    if (code != 0 || (last != null && last.isError())) {
      throw AgentActivitiesImpl.failure(
          ErrorType.AGENT_FAILED,
          "agent '"
              + profile.name()
              + "' "
              + (code != 0 ? "exited with code " + code : "failed")
              + ": "
              + shortened(text.isBlank() ? result.lastLine() : text, 500));
    }
    Optional<String> question =
        last == null ? Optional.empty() : ResultSignals.question(last, profile.questionPrefix());
    if (question.isPresent()) {
      return answer(
          attempt,
          code,
          result,
          tally,
          resumedSession,
          AgentOutcome.QUESTION,
          null,
          question.get(),
          text);
    }
    return answer(
        attempt, code, result, tally, resumedSession, AgentOutcome.COMPLETED, null, null, text);
  }

  /** The watch stopped the run: over budget, or credentials refused again and again. */
  /** Stopped by its worker's drain: the workflow runs it again at once, elsewhere. */
  static AgentRunResult handedOver(
      int attempt, AgentProcessResult result, AgentRunWatch watch, String resumedSession) {
    return answer(
        attempt,
        -1,
        result,
        watch.tally(),
        resumedSession,
        AgentOutcome.HANDED_OVER,
        null,
        null,
        result.tail());
  }

  static AgentRunResult stopped(
      AgentProfile profile,
      int attempt,
      AgentProcessResult result,
      AgentRunWatch watch,
      String resumedSession) {
    if (watch.stop() == AgentRunWatch.Stop.AUTH_FAILURES) {
      throw AgentActivitiesImpl.failure(
          ErrorType.AGENT_AUTH_FAILED,
          "agent '"
              + profile.name()
              + "' was stopped: its provider refused the credentials "
              + watch.tally().consecutiveAuthFailures()
              + " times in a row");
    }
    return answer(
        attempt,
        -1,
        result,
        watch.tally(),
        resumedSession,
        AgentOutcome.BUDGET_EXCEEDED,
        null,
        null,
        result.tail());
  }

  /** The budget was already spent before the run could start. */
  static AgentRunResult budgetExceededBeforeStart(int attempt, String sessionId) {
    Instant now = Instant.now();
    return new AgentRunResult(
        attempt,
        -1,
        now,
        now,
        0,
        "",
        null,
        sessionId,
        AgentOutcome.BUDGET_EXCEEDED,
        null,
        null,
        null);
  }

  private static AgentRunResult answer(
      int attempt,
      int code,
      AgentProcessResult result,
      RunTally tally,
      String resumedSession,
      AgentOutcome outcome,
      Instant parkedUntil,
      String question,
      String text) {
    return new AgentRunResult(
        attempt,
        code,
        result.startedAt(),
        result.endedAt(),
        result.lines(),
        shortened(text, MAX_RESULT_TEXT),
        tally.costUsd(),
        tally.sessionId() != null ? tally.sessionId() : resumedSession,
        outcome,
        parkedUntil,
        question,
        tally.turns() > 0 ? tally.turns() : null);
  }

  private static String shortened(String text, int max) {
    if (text == null) {
      return "";
    }
    return text.length() <= max ? text : text.substring(0, max) + " …";
  }
}
