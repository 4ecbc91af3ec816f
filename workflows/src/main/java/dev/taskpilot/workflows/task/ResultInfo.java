package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.activities.publish.Publication;
import java.util.List;

/** What a finished run produced and where it went. */
public record ResultInfo(String summary, List<Publication> publications) {}
