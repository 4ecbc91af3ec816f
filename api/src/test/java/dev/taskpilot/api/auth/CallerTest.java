package dev.taskpilot.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CallerTest {

  @Test
  void shouldGrantEveryLesserRoleWhenARoleIsHigher() {
    assertThat(Role.VIEWER.grants()).containsExactly("viewer");
    assertThat(Role.OPERATOR.grants()).containsExactly("viewer", "operator");
    assertThat(Role.ADMIN.grants()).containsExactly("viewer", "operator", "admin");
    assertThat(Role.ADMIN.id()).isEqualTo(Roles.ADMIN);
    assertThat(Role.OPERATOR.id()).isEqualTo(Roles.OPERATOR);
    assertThat(Role.VIEWER.id()).isEqualTo(Roles.VIEWER);
  }

  @Test
  void shouldRefuseAnUnknownRoleName() {
    assertThatThrownBy(() -> Role.parse("root"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("admin, operator, viewer");
    assertThatThrownBy(() -> Role.parse("ADMIN")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldSeeOnlyItsOwnersObjectsUnlessAdmin() {
    Caller viewer = new Caller("tok_1", "alice", Role.VIEWER);
    Caller admin = new Caller("tok_2", "root", Role.ADMIN);
    assertThat(viewer.sees("alice")).isTrue();
    assertThat(viewer.sees("bob")).isFalse();
    assertThat(viewer.ownerFilter()).isEqualTo("alice");
    assertThat(admin.sees("bob")).isTrue();
    assertThat(admin.ownerFilter()).isNull();
  }

  @Test
  void shouldComeBackUnchangedFromItsAuthentication() {
    Caller caller = new Caller("tok_abc", "alice", Role.OPERATOR);
    var authentication = caller.authentication();
    assertThat(authentication.getName()).isEqualTo("alice");
    assertThat(authentication.getRoles()).containsExactlyInAnyOrder("viewer", "operator");
    assertThat(Caller.of(authentication)).isEqualTo(caller);
  }

  @Test
  void shouldRefuseOwnerNamesThatAreNotPlain() {
    ApiTokens.checkOwner("alice");
    ApiTokens.checkOwner("ops-team.eu@example");
    for (String bad : new String[] {"", " alice", "a b", "-x", "a\nb", "x".repeat(101)}) {
      assertThatThrownBy(() -> ApiTokens.checkOwner(bad))
          .as("owner %s", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
