package dev.taskpilot.activities.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpilot.store.ScheduleRecord;
import dev.taskpilot.store.ScheduleRunRepository;
import dev.taskpilot.store.ScheduleSecrets;
import dev.taskpilot.workflows.Priority;
import dev.taskpilot.workflows.TaskJson;
import dev.taskpilot.workflows.schedule.ScheduledStart;
import dev.taskpilot.workflows.task.TaskInput;
import io.micronaut.transaction.annotation.Transactional;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * Stores a scheduled run in one transaction: the task row from the schedule's template (only if the
 * id is new), the template's secrets for the task, and the run record.
 */
@Singleton
public class ScheduledTaskStore {
  private static final ObjectMapper JSON = JacksonJsonPayloadConverter.newDefaultObjectMapper();

  private final ScheduleRunRepository runs;
  private final ScheduleSecrets secrets;

  public ScheduledTaskStore(ScheduleRunRepository runs, ScheduleSecrets secrets) {
    this.runs = runs;
    this.secrets = secrets;
  }

  /** Stores the run; true when the task row is new, false when an earlier attempt stored it. */
  @Transactional
  public boolean store(ScheduleRecord schedule, ScheduledStart start) {
    TaskInput input = withTaskId(schedule.task(), start.taskId());
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    int inserted =
        runs.insertTaskIfAbsent(
            input.taskId(),
            input.owner(),
            input.title(),
            input.prompt(),
            input.agent(),
            input.workspace(),
            TaskJson.write(input.labels()),
            input.priority() == null ? Priority.DEFAULT : input.priority(),
            input.notBefore(),
            TaskJson.write(input),
            requestHash(schedule.task()),
            now);
    if (inserted == 1) {
      // An earlier attempt copied them with the row; the task may have ended and purged them.
      secrets.copyToTask(schedule.id(), start.taskId(), now);
    }
    runs.recordStarted(schedule.id(), start.fireTime(), start.manual(), start.taskId(), now);
    return inserted == 1;
  }

  /**
   * The template with the task id set (and with it the default branch of git targets). Through
   * JSON, so fields added to {@link TaskInput} later come along without a change here.
   */
  static TaskInput withTaskId(String templateJson, String taskId) {
    try {
      ObjectNode template = (ObjectNode) JSON.readTree(templateJson);
      template.put("taskId", taskId);
      // A git target without a branch of its own pushes each run to taskpilot/<its task id>.
      for (var target : template.path("publish")) {
        if ("git".equals(target.path("type").asText())
            && (target.path("branch").isMissingNode() || target.path("branch").isNull())) {
          ((ObjectNode) target).put("branch", "taskpilot/" + taskId);
        }
      }
      return JSON.treeToValue(template, TaskInput.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the stored task template is not a task input", e);
    }
  }

  /** The hash TaskService gives a request: of the input without its id, as the template is. */
  private static String requestHash(String templateJson) {
    String normalised = TaskJson.write(TaskJson.read(templateJson, TaskInput.class));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(normalised.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
