package dev.taskpilot.workflows;

import io.temporal.workflow.Workflow;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Writes a workflow's state into its PostgreSQL projection, each write with a version one above the
 * last, so the projection can ignore stale or repeated writes. Shared by the task and the schedule
 * workflow; workflow code only.
 *
 * @param <S> the state written
 */
public final class ProjectionWriter<S> {
  private final LongFunction<S> snapshot;
  private final Consumer<S> writer;
  private long version;
  private long recordedVersion;

  /**
   * @param version the version written last (0 for a new workflow)
   * @param snapshot the state at a given version
   * @param writer the activity call that writes a state
   */
  public ProjectionWriter(long version, LongFunction<S> snapshot, Consumer<S> writer) {
    this.version = version;
    this.recordedVersion = version;
    this.snapshot = snapshot;
    this.writer = writer;
  }

  /** Writes the current state under the next version. */
  public void write() {
    long at = ++version;
    writer.accept(snapshot.apply(at));
    recordedVersion = Math.max(recordedVersion, at);
  }

  /** The current state at the version written last. */
  public S current() {
    return snapshot.apply(version);
  }

  /** The version written last. */
  public long version() {
    return version;
  }

  /**
   * Writes the current state and returns it once it, and every write before it, is in the
   * projection: an Update's answer, so a read right after a command sees its effect.
   */
  public S settled() {
    write();
    long target = version;
    Workflow.await(() -> recordedVersion >= target);
    return current();
  }
}
