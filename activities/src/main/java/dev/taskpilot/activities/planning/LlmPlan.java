package dev.taskpilot.activities.planning;

import dev.langchain4j.model.output.structured.Description;
import dev.taskpilot.workflows.Priority;

/**
 * The plan as the model writes it. Times are ISO-8601 text: LangChain4j's JSON schema for {@code
 * Instant} is an object it cannot parse back. Numbers and flags are boxed: strict JSON schemas make
 * every field nullable, and a null is a problem to report, not a parse failure.
 */
record LlmPlan(
    @Description(
            "Urgency from "
                + Priority.MIN
                + " (can wait) to "
                + Priority.MAX
                + " (drop everything)")
        Integer priority,
    @Description("When to start, an ISO-8601 date-time with offset, e.g. 2026-11-23T09:00:00Z")
        String start,
    @Description("Expected minutes of agent work, 1 to 1440") Integer estimateMinutes,
    @Description("Whether a human must approve before the agent runs") Boolean needsApproval,
    @Description("Why approval is needed; empty when it is not") String approvalReason,
    @Description("The refined, self-contained instructions for the coding or writing agent")
        String instructions,
    @Description("Why this priority, slot and approval decision, in two or three sentences")
        String reasoning) {}
