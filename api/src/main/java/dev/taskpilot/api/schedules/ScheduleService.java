package dev.taskpilot.api.schedules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskpilot.api.auth.Caller;
import dev.taskpilot.api.auth.RateLimits;
import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.api.tasks.TaskRequestMapper;
import dev.taskpilot.api.tasks.TaskService;
import dev.taskpilot.api.tasks.TaskView;
import dev.taskpilot.store.ScheduleRecord;
import dev.taskpilot.store.ScheduleRepository;
import dev.taskpilot.store.ScheduleRunRepository;
import dev.taskpilot.workflows.TaskJson;
import dev.taskpilot.workflows.schedule.CronSchedule;
import dev.taskpilot.workflows.schedule.OverlapPolicy;
import dev.taskpilot.workflows.schedule.ScheduleInput;
import dev.taskpilot.workflows.schedule.ScheduleSpec;
import dev.taskpilot.workflows.schedule.ScheduleWorkflow;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The schedules facade: PostgreSQL plus one workflow per schedule. */
@Singleton
public class ScheduleService {
  private static final Logger log = LoggerFactory.getLogger(ScheduleService.class);
  private static final ObjectMapper JSON = JacksonJsonPayloadConverter.newDefaultObjectMapper();
  static final int MAX_LIST = 500;
  static final int MAX_RUNS = 200;

  private final ScheduleRepository schedules;
  private final ScheduleRunRepository runs;
  private final ScheduleWrites writes;
  private final TaskRequestMapper mapper;
  private final ScheduleEngine engine;
  private final TaskService tasks;
  private final RateLimits rateLimits;

  ScheduleService(
      ScheduleRepository schedules,
      ScheduleRunRepository runs,
      ScheduleWrites writes,
      TaskRequestMapper mapper,
      ScheduleEngine engine,
      TaskService tasks,
      RateLimits rateLimits) {
    this.schedules = schedules;
    this.runs = runs;
    this.writes = writes;
    this.mapper = mapper;
    this.engine = engine;
    this.tasks = tasks;
    this.rateLimits = rateLimits;
  }

  /** A request that passed every check. */
  private record Valid(
      ScheduleSpec spec, CronSchedule cron, TaskRequestMapper.MappedTask task, boolean paused) {}

  /**
   * Validates, stores and starts a schedule of the caller's owner; a non-admin owner may have at
   * most {@code taskpilot.rate-limits.max-schedules} ({@code 429 RATE_LIMITED}).
   */
  public ScheduleView create(Caller caller, ScheduleRequest request) {
    rateLimits.checkScheduleCount(caller, schedules.countLiveByOwner(caller.owner()));
    Valid valid = validate(caller.owner(), request);
    String id = "sch-" + UUID.randomUUID();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    ScheduleSpec spec = valid.spec();
    ScheduleRecord row =
        new ScheduleRecord(
            id,
            caller.owner(),
            request.name().strip(),
            spec.cron(),
            spec.timeZone(),
            TaskJson.write(valid.task().input()),
            spec.overlap().name(),
            spec.catchupWindow().toString(),
            valid.paused(),
            valid.paused() ? null : valid.cron().next(now),
            null,
            now,
            null,
            0,
            now,
            now,
            null);
    writes.insert(row, valid.task().secrets());
    try {
      engine.start(ScheduleInput.created(id, spec, valid.paused(), now), row.name());
    } catch (RuntimeException e) {
      writes.remove(id);
      throw e;
    }
    return view(row);
  }

  /** The schedule; {@code 404} for an unknown one and for another owner's. */
  public ScheduleView get(Caller caller, String id) {
    return view(row(caller, id));
  }

  /** The schedules the caller may see (an admin: every owner's), newest first. */
  public List<ScheduleView> list(Caller caller) {
    String owner = caller.ownerFilter();
    return (owner == null
            ? schedules.findLiveNewest(MAX_LIST)
            : schedules.findLiveByOwner(owner, MAX_LIST))
        .stream().map(ScheduleService::view).toList();
  }

  /** Replaces a schedule's definition: name, cron, zone, task, overlap, catch-up, paused. */
  public ScheduleView replace(Caller caller, String id, ScheduleRequest request) {
    ScheduleRecord row = row(caller, id);
    Valid valid = validate(row.owner(), request);
    writes.replaceDefinition(
        row,
        request.name().strip(),
        TaskJson.write(valid.task().input()),
        valid.task().secrets(),
        Instant.now().truncatedTo(ChronoUnit.MICROS));
    command(id, "update", workflow -> workflow.update(valid.spec(), valid.paused()));
    return get(caller, id);
  }

