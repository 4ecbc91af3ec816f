package dev.taskpilot.workflows;

/**
 * A task's priority: an integer from {@link #MIN} (least urgent) to {@link #MAX}; {@link #DEFAULT}
 * when neither the user nor the planner chose one. The one definition the API's validation, the
 * planner's checks and the workflow's command validators share.
 */
public final class Priority {
  public static final int MIN = 0;
  public static final int MAX = 10;
  public static final int DEFAULT = 5;

  private Priority() {}

  public static boolean isValid(int priority) {
    return priority >= MIN && priority <= MAX;
  }

  /** The sentence that explains a refused priority. */
  public static String outOfRange(int priority) {
    return "priority must be between " + MIN + " and " + MAX + ", not " + priority;
  }
}
