package dev.taskpilot.activities.planning;

import dev.taskpilot.store.StandingContext;
import dev.taskpilot.workflows.activities.planning.PlanRequest;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Collectors;

/** The user message the planner reads: the task, the standing context and the taken slots. */
final class PlanPrompt {
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("EEEE yyyy-MM-dd HH:mm", Locale.ENGLISH);

  private PlanPrompt() {}

  static String of(PlanRequest request, PlanningContext context) {
    StandingContext standing = context.standing();
    StringBuilder text = new StringBuilder();
    text.append("Now: ")
        .append(request.now())
        .append(" (owner's local time ")
        .append(LOCAL.format(request.now().atZone(standing.zone())))
        .append(", time zone ")
        .append(standing.zone())
        .append(")\n");
    if (standing.hasWorkingHours()) {
      text.append("Working hours: ")
          .append(standing.workStart())
          .append("-")
          .append(standing.workEnd())
          .append(" on ")
          .append(
              standing.workDays().isEmpty()
                  ? "every day"
                  : standing.workDays().stream()
                      .sorted()
                      .map(Enum::name)
                      .collect(Collectors.joining(", ")))
          .append(standing.withinWorkingHours() ? "; tasks must start inside them" : "")
          .append("\n");
    }
    if (!standing.preferences().isBlank()) {
      text.append("Owner's preferences:\n").append(standing.preferences().strip()).append("\n");
    }
    if (!context.upcoming().isEmpty()) {
      text.append("Slots already taken (do not start at these times):\n");
      context
          .upcoming()
          .forEach(
              slot ->
                  text.append("- ")
                      .append(slot.start())
                      .append(" ")
                      .append(slot.title())
                      .append("\n"));
    }
    text.append("\nTask title: ").append(request.title()).append("\n");
    text.append("Task:\n<<<\n").append(request.prompt()).append("\n>>>\n");
    if (request.context() != null && !request.context().isBlank()) {
      text.append("Extra context:\n<<<\n").append(request.context()).append("\n>>>\n");
    }
    StringBuilder fixed = new StringBuilder();
    if (request.priority() != null) {
      fixed.append(" priority=").append(request.priority());
    }
    if (request.notBefore() != null) {
      fixed.append(" start=").append(request.notBefore());
    }
    if (request.approvalBeforeRun() != null) {
      fixed.append(" needsApproval=").append(request.approvalBeforeRun());
    }
    if (!fixed.isEmpty()) {
      text.append("Fixed by the user (keep exactly):").append(fixed).append("\n");
    }
    return text.toString();
  }
}
