package dev.taskpilot.activities.worktree;

import dev.taskpilot.activities.agent.workspace.Workspaces;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.workflows.TaskStatus;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the worktrees of tasks that ended longer than {@code
 * taskpilot.workspaces.worktree-retention} ago (default 7 days), hourly on every worker.
 */
@Singleton
@Requires(property = "taskpilot.worker.enabled", value = "true", defaultValue = "true")
public class WorktreeCleaner {
  private static final Logger log = LoggerFactory.getLogger(WorktreeCleaner.class);

  private final Workspaces workspaces;
  private final Worktrees worktrees;
  private final TaskRepository tasks;
  private final Duration retention;

  public WorktreeCleaner(
      Workspaces workspaces,
      Worktrees worktrees,
      TaskRepository tasks,
      @Value("${taskpilot.workspaces.worktree-retention:7d}") Duration retention) {
    this.workspaces = workspaces;
    this.worktrees = worktrees;
    this.tasks = tasks;
    this.retention = retention;
  }

  @Scheduled(fixedDelay = "1h", initialDelay = "1m")
  void scheduled() {
    clean(Instant.now());
  }

  /** Removes the worktrees of tasks ended before {@code now - retention}; returns how many. */
  public int clean(Instant now) {
    Path scratch = workspaces.root().resolve(Workspaces.SCRATCH);
    if (!Files.isDirectory(scratch)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> entries = Files.list(scratch)) {
      for (Path entry : entries.toList()) {
        String taskId = entry.getFileName().toString();
        boolean expired =
            tasks
                .findById(taskId)
                .map(
                    task ->
                        TaskStatus.valueOf(task.status()).isTerminal()
                            && task.updatedAt().isBefore(now.minus(retention)))
                .orElse(false);
        if (expired && worktrees.remove(taskId)) {
          removed++;
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("cleaning worktrees under {} failed: {}", scratch, e.getMessage());
    }
    if (removed > 0) {
      log.info("removed {} worktree(s) of tasks that ended over {} ago", removed, retention);
    }
    return removed;
  }
}
