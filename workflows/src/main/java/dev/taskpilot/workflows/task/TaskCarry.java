package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.planning.TaskPlan;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * What a task carries into its next run when a long wait before its agent ran has grown its history
 * (continue-as-new): enough to go on from where it waits, with the projection's version counting
 * on. Secrets never travel in here either.
 *
 * @param stage where the task goes on
 * @param projectionVersion the version of the state written last
 * @param gateNumber the number of the approval gate opened last (links name it)
 * @param slotFront whether a run-now had moved its slot claim to the front
 */
public record TaskCarry(
    Stage stage,
    TaskStatus status,
    String statusReason,
    int priority,
    Instant notBefore,
    TaskPlan plan,
    BigDecimal budget,
    boolean priorityFixed,
    boolean notBeforeFixed,
    long projectionVersion,
    int gateNumber,
    boolean slotFront) {

  /** Where a continued task goes on. */
  public enum Stage {
    /** Waiting for its start ({@code notBefore}), planned, before the gate before the run. */
    START_WAIT,
    /** Waiting for an agent slot for its first run, past the gate before the run. */
    SLOT_WAIT
  }
}
