package dev.taskpilot.workflows.client;

import dev.taskpilot.workflows.ErrorType;

/**
 * Why a call through {@link EngineCalls} did not get its answer: the workflow refused it, or the
 * engine (or a worker behind it) did not answer. Messages are sentences fit to show a caller.
 */
public abstract sealed class EngineCallException extends RuntimeException
    permits EngineCallException.Refused, EngineCallException.Unavailable {

  private EngineCallException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The workflow refused an Update: its validator or handler threw an {@code ApplicationFailure}.
   * The message is the failure's own.
   */
  public static final class Refused extends EngineCallException {
    private final ErrorType type;

    public Refused(ErrorType type, String message, Throwable cause) {
      super(message, cause);
      this.type = type;
    }

    /** The failure's type, {@link ErrorType#INTERNAL} when it is not one of ours. */
    public ErrorType type() {
      return type;
    }
  }

  /** No answer: the engine is not reachable, or no worker answered in time, or the wait ended. */
  public static final class Unavailable extends EngineCallException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
