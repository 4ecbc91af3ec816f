package dev.taskpilot.api.tasks;

import dev.taskpilot.api.auth.Caller;
import dev.taskpilot.api.auth.RateLimits;
import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.store.OutputLineRecord;
import dev.taskpilot.store.OutputLineRepository;
import dev.taskpilot.store.TaskRecord;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.workflows.Priority;
import dev.taskpilot.workflows.TaskJson;
import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import dev.taskpilot.workflows.task.TaskInput;
import dev.taskpilot.workflows.task.TaskState;
import dev.taskpilot.workflows.task.TaskWorkflow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.ReadableBytes;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/** The task facade the API (and later the chat assistant) uses: PostgreSQL plus Temporal. */
@Singleton
public class TaskService {
  static final int MAX_PAGE = 200;
  static final int MAX_OUTPUT_LINES = 10_000;
  private static final int OUTPUT_BATCH_LINES = 500;

  private final TaskRepository tasks;
  private final OutputLineRepository output;
  private final long outputPageBytes;
  private final TaskRequestMapper mapper;
  private final TaskEngine engine;
  private final TaskWrites writes;
  private final RateLimits rateLimits;
  @Nullable private final CreateSteps steps;
  private final Counter created;

  TaskService(
      TaskRepository tasks,
      OutputLineRepository output,
      TaskRequestMapper mapper,
      TaskEngine engine,
      TaskWrites writes,
      RateLimits rateLimits,
      @Nullable CreateSteps steps,
      MeterRegistry meters,
      @Value("${taskpilot.api.output-page-bytes:1MB}") @ReadableBytes long outputPageBytes) {
    if (outputPageBytes < 1) {
      throw new IllegalArgumentException(
          "taskpilot.api.output-page-bytes must be positive: " + outputPageBytes);
    }
    this.outputPageBytes = outputPageBytes;
    this.writes = writes;
    this.rateLimits = rateLimits;
    this.steps = steps;
    this.tasks = tasks;
    this.output = output;
    this.mapper = mapper;
    this.engine = engine;
    this.created =
        Counter.builder("taskpilot.task.creations")
            .description("Tasks created through the API (repeats of an idempotency key excluded)")
            .register(meters);
  }

  /** A created (or, for a repeated idempotency key, the existing) task. */
  public record Created(TaskView task, boolean isNew) {}

