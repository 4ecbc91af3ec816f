package dev.taskpilot.api.auth;

/**
 * The role names of {@link Role} as constants for {@code @Secured}:
 * {@code @Secured(Roles.OPERATOR)} lets operators and admins through, since an admin token holds
 * every lesser role too.
 */
public final class Roles {
  public static final String VIEWER = "viewer";
  public static final String OPERATOR = "operator";
  public static final String ADMIN = "admin";

  private Roles() {}
}
