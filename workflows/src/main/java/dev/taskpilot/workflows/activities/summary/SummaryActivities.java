package dev.taskpilot.workflows.activities.summary;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Summarises what an agent run did, for notifications and publish payloads. */
@ActivityInterface
public interface SummaryActivities {

  /** The longest summary the workflow keeps. */
  int MAX_SUMMARY_LENGTH = 2000;

  /**
   * A short summary of the run. Idempotent in effect (it only reads; each call is one ledger row).
   * Without a configured LLM, or when the LLM refuses permanently, answers the agent's own result
   * text, trimmed. Raises transient failures (rate limits, server errors, timeouts) for retrying.
   */
  @ActivityMethod(name = "SummariseResult")
  String summarise(SummaryRequest request);
}
