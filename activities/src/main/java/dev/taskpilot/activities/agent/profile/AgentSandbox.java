package dev.taskpilot.activities.agent.profile;

/** How an agent process is confined. */
public enum AgentSandbox {
  /** No confinement beyond the allow-listed environment and the own process group. */
  NONE,
  /**
   * Inside {@code bwrap}: a read-only view of the system, a private {@code /tmp}, {@code /dev} and
   * {@code /proc}, its own PID namespace, and only the workspace writable. Needs bubblewrap on the
   * worker ({@code apt-get install bubblewrap}).
   */
  BUBBLEWRAP
}
