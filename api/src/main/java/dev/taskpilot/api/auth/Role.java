package dev.taskpilot.api.auth;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a token may do. Each role includes the ones before it: a viewer reads, an operator also
 * creates and commands, an admin does everything and sees every owner.
 */
public enum Role {
  VIEWER,
  OPERATOR,
  ADMIN;

  /** The name used on the command line, in the database and in {@code @Secured}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role names a token of this role holds: its own and every lesser one. */
  public List<String> grants() {
    return Arrays.stream(values())
        .filter(role -> role.ordinal() <= ordinal())
        .map(Role::id)
        .toList();
  }

  /** The role of a name, or an exception listing the names. */
  public static Role parse(String text) {
    for (Role role : values()) {
      if (role.id().equals(text)) {
        return role;
      }
    }
    throw new IllegalArgumentException(
        "role must be one of admin, operator, viewer: '" + text + "'");
  }
}
