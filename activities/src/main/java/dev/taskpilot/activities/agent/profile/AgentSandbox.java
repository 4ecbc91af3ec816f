package dev.taskpilot.activities.agent.profile;

/** How an agent process is confined ({@code taskpilot.agents.<name>.sandbox}). */
public enum AgentSandbox {
  /**
   * The default: {@link #BUBBLEWRAP} where the worker can make that sandbox ({@code bwrap} is
   * installed and works, and {@code socat} when the profile allows hosts), else {@link #NONE}, said
   * loudly once at startup.
   */
  AUTO,
  /** The explicit opt-out: no confinement beyond the allow-listed environment and process group. */
  NONE,
  /**
   * Inside {@code bwrap}: the system directories read-only, the workspace read-write, a private
   * home, {@code /tmp}, {@code /dev} and {@code /proc}, its own PID, IPC and network namespaces, no
   * capabilities, and the network only through the worker's proxy to the profile's allowed hosts. A
   * run fails to start with a clear message when the worker cannot make it ({@code apt-get install
   * bubblewrap socat}).
   */
  BUBBLEWRAP
}
