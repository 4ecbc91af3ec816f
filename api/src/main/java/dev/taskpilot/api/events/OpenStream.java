package dev.taskpilot.api.events;

/** An open event stream as {@link TaskEvents} counts and ends them: per task or global. */
interface OpenStream {
  /** Ends the stream normally at its next step (the server is shutting down). */
  void close();
}
