package dev.taskpilot.api.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import java.security.Principal;
import java.util.Map;

/**
 * Who is calling: the token's id, its owner and its role. A non-admin sees only its owner's tasks,
 * schedules, LLM calls, chat history and standing context; an admin sees every owner's. A {@link
 * Principal} named by the owner, so that the OpenAPI document leaves it out of the parameters.
 */
public record Caller(String tokenId, String owner, Role role) implements Principal {
  static final String TOKEN_ID = "tokenId";
  static final String ROLE = "role";

  /**
   * The caller of work the API does on its own behalf, not for a token: a one-tap approval link
   * (the link's own secret decides), a schedule's run. Sees every owner; never rate-limited.
   */
  public static final Caller INTERNAL = new Caller("internal", "internal", Role.ADMIN);

  @Override
  public String getName() {
    return owner;
  }

  /** Whether the caller sees the objects of every owner. */
  public boolean seesEveryOwner() {
    return role == Role.ADMIN;
  }

  /** Whether the caller may see an object of {@code objectOwner}. */
  public boolean sees(String objectOwner) {
    return seesEveryOwner() || owner.equals(objectOwner);
  }

  /** The owner a list is filtered by: null (every owner) for an admin. */
  public @Nullable String ownerFilter() {
    return seesEveryOwner() ? null : owner;
  }

  /** The Micronaut Security authentication of this caller: name = owner, roles = its grants. */
  public Authentication authentication() {
    return Authentication.build(owner, role.grants(), Map.of(TOKEN_ID, tokenId, ROLE, role.id()));
  }

  /** The caller an authentication made by {@link #authentication()} stands for. */
  public static Caller of(Authentication authentication) {
    Map<String, Object> attributes = authentication.getAttributes();
    return new Caller(
        String.valueOf(attributes.get(TOKEN_ID)),
        authentication.getName(),
        Role.parse(String.valueOf(attributes.get(ROLE))));
  }
}
