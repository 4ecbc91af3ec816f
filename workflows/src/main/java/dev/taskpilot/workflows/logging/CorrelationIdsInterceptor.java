package dev.taskpilot.workflows.logging;

import dev.taskpilot.workflows.task.TaskWorkflow;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Puts the ids of each activity execution into the MDC of its thread ({@link LogIds}: {@code
 * taskId} for the task workflow's activities, {@code workflowId}, {@code runId}, {@code
 * activityType}, {@code attempt}) and removes them, and the propagated {@code requestId}, when it
 * ends. At DEBUG it logs a line when each execution starts and ends (ids in the MDC).
 */
public final class CorrelationIdsInterceptor extends WorkerInterceptorBase {
  /** The task workflow's type, as {@link TaskWorkflow} names it. */
  private static final Logger log = LoggerFactory.getLogger(CorrelationIdsInterceptor.class);

  private static final String TASK_WORKFLOW_TYPE = "Task";

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      @Override
      public void init(ActivityExecutionContext context) {
        ActivityInfo info = context.getInfo();
        if (TASK_WORKFLOW_TYPE.equals(info.getWorkflowType())) {
          MDC.put(LogIds.TASK_ID, info.getWorkflowId());
        }
        MDC.put(LogIds.WORKFLOW_ID, info.getWorkflowId());
        MDC.put(LogIds.RUN_ID, info.getRunId());
        MDC.put(LogIds.ACTIVITY_TYPE, info.getActivityType());
        MDC.put(LogIds.ATTEMPT, Integer.toString(info.getAttempt()));
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        log.debug("activity started");
        try {
          return super.execute(input);
        } finally {
          log.debug("activity ended");
          LogIds.ACTIVITY_KEYS.forEach(MDC::remove);
        }
      }
    };
  }
}
