package dev.taskpilot.api.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.net.NetworkConfig;
import dev.taskpilot.net.OutboundGuard;
import dev.taskpilot.net.TargetRefusedException;
import dev.taskpilot.net.TargetRefusedException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The git remotes and branches a task may push to, and the API codes of what it may not. */
class GitRemotesTest {

  @TempDir Path temp;

  private final OutboundGuard guard =
      new OutboundGuard(new NetworkConfig(List.of()), new FakeDns().map("lan.test", "10.0.0.9"));

  private static ApiException refusal(GitRemotes remotes, String remote) {
    ApiException refused = catchThrowableOfType(ApiException.class, () -> remotes.check(remote));
    assertThat(refused).as(remote).isNotNull();
    return refused;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "main",
        "taskpilot/task-0b5c7c1e-1111-4222-8333-944445555666",
        "feature/flaky_test.v2",
        "release-1.2",
        "a"
      })
  void shouldAcceptABranchNameWhenGitWouldTakeIt(String branch) {
    assertThat(GitRemotes.isBranchName(branch)).isTrue();
  }

  @Test
  void shouldRefuseABranchNameWhenItIsLongerThanTwoHundredCharacters() {
    assertThat(GitRemotes.isBranchName("b".repeat(200))).isTrue();
    assertThat(GitRemotes.isBranchName("b".repeat(201))).isFalse();
  }

  @Test
  void shouldRefuseEveryLocalRemoteWhenNoRootIsConfigured() {
    // given
    GitRemotes remotes = new GitRemotes(guard, null);

    // when
    ApiException refused = refusal(remotes, temp.resolve("shop.git").toString());

    // then
    assertThat(refused.code()).isEqualTo(ErrorCode.TARGET_NOT_ALLOWED);
    assertThat(refused.getMessage()).endsWith("(none configured)");
  }

  @Test
  void shouldRefuseALocalRemoteWhenItIsTheRootItself() {
    // given
    GitRemotes remotes = new GitRemotes(guard, List.of(temp.toString()));

    // then
    assertThat(refusal(remotes, temp.toString()).code()).isEqualTo(ErrorCode.TARGET_NOT_ALLOWED);
    assertThatCode(() -> remotes.check("file://" + temp.resolve("shop.git")))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldRefuseALocalRemoteWhenASymbolicLinkLeadsOutOfTheRoot() throws Exception {
    // given
    Path root = Files.createDirectories(temp.resolve("remotes"));
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.createSymbolicLink(root.resolve("escape"), outside);
    GitRemotes remotes = new GitRemotes(guard, List.of(root.toString()));

    // when
    ApiException refused = refusal(remotes, root.resolve("escape/shop.git").toString());

    // then
    assertThat(refused.code()).isEqualTo(ErrorCode.TARGET_NOT_ALLOWED);
  }

  @Test
  void shouldRefuseAnSshRemoteWhenItsHostResolvesInsideTheNetwork() {
    // given
    GitRemotes remotes = new GitRemotes(guard, List.of());

    // when
    ApiException refused = refusal(remotes, "git@lan.test:shop.git");

    // then
    assertThat(refused.code()).isEqualTo(ErrorCode.TARGET_NOT_ALLOWED);
    assertThat(refused.getMessage())
        .isEqualTo(
            "the git remote is not allowed: host lan.test resolves to 10.0.0.9, a private address");
  }

  @ParameterizedTest
  @CsvSource({
    "INVALID, VALIDATION_FAILED, 'the webhook url is not acceptable: bad'",
    "CREDENTIALS, CREDENTIALS_IN_URL, 'the webhook url must not carry credentials: bad'",
    "NOT_ALLOWED, TARGET_NOT_ALLOWED, 'the webhook url is not allowed: bad'"
  })
  void shouldGiveEachGuardRefusalItsApiCode(Reason reason, ErrorCode code, String message) {
    // when
    ApiException refused =
        GitRemotes.refusal("webhook url", new TargetRefusedException(reason, "bad"));

    // then
    assertThat(refused.code()).isEqualTo(code);
    assertThat(refused.getMessage()).isEqualTo(message);
  }

  @ParameterizedTest
  @CsvSource({
    "https://user:pw@git.example.org/x, true",
    "https://token@git.example.org/x, true",
    "https://git.example.org/x, false",
    "ssh://git@git.example.org/x, false",
    "https://git.example.org/x?user=a@b, false"
  })
  void shouldSeeCredentialsOnlyInTheUserInformationOfAnHttpUrl(String url, boolean expected) {
    assertThat(GitRemotes.hasCredentials(url)).isEqualTo(expected);
  }
}
