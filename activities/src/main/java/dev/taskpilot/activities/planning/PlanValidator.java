package dev.taskpilot.activities.planning;

import dev.taskpilot.store.StandingContext;
import dev.taskpilot.workflows.Priority;
import dev.taskpilot.workflows.activities.planning.PlanRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Checks a model's plan; every problem is a sentence the model can act on when repairing. */
final class PlanValidator {
  /** A start this close before now is "now", not the past (clocks and latency differ). */
  static final Duration PAST_TOLERANCE = Duration.ofMinutes(2);

  /** Two starts closer than this are the same slot. */
  static final Duration SLOT = Duration.ofMinutes(15);

  static final int MAX_ESTIMATE_MINUTES = 24 * 60;
  static final int MAX_INSTRUCTIONS = 20_000;

  private PlanValidator() {}

  static List<String> problems(LlmPlan plan, PlanRequest request, PlanningContext context) {
    List<String> problems = new ArrayList<>();
    if (plan.priority() == null) {
      problems.add("priority is required, " + Priority.MIN + " to " + Priority.MAX);
    } else if (!Priority.isValid(plan.priority())) {
      problems.add(Priority.outOfRange(plan.priority()));
    }
    if (plan.estimateMinutes() == null
        || plan.estimateMinutes() < 1
        || plan.estimateMinutes() > MAX_ESTIMATE_MINUTES) {
      problems.add("estimateMinutes must be between 1 and " + MAX_ESTIMATE_MINUTES);
    }
    if (plan.needsApproval() == null && request.approvalBeforeRun() == null) {
      problems.add("needsApproval must be true or false");
    }
    if (plan.instructions() == null || plan.instructions().isBlank()) {
      problems.add("instructions must not be empty");
    } else if (plan.instructions().length() > MAX_INSTRUCTIONS) {
      problems.add("instructions must be at most " + MAX_INSTRUCTIONS + " characters");
    }
    if (request.notBefore() == null) {
      startProblems(plan.start(), request.now(), context, problems);
    }
    return problems;
  }

  private static void startProblems(
      String text, Instant now, PlanningContext context, List<String> problems) {
    Instant start = parse(text);
    if (start == null) {
      problems.add("start must be an ISO-8601 date-time with offset, not '" + text + "'");
      return;
    }
    if (start.isBefore(now.minus(PAST_TOLERANCE))) {
      problems.add("start " + text + " is in the past; now is " + now);
    }
    StandingContext standing = context.standing();
    if (standing.withinWorkingHours() && !standing.isWorkingTime(start)) {
      problems.add("start " + text + " is outside the owner's working hours");
    }
    for (PlanningContext.Slot slot : context.upcoming()) {
      if (Duration.between(slot.start(), start).abs().compareTo(SLOT) < 0) {
        problems.add("start " + text + " is taken by the task '" + slot.title() + "'");
      }
    }
  }

  static Instant parse(String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text.strip()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
