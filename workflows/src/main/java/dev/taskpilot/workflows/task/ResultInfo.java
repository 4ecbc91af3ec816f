package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.activities.publish.Publication;
import java.util.List;

/**
 * What a finished run produced and where it went.
 *
 * @param summary what the task's view shows
 * @param publications the targets delivered to
 * @param text the agent's bounded result text, as published; kept in the projection so that a task
 *     restarted from PostgreSQL (dev's engine lost its memory) can still publish it; null in states
 *     from before it was kept
 */
public record ResultInfo(String summary, List<Publication> publications, String text) {

  /** A result without its text (states from before the text was kept). */
  public ResultInfo(String summary, List<Publication> publications) {
    this(summary, publications, null);
  }
}
