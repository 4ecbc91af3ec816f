package dev.taskpilot.net;

/** A user-supplied URL that Taskpilot will not send to. */
public class TargetRefusedException extends RuntimeException {

  /** Why: a malformed URL, or an address the SSRF guard refuses. */
  public enum Reason {
    /** Not a valid URL for its use: scheme, length, credentials in it, no host. */
    INVALID,
    /** A loopback, private, link-local, ... address, or a name resolving to one. */
    NOT_ALLOWED
  }

  private final Reason reason;

  public TargetRefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
