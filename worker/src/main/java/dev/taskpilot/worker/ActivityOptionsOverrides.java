package dev.taskpilot.worker;

import dev.taskpilot.workflows.task.ActivityDefaults;
import io.micronaut.context.exceptions.ConfigurationException;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.worker.WorkflowImplementationOptions;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns {@code taskpilot.activities.*} into per-activity-type options of the task workflow.
 * Temporal lets these win over the options declared in the workflow; retry options are replaced
 * whole, so each override starts from the declared retry options and changes only what is
 * configured.
 */
@Singleton
public class ActivityOptionsOverrides {
  private final Map<String, ActivityOptions> byType;

  public ActivityOptionsOverrides(List<ActivityOverride> overrides) {
    Map<String, ActivityOptions> options = new HashMap<>();
    for (ActivityOverride override : overrides) {
      String type = typeName(override.name());
      ActivityOptions declared = ActivityDefaults.BY_TYPE.get(type);
      if (declared == null) {
        throw new ConfigurationException(
            "taskpilot.activities."
                + override.name()
                + " names no activity; known: "
                + ActivityDefaults.BY_TYPE.keySet().stream()
                    .map(ActivityOptionsOverrides::configName)
                    .sorted()
                    .toList());
      }
      options.put(type, apply(declared, override));
    }
    this.byType = Map.copyOf(options);
  }

  /** The overridden options by activity type. */
  public Map<String, ActivityOptions> byType() {
    return byType;
  }

  /** The workflow implementation options carrying the overrides. */
  public WorkflowImplementationOptions workflowOptions() {
    return WorkflowImplementationOptions.newBuilder().setActivityOptions(byType).build();
  }

  /** {@code PublishWebhook} → {@code publish-webhook}. */
  static String configName(String typeName) {
    return typeName.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  static String typeName(String configName) {
    StringBuilder type = new StringBuilder();
    for (String part : configName.toLowerCase(Locale.ROOT).split("-")) {
      if (!part.isEmpty()) {
        type.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return type.toString();
  }

  private static ActivityOptions apply(ActivityOptions declared, ActivityOverride override) {
    RetryOptions.Builder retry = RetryOptions.newBuilder(declared.getRetryOptions());
    if (override.initialInterval() != null) {
      retry.setInitialInterval(override.initialInterval());
    }
    if (override.backoffCoefficient() != null) {
      retry.setBackoffCoefficient(override.backoffCoefficient());
    }
    if (override.maximumInterval() != null) {
      retry.setMaximumInterval(override.maximumInterval());
    }
    if (override.maximumAttempts() != null) {
      retry.setMaximumAttempts(override.maximumAttempts());
    }
    // Only what is overridden is set: unset fields must not replace the declared or per-task ones.
    ActivityOptions.Builder options = ActivityOptions.newBuilder().setRetryOptions(retry.build());
    if (override.startToCloseTimeout() != null) {
      options.setStartToCloseTimeout(override.startToCloseTimeout());
    }
    if (override.heartbeatTimeout() != null) {
      options.setHeartbeatTimeout(override.heartbeatTimeout());
    }
    return options.build();
  }
}
