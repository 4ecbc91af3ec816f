package dev.taskpilot.app;

import dev.taskpilot.api.tasks.CreateSteps;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Cuts a create short at a named step: a failure armed for a step is thrown the next time any
 * create (or reconciler start) reaches it, once. A {@link Crash} is an {@code Error}, so no catch
 * block of the create runs, as when the process dies there. Records which task reached which step.
 * Active when {@value #ENABLED} is true.
 */
@Singleton
@Requires(property = CrashingCreateSteps.ENABLED, value = "true")
public class CrashingCreateSteps implements CreateSteps {
  public static final String ENABLED = "taskpilot.test.crashing-create-steps";

  /** What a process death looks like from inside: nothing catches it. */
  static final class Crash extends Error {
    Crash(Step step) {
      super("simulated crash at " + step);
    }
  }

  private final Map<Step, Supplier<? extends Throwable>> armed = new ConcurrentHashMap<>();
  private final Map<Step, List<String>> reached = new ConcurrentHashMap<>();

  /** Throws {@code failure} the next time a task reaches {@code step}. */
  void arm(Step step, Supplier<? extends Throwable> failure) {
    armed.put(step, failure);
  }

  /** Crashes the next time a task reaches {@code step}. */
  void crashAt(Step step) {
    arm(step, () -> new Crash(step));
  }

  /** Whether every armed failure was thrown. */
  boolean allFired() {
    return armed.isEmpty();
  }

  /** How often {@code taskId} reached {@code step}. */
  long times(Step step, String taskId) {
    return reached.getOrDefault(step, List.of()).stream().filter(taskId::equals).count();
  }

  /** The last task that reached {@code step}. */
  String lastAt(Step step) {
    List<String> tasks = reached.getOrDefault(step, List.of());
    return tasks.isEmpty() ? null : tasks.getLast();
  }

  @Override
  public void reached(Step step, String taskId) {
    reached.computeIfAbsent(step, key -> new CopyOnWriteArrayList<>()).add(taskId);
    Supplier<? extends Throwable> failure = armed.remove(step);
    if (failure == null) {
      return;
    }
    switch (failure.get()) {
      case Error error -> throw error;
      case RuntimeException exception -> throw exception;
      case Throwable other -> throw new IllegalStateException(other);
    }
  }
}
