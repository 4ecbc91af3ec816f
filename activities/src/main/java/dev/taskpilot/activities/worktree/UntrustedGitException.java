package dev.taskpilot.activities.worktree;

/** A worktree or repository git may not run in: something in it could run a command. */
public class UntrustedGitException extends RuntimeException {

  public UntrustedGitException(String message) {
    super(message);
  }
}
