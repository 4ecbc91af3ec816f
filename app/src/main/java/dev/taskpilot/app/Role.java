package dev.taskpilot.app;

/** The three ways to run the one build. */
enum Role {
  /** Embedded Temporal + embedded PostgreSQL (unless configured) + API + workers, one JVM. */
  DEV,
  /** The HTTP API only. */
  API,
  /** Workers only: no HTTP server. */
  WORKER;

  String environment() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
