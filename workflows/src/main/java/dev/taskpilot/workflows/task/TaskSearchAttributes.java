package dev.taskpilot.workflows.task;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The search attributes a task's workflow keeps up to date, so the Temporal Web UI (and {@code
 * temporal workflow list --query}) can find tasks, e.g. {@code TaskpilotStatus = 'SUCCEEDED' AND
 * TaskpilotOwner = 'alice'}. Each is upserted only when its value changed, to keep histories small.
 * They are plain text in Temporal's visibility store: no title, prompt or secret goes in. Workflow
 * code only, but for {@link #REGISTERED}, which engines register at start.
 */
public final class TaskSearchAttributes {
  public static final SearchAttributeKey<String> STATUS =
      SearchAttributeKey.forKeyword("TaskpilotStatus");
  public static final SearchAttributeKey<Long> PRIORITY =
      SearchAttributeKey.forLong("TaskpilotPriority");
  public static final SearchAttributeKey<String> AGENT =
      SearchAttributeKey.forKeyword("TaskpilotAgent");
  public static final SearchAttributeKey<String> WORKSPACE =
      SearchAttributeKey.forKeyword("TaskpilotWorkspace");
  public static final SearchAttributeKey<String> OWNER =
      SearchAttributeKey.forKeyword("TaskpilotOwner");
  public static final SearchAttributeKey<List<String>> LABELS =
      SearchAttributeKey.forKeywordList("TaskpilotLabels");

  /** Every attribute by name with its type, as a Temporal server must have them registered. */
  public static final Map<String, IndexedValueType> REGISTERED = registered();

  private final Map<SearchAttributeKey<?>, Object> upserted = new HashMap<>();
  private Boolean enabled;

  /** Upserts the attributes of the task whose value differs from the one upserted last. */
  void upsert(TaskInput input, TaskProgress progress) {
    if (enabled == null) {
      // Histories from before search attributes replay without them.
      enabled = Workflow.getVersion("search-attributes", Workflow.DEFAULT_VERSION, 1) >= 1;
    }
    if (!enabled) {
      return;
    }
    List<SearchAttributeUpdate<?>> changes = new ArrayList<>();
    change(changes, STATUS, progress.status.name());
    change(changes, PRIORITY, (long) progress.priority);
    change(changes, AGENT, input.agent());
    change(changes, WORKSPACE, input.workspace());
    change(changes, OWNER, input.owner());
    change(
        changes,
        LABELS,
        input.labels() == null || input.labels().isEmpty() ? null : List.copyOf(input.labels()));
    if (!changes.isEmpty()) {
      Workflow.upsertTypedSearchAttributes(changes.toArray(new SearchAttributeUpdate<?>[0]));
    }
  }

  private <T> void change(
      List<SearchAttributeUpdate<?>> changes, SearchAttributeKey<T> key, T value) {
    if (Objects.equals(upserted.get(key), value) || (value == null && !upserted.containsKey(key))) {
      return;
    }
    changes.add(
        value == null
            ? SearchAttributeUpdate.valueUnset(key)
            : SearchAttributeUpdate.valueSet(key, value));
    if (value == null) {
      upserted.remove(key);
    } else {
      upserted.put(key, value);
    }
  }

  private static Map<String, IndexedValueType> registered() {
    Map<String, IndexedValueType> types = new LinkedHashMap<>();
    for (SearchAttributeKey<?> key : List.of(STATUS, PRIORITY, AGENT, WORKSPACE, OWNER, LABELS)) {
      types.put(key.getName(), key.getValueType());
    }
    return Map.copyOf(types);
  }
}
