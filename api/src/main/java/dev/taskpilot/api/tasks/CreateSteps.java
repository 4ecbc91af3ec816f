package dev.taskpilot.api.tasks;

/**
 * The named steps of creating a task, a seam for crash-injection tests: a test bean implementing it
 * throws at a step to cut the create short there, as a process death would. Production has no bean
 * of it, and nothing happens at the steps.
 */
public interface CreateSteps {

  /** The steps, in the order a create passes them. */
  enum Step {
    /** Inside the transaction: the row is inserted, its secrets are not, nothing is committed. */
    ROW_INSERTED,
    /** The row and its secrets are committed; the workflow start is not sent yet. */
    COMMITTED,
    /** The workflow start is about to be sent (also for a reconciler's start). */
    START_SENDING,
    /** The engine answered the start; the answer is not acted on yet. */
    START_ANSWERED,
    /** The engine is asked whether the workflow exists (after an unclear start). */
    DESCRIBING,
    /** The engine surely did not start the workflow; the row is not removed yet. */
    NOT_STARTED
  }

  /** Called when a create (or a reconciler's start) of task {@code taskId} reaches {@code step}. */
  void reached(Step step, String taskId);
}
