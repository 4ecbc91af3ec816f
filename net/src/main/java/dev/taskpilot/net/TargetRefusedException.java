package dev.taskpilot.net;

/** A user-supplied URL or git remote that Taskpilot will not send to. */
public class TargetRefusedException extends RuntimeException {

  /** Why: a malformed URL or remote, credentials in a remote, or an address the guard refuses. */
  public enum Reason {
    /**
     * Not a valid URL or remote for its use: scheme or transport, length, no host; {@link
     * OutboundGuard} also reports credentials in a URL so.
     */
    INVALID,
    /** User information with a secret in a git remote ({@link GitRemote#parse}). */
    CREDENTIALS,
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
