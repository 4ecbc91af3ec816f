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
 * @param resumed how far a task restarted from PostgreSQL had got (see {@link Resumed}); null for a
 *     continue-as-new
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
    boolean slotFront,
    Resumed resumed) {

  /** A carry of a continue-as-new (nothing to resume). */
  public TaskCarry(
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
    this(
        stage,
        status,
        statusReason,
        priority,
        notBefore,
        plan,
        budget,
        priorityFixed,
        notBeforeFixed,
        projectionVersion,
        gateNumber,
        slotFront,
        null);
  }

  /**
   * What a task restarted from PostgreSQL takes back (dev's embedded engine forgot its workflow):
   * its run as recorded (its session, cost and output count) and its kept result.
   */
  public record Resumed(RunInfo run, ResultInfo result) {}

  /** Where a continued task goes on. */
  public enum Stage {
    /** Waiting for its start ({@code notBefore}), planned, before the gate before the run. */
    START_WAIT,
    /** Waiting for an agent slot for its first run, past the gate before the run. */
    SLOT_WAIT,
    /** Restarted: its agent ran (or was parked): it runs again, continuing its session. */
    RUN,
    /** Restarted: the agent's question waits for an answer, then the session continues. */
    INPUT,
    /** Restarted: the budget gate waits for more budget, then the session continues. */
    BUDGET,
    /** Restarted: the run is done; the gate before publishing opens again. */
    BEFORE_PUBLISH,
    /** Restarted: the run is done; publishing goes on (the ledger sends nothing twice). */
    PUBLISH
  }
}