  public ScheduleView pause(Caller caller, String id) {
    row(caller, id);
    command(id, "pause", ScheduleWorkflow::pause);
    return get(caller, id);
  }

  public ScheduleView resume(Caller caller, String id) {
    row(caller, id);
    command(id, "resume", ScheduleWorkflow::resume);
    return get(caller, id);
  }

  /**
   * Starts a run now (paused or not) and returns its task; a non-admin caller spends one of its
   * task creations.
   */
  public TaskView trigger(Caller caller, String id) {
    row(caller, id);
    rateLimits.take(caller, RateLimits.Action.CREATE_TASK);
    String taskId = command(id, "trigger", ScheduleWorkflow::trigger);
    return tasks.get(Caller.INTERNAL, taskId);
  }

  /**
   * Ends the schedule's workflow, marks it deleted and purges its secrets; tasks it started go on
   * (with their own copies of the secrets, purged when each ends).
   */
  public void delete(Caller caller, String id) {
    row(caller, id);
    try {
      engine.update(id, "delete", ScheduleWorkflow::delete);
    } catch (WorkflowNotFoundException e) {
      log.warn("schedule {} had no running workflow; marked deleted all the same", id);
    }
    writes.markDeleted(id, Instant.now().truncatedTo(ChronoUnit.MICROS));
  }

  /** The tasks the schedule started and the fire times it skipped, newest first. */
  public List<ScheduleRunView> runs(Caller caller, String id) {
    row(caller, id);
    return runs.findNewest(id, MAX_RUNS).stream()
        .map(
            run ->
                new ScheduleRunView(
                    run.fireTime(),
                    run.manual(),
                    run.taskId(),
                    run.outcome(),
                    run.reason(),
                    run.recordedAt()))
        .toList();
  }

  private <T> T command(String id, String name, Function<ScheduleWorkflow, T> update) {
    try {
      return engine.update(id, name, update);
    } catch (WorkflowNotFoundException e) {
      throw new ApiException(
          ErrorCode.ENGINE_UNAVAILABLE, "the workflow engine does not know schedule " + id);
    }
  }

  private Valid validate(String owner, ScheduleRequest request) {
    ScheduleSpec spec =
        new ScheduleSpec(
            request.cron(),
            request.timeZone(),
            overlap(request.overlap()),
            catchupWindow(request.catchupWindow()));
    CronSchedule cron;
    try {
      cron = spec.validated();
    } catch (IllegalArgumentException e) {
      throw new ApiException(ErrorCode.VALIDATION_FAILED, e.getMessage());
    }
    if (request.task() != null && request.task().notBefore() != null) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED,
          "a schedule's task cannot fix notBefore: the schedule decides when each run starts");
    }
    // Exactly what POST /api/v1/tasks refuses, with the same codes.
    TaskRequestMapper.MappedTask task = mapper.map(null, owner, request.task());
    return new Valid(spec, cron, task, Boolean.TRUE.equals(request.paused()));
  }

  private static OverlapPolicy overlap(String text) {
    if (text == null) {
      return OverlapPolicy.SKIP;
    }
    try {
      return OverlapPolicy.valueOf(text);
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED,
          "overlap must be one of " + Arrays.toString(OverlapPolicy.values()) + ": '" + text + "'");
    }
  }

  private static Duration catchupWindow(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED,
          "catchupWindow must be an ISO-8601 duration such as PT1H: '" + text + "'");
    }
  }

  private ScheduleRecord row(Caller caller, String id) {
    return schedules
        .findLive(id)
        .filter(row -> caller.sees(row.owner()))
        .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no schedule " + id));
  }

  static ScheduleView view(ScheduleRecord row) {
    return new ScheduleView(
        row.id(),
        row.owner(),
        row.name(),
        row.cron(),
        row.timeZone(),
        template(row.task()),
        row.overlap(),
        row.catchupWindow(),
        row.paused(),
        row.paused() ? null : row.nextFireTime(),
        row.lastFireTime(),
        row.createdAt(),
        row.updatedAt());
  }

  /** The template as the resource shows it: without the (null) task id and the owner. */
  private static Map<String, Object> template(String json) {
    try {
      Map<String, Object> template =
          new LinkedHashMap<>(JSON.readValue(json, new TypeReference<Map<String, Object>>() {}));
      template.remove("taskId");
      template.remove("owner");
      // Temporal's JSON writes a Duration as decimal seconds; the API speaks ISO-8601.
      if (template.get("timeout") instanceof Number seconds) {
        template.put(
            "timeout", Duration.ofMillis(Math.round(seconds.doubleValue() * 1000)).toString());
      }
      return template;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored task template is not JSON", e);
    }
  }
}
