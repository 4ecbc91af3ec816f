package dev.taskpilot.activities.output;

import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Lets an agent activity see its task's output batches as they are stored, to parse events from
 * them, without the runner knowing about formats.
 */
@Singleton
public class OutputListeners {
  private final Map<String, Consumer<List<OutputLine>>> listeners = new ConcurrentHashMap<>();

  /** Hears the task's batches until the returned handle is closed. */
  public AutoCloseable listen(String taskId, Consumer<List<OutputLine>> listener) {
    listeners.put(taskId, listener);
    return () -> listeners.remove(taskId, listener);
  }

  void publish(String taskId, List<OutputLine> batch) {
    Consumer<List<OutputLine>> listener = listeners.get(taskId);
    if (listener != null) {
      listener.accept(batch);
    }
  }
}