  /**
   * Validates, stores and starts a task: the row and its secrets in one transaction, then the
   * workflow. Started: the task ({@code 201}). Surely not started: the row and its secrets are
   * removed again and the answer is {@code 503 ENGINE_UNAVAILABLE}, nothing half-made. Unclear (the
   * engine may have taken the start but did not say so, and cannot say now): the row stays for the
   * reconciler, also {@code 503}. A create cut short after the commit (the process died) leaves a
   * row the reconciler starts the same way. The task is the caller's owner's; a non-admin caller
   * spends one of its task creations ({@code 429 RATE_LIMITED} when none is left).
   */
  public Created create(Caller caller, CreateTaskRequest request, String idempotencyKey) {
    rateLimits.take(caller, RateLimits.Action.CREATE_TASK);
    String owner = caller.owner();
    String id = "task-" + UUID.randomUUID();
    TaskRequestMapper.MappedTask mapped = mapper.map(id, owner, request);
    TaskInput input = mapped.input();
    String hash = requestHash(input, mapped.secrets());
    if (idempotencyKey != null) {
      var existing = tasks.findByOwnerAndIdempotencyKey(owner, idempotencyKey);
      if (existing.isPresent()) {
        return repeated(existing.get(), hash);
      }
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    TaskRecord row =
        new TaskRecord(
            id,
            owner,
            input.title(),
            input.prompt(),
            input.agent(),
            input.workspace(),
            input.labels().toArray(String[]::new),
            TaskStatus.PLANNING.name(),
            null,
            input.priority() == null ? Priority.DEFAULT : input.priority(),
            input.notBefore(),
            null,
            null,
            null,
            null,
            null,
            TaskJson.write(input),
            idempotencyKey,
            hash,
            0,
            now,
            now);
    try {
      writes.insert(row, mapped.secrets());
    } catch (DataAccessException e) {
      // A concurrent request with the same key won the race: answer as for a repeat.
      if (idempotencyKey != null) {
        var winner = tasks.findByOwnerAndIdempotencyKey(owner, idempotencyKey);
        if (winner.isPresent()) {
          return repeated(winner.get(), hash);
        }
      }
      throw e;
    }
    created.increment();
    reached(CreateSteps.Step.COMMITTED, id);
    return switch (engine.startOnce(input)) {
      case EXISTS -> new Created(TaskViews.of(row), true);
      case ABSENT -> throw notStarted(row);
      case UNKNOWN -> throw kept(id);
    };
  }

  /**
   * Removes the row of a task whose workflow the engine surely did not start, with its secrets,
   * unless a reconciler claimed it meanwhile (then that one starts it).
   */
  private ApiException notStarted(TaskRecord row) {
    reached(CreateSteps.Step.NOT_STARTED, row.id());
    if (writes.removeUnstarted(row)) {
      return new ApiException(
          ErrorCode.ENGINE_UNAVAILABLE,
          "the workflow engine is not reachable; the task was not created, try again");
    }
    return kept(row.id());
  }

  /**
   * The answer when the engine did not confirm the start: the row stays, and the reconciler starts
   * its workflow (or finds it started) after its grace; a repeat with the same Idempotency-Key
   * returns the task.
   */
  private static ApiException kept(String id) {
    return new ApiException(
        ErrorCode.ENGINE_UNAVAILABLE,
        "the workflow engine did not confirm the start of task "
            + id
            + "; it is kept and will be started shortly. Repeat the request with the same"
            + " Idempotency-Key to get it");
  }

  private void reached(CreateSteps.Step step, String taskId) {
    if (steps != null) {
      steps.reached(step, taskId);
    }
  }

  private Created repeated(TaskRecord existing, String hash) {
    if (!existing.requestHash().equals(hash)) {
      throw new ApiException(
          ErrorCode.IDEMPOTENCY_KEY_REUSED,
          "this Idempotency-Key was used for task " + existing.id() + " with a different body");
    }
    return new Created(TaskViews.of(existing), false);
  }

  /** The task resource of a row, as {@link #get} answers it. */
  public static TaskView view(TaskRecord row) {
    return TaskViews.of(row);
  }

  /** The task resource; {@code 404} for an unknown task and for another owner's. */
  public TaskView get(Caller caller, String id) {
    return TaskViews.of(row(caller, id));
  }

  /**
   * Fails with {@code 404 NOT_FOUND} unless the task exists and the caller may see it: another
   * owner's task is answered exactly like an unknown one.
   */
  public void requireVisible(Caller caller, String id) {
    row(caller, id);
  }

  private static final java.util.regex.Pattern NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");

  /**
   * The rows a caller asks for, checked: the filters of the task list and the global event stream.
   *
   * @param owner null for every owner (an admin who names none)
   * @param none whether nothing can match: a non-admin asked for another owner's tasks, which it
   *     may not see, and gets nothing rather than an error (so a list is the same for every owner
   *     that does not exist or is not the caller's)
   */
  public record Filter(
      @Nullable String owner,
      @Nullable String status,
      @Nullable String label,
      @Nullable String agent,
      boolean none) {}

  /**
   * Checks the list filters: {@code status} must be a task status, {@code agent} and {@code owner}
   * names ({@code [A-Za-z0-9][A-Za-z0-9._@-]{0,99}}), else {@code 400 VALIDATION_FAILED}; {@code
   * owner} narrows an admin's view and can only narrow a non-admin's to itself.
   */
  public Filter filter(Caller caller, String status, String label, String agent, String owner) {
    if (status != null) {
      try {
        TaskStatus.valueOf(status);
      } catch (IllegalArgumentException e) {
        throw new ApiException(ErrorCode.VALIDATION_FAILED, "unknown status '" + status + "'");
      }
    }
    checkName("agent", agent);
    checkName("owner", owner);
    String visible = caller.ownerFilter();
    if (visible == null) {
      return new Filter(owner, status, label, agent, false);
    }
    return new Filter(visible, status, label, agent, owner != null && !owner.equals(visible));
  }

  private static void checkName(String parameter, String value) {
    if (value != null && !NAME.matcher(value).matches()) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED, parameter + " must match [A-Za-z0-9][A-Za-z0-9._@-]{0,99}");
    }
  }

  /** A page of the tasks the caller may see, newest first. */
  public TaskPage list(Caller caller, String status, String label, Integer limit, String cursor) {
    return list(caller, status, label, null, null, limit, cursor);
  }

  /**
   * A page of the tasks the caller may see, newest first, filtered (see {@link #filter}); the
   * cursor of a page goes on with the same filters.
   */
  public TaskPage list(
      Caller caller,
      String status,
      String label,
      String agent,
      String owner,
      Integer limit,
      String cursor) {
    int size = limit == null ? 50 : limit;
    if (size < 1 || size > MAX_PAGE) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED, "limit must be between 1 and " + MAX_PAGE + ": " + size);
    }
    Filter filter = filter(caller, status, label, agent, owner);
    TaskCursor after = cursor == null ? null : TaskCursor.decode(cursor);
    if (filter.none()) {
      return new TaskPage(List.of(), null);
    }
    List<TaskRecord> rows =
        tasks.findPage(
            filter.owner(),
            filter.status(),
            filter.label(),
            filter.agent(),
            after == null ? null : after.createdAt(),
            after == null ? null : after.id(),
            size + 1);
    List<TaskView> items = rows.stream().limit(size).map(TaskViews::of).toList();
    String next = null;
    if (rows.size() > size) {
      TaskRecord last = rows.get(size - 1);
      next = new TaskCursor(last.createdAt(), last.id()).encode();
    }
    return new TaskPage(items, next);
  }

  /**
   * Applies a command through its workflow Update and returns the task as it is afterwards. A task
   * that has ended takes no command (409).
   */
  public TaskView command(Caller caller, String id, String name, Function<TaskWorkflow, ?> update) {
    TaskRecord row = row(caller, id);
    if (TaskStatus.valueOf(row.status()).isTerminal()) {
      throw new ApiException(
          ErrorCode.INVALID_STATE, name + " does not apply to a task in status " + row.status());
    }
    engine.update(id, name, update, () -> TaskStatus.valueOf(row(caller, id).status()));
    return get(caller, id);
  }

  /**
   * Approves the gate a task waits at. A task stopped by its budget needs a larger {@code
   * budgetUsd}; the workflow checks it is above what was spent.
   */
  public TaskView approve(
      Caller caller, String id, String comment, java.math.BigDecimal budgetUsd) {
    TaskRecord row = row(caller, id);
    if ("BUDGET".equals(row.approvalGate()) && budgetUsd == null) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED,
          "task " + id + " stopped at its budget; approve with a larger budgetUsd to go on");
    }
    return command(caller, id, "approve", workflow -> workflow.approve(comment, budgetUsd));
  }

  /** The task's live state from its workflow. */
  public LiveStateView liveState(Caller caller, String id) {
    row(caller, id);
    TaskState state = engine.query(id);
    return new LiveStateView(
        id,
        state.status().name(),
        state.statusReason(),
        state.priority(),
        state.notBefore(),
        state.gate() == null ? null : state.gate().name().toLowerCase(Locale.ROOT),
        state.version(),
        state.updatedAt());
  }

  /**
   * A page of a task's output.
   *
   * @param lastLine the number of the page's last line (the {@code after} of the next page)
   * @param more whether lines after the page exist already
   */
  public record OutputPage(List<OutputLineRecord> lines, long lastLine, boolean more) {}

  /**
   * The output lines after line {@code after}: at most {@link #MAX_OUTPUT_LINES} and about {@code
   * taskpilot.api.output-page-bytes} (1 MB, that is 1 MiB; at least one line), read from PostgreSQL
   * in small batches, so a page never holds a task's whole output in memory.
   */
  public OutputPage output(Caller caller, String id, long after) {
    row(caller, id);
    if (after < 0) {
      throw new ApiException(ErrorCode.VALIDATION_FAILED, "after must not be negative");
    }
    List<OutputLineRecord> page = new ArrayList<>();
    long bytes = 0;
    long from = after;
    while (true) {
      List<OutputLineRecord> batch = output.findAfter(id, from, OUTPUT_BATCH_LINES);
      for (OutputLineRecord line : batch) {
        long size = OutputLineRecord.bytes(line.text());
        if (page.size() >= MAX_OUTPUT_LINES
            || (!page.isEmpty() && bytes + size > outputPageBytes)) {
          return new OutputPage(page, page.getLast().lineNo(), true);
        }
        page.add(line);
        bytes += size;
      }
      if (batch.size() < OUTPUT_BATCH_LINES) {
        return new OutputPage(page, page.isEmpty() ? after : page.getLast().lineNo(), false);
      }
      from = batch.getLast().lineNo();
    }
  }

  private TaskRecord row(Caller caller, String id) {
    return tasks
        .findById(id)
        .filter(row -> caller.sees(row.owner()))
        .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no task " + id));
  }

  /**
   * Same request, same hash: the hash covers the normalised input minus its generated id (also in a
   * git target's default branch) and the secrets, so a repeat with another secret is refused.
   */
  static String requestHash(TaskInput input, Map<String, String> secrets) {
    String defaultBranch = "taskpilot/" + input.taskId();
    List<PublishTarget> targets =
        input.publish().stream()
            .map(
                target ->
                    target instanceof PublishTarget.Git git && git.branch().equals(defaultBranch)
                        ? new PublishTarget.Git(git.remote(), "taskpilot/<task-id>")
                        : target)
            .toList();
    TaskInput anonymous =
        new TaskInput(
            null,
            input.owner(),
            input.title(),
            input.prompt(),
            input.agent(),
            input.workspace(),
            input.priority(),
            input.notBefore(),
            input.context(),
            input.labels(),
            input.approval(),
            targets,
            input.notifyEvents(),
            input.timeout(),
            input.budgetUsd(),
            input.channels());
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(TaskJson.write(anonymous).getBytes(StandardCharsets.UTF_8));
      for (var secret : new TreeMap<>(secrets).entrySet()) {
        sha256.update(
            ("\n" + secret.getKey() + "=" + secret.getValue()).getBytes(StandardCharsets.UTF_8));
      }
      byte[] digest = sha256.digest();
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
