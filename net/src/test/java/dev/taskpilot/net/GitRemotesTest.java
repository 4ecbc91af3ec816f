package dev.taskpilot.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskpilot.net.TargetRefusedException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two phases of the git remote rules: when a task names a remote, and before git uses it. */
class GitRemotesTest {

  @TempDir Path temp;

  private final MapHostResolver resolver =
      new MapHostResolver().map("git.example.org", "93.184.216.34").map("inside.test", "10.0.0.5");
  private Path root;
  private GitRemotes remotes;

  @BeforeEach
  void createRemotes() throws IOException {
    root = Files.createDirectories(temp.resolve("remotes")).toRealPath();
    remotes =
        new GitRemotes(
            new OutboundGuard(new NetworkConfig(List.of()), resolver), List.of(root.toString()));
  }

  @Test
  void shouldAcceptRemotesOfEveryFormAtBothPhases() {
    // then
    assertThat(remotes.checkAtCreation("https://git.example.org/shop.git"))
        .isInstanceOf(GitRemote.Http.class);
    assertThat(remotes.checkAtSend("https://git.example.org/shop.git"))
        .isEqualTo(new GitRemotes.Checked("https://git.example.org/shop.git", "https"));
    assertThat(remotes.checkAtSend("git@git.example.org:shop.git"))
        .isEqualTo(new GitRemotes.Checked("git@git.example.org:shop.git", "ssh"));
    assertThat(remotes.checkAtCreation(root + "/team/../shop.git"))
        .isInstanceOf(GitRemote.Local.class);
    assertThat(remotes.checkAtSend(root + "/team/../shop.git"))
        .isEqualTo(new GitRemotes.Checked(root.resolve("shop.git").toString(), "file"));
  }

  @Test
  void shouldRefuseEveryLocalRemoteWhenNoRootIsConfigured() {
    // given
    GitRemotes none =
        new GitRemotes(new OutboundGuard(new NetworkConfig(List.of()), resolver), null);

    // then
    assertThatThrownBy(() -> none.checkAtCreation(temp.resolve("shop.git").toString()))
        .isInstanceOfSatisfying(
            TargetRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NOT_ALLOWED));
  }

  @Test
  void shouldRefuseALocalRemoteWhenItIsTheRootItselfOrALinkLeadsOutOfIt() throws IOException {
    // given
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.createSymbolicLink(root.resolve("escape"), outside);

    // then
    for (String remote : List.of(root.toString(), root.resolve("escape/shop.git").toString())) {
      assertThatThrownBy(() -> remotes.checkAtCreation(remote))
          .as(remote)
          .isInstanceOfSatisfying(
              TargetRefusedException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.NOT_ALLOWED));
    }
  }

  @Test
  void shouldRefuseALocalRemoteOutsideTheRoots() {
    // then
    for (String remote : List.of(temp.resolve("elsewhere.git").toString(), "file:///etc/x.git")) {
      assertThatThrownBy(() -> remotes.checkAtCreation(remote))
          .isInstanceOfSatisfying(
              TargetRefusedException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.NOT_ALLOWED))
          .hasMessageContaining(GitRemotes.LOCAL_ROOTS_KEY);
      assertThatThrownBy(() -> remotes.checkAtSend(remote))
          .isInstanceOfSatisfying(
              TargetRefusedException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.NOT_ALLOWED));
    }
  }

  @Test
  void shouldRefuseAHostInsideTheNetworkWithoutRepeatingTheRemote() {
    // then
    assertThatThrownBy(() -> remotes.checkAtCreation("https://inside.test/secret-repo.git"))
        .isInstanceOfSatisfying(
            TargetRefusedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_ALLOWED))
        .hasMessageStartingWith("the git remote is not allowed: ")
        .hasMessageNotContaining("secret-repo");
    assertThatThrownBy(() -> remotes.checkAtSend("ssh://git@10.0.0.5/shop.git"))
        .isInstanceOfSatisfying(
            TargetRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NOT_ALLOWED));
  }

  @Test
  void shouldPassAnUnresolvedHostAtCreationAndFailForNowAtSend() {
    // then
    assertThat(remotes.checkAtCreation("https://later.example.org/shop.git"))
        .isInstanceOf(GitRemote.Http.class);
    assertThatThrownBy(() -> remotes.checkAtSend("https://later.example.org/shop.git"))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void shouldRefuseCredentialsAtBothPhases() {
    // then
    assertThatThrownBy(() -> remotes.checkAtCreation("https://user:token@git.example.org/x.git"))
        .isInstanceOfSatisfying(
            TargetRefusedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CREDENTIALS))
        .hasMessageNotContaining("token");
    assertThatThrownBy(() -> remotes.checkAtSend("https://user:token@git.example.org/x.git"))
        .isInstanceOfSatisfying(
            TargetRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.CREDENTIALS));
  }

  @Test
  void shouldTellBranchNamesGitAccepts() {
    // then
    assertThat(GitRemotes.isBranchName("taskpilot/task-1")).isTrue();
    assertThat(List.of("../x", "-f", "a.lock", "a//b", "/a", "a/.b", "a."))
        .noneMatch(GitRemotes::isBranchName);
  }
}
