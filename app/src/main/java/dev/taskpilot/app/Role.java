package dev.taskpilot.app;

/** The three ways to run the one build. */
enum Role {
  /** Embedded Temporal + embedded PostgreSQL (unless configured) + API + workers, one JVM. */
  DEV,
  /** The HTTP API only. */
  API,
  /**
   * Workers only: no HTTP server, unless {@code taskpilot.worker.metrics-http.enabled} gives it one
   * for {@code /prometheus} and {@code /health} ({@link WorkerMetricsOnly}).
   */
  WORKER;

  String environment() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
