package dev.taskpilot.activities.publish;

import static dev.taskpilot.activities.publish.GitRepositories.git;
import static dev.taskpilot.activities.publish.GitRepositories.pushes;
import static dev.taskpilot.activities.publish.GitRepositories.ref;
import static dev.taskpilot.activities.publish.PublishFixtures.applicationFailure;
import static dev.taskpilot.activities.publish.PublishFixtures.steps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.taskpilot.activities.agent.workspace.Workspaces;
import dev.taskpilot.activities.worktree.Worktrees;
import dev.taskpilot.store.PublicationRepository;
import dev.taskpilot.store.PublicationWithAttempts;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.workflows.activities.publish.Publication;
import dev.taskpilot.workflows.activities.publish.PublishRequest;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The git target on real repositories: a task worktree and a bare remote on disk. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishGitTest implements TestPropertyProvider {
  private final PublishFixtures fixtures = new PublishFixtures();

  @Inject PublishLedger ledger;
  @Inject GitPublisher git;
  @Inject Workspaces workspaces;
  @Inject Worktrees worktrees;
  @Inject PublicationRepository publications;
  @Inject TaskRepository tasks;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(fixtures.properties());
    properties.put("taskpilot.publish.git.author-name", "Taskpilot Bot");
    properties.put("taskpilot.publish.git.author-email", "bot@taskpilot.test");
    // Short, so the hanging push is given up on soon; no test measures it.
    properties.put("taskpilot.publish.git.timeout", "10s");
    return properties;
  }

  @AfterAll
  void cleanUp() throws IOException {
    fixtures.delete();
  }

  /** A task with a worktree of a fresh workspace repository; returns its id. */
  private String taskWithWorktree() throws IOException {
    String taskId = PublishFixtures.task(tasks);
    Path shop = GitRepositories.workspace(workspaces.root().resolve("shop-" + UUID.randomUUID()));
    worktrees.prepare(shop, taskId);
    return taskId;
  }

  private Path worktree(String taskId) {
    return workspaces.root().resolve(Workspaces.SCRATCH).resolve(taskId);
  }

  private Path remote() throws IOException {
    return GitRepositories.bareWithPushCounter(
        fixtures.remotes().resolve(UUID.randomUUID() + ".git"));
  }

  private static PublishRequest request(String taskId, Path remote) {
    return request(taskId, remote.toString());
  }

  private static PublishRequest request(String taskId, String remote) {
    return new PublishRequest(
        taskId,
        "Add the change log",
        "Lists every release.",
        "done",
        new PublishTarget.Git(remote, "taskpilot/" + taskId));
  }

  private Publication publish(PublishRequest request, int attempt) {
    return ledger.publish(request, (PublishTarget.Git) request.target(), attempt, git);
  }

  private PublicationWithAttempts ledgerOf(String taskId) {
    return publications.findByTask(taskId).getFirst();
  }

  @Test
  void shouldPushOneCommitWithTheConfiguredAuthorAndTheTrailer() throws Exception {
    // given
    String taskId = taskWithWorktree();
    String base = git(worktree(taskId), "rev-parse", "HEAD").strip();
    Files.writeString(worktree(taskId).resolve("CHANGELOG.md"), "# Changes\n");
    Path remote = remote();
    // when
    Publication publication = publish(request(taskId, remote), 1);
    // then
    String branch = "refs/heads/taskpilot/" + taskId;
    String pushed = ref(remote, branch);
    assertThat(publication.location()).isEqualTo(remote + "#taskpilot/" + taskId + "@" + pushed);
    assertThat(git(remote, "rev-list", "--count", base + ".." + branch).strip()).isEqualTo("1");
    assertThat(git(remote, "log", "-1", "--format=%an|%ae|%cn|%ce", branch).strip())
        .isEqualTo("Taskpilot Bot|bot@taskpilot.test|Taskpilot Bot|bot@taskpilot.test");
    assertThat(git(remote, "log", "-1", "--format=%B", branch))
        .startsWith("Add the change log\n\nLists every release.\n\nTaskpilot-Task: " + taskId);
    assertThat(git(remote, "show", branch + ":CHANGELOG.md")).isEqualTo("# Changes\n");
    assertThat(pushes(remote)).isEqualTo(1);
    PublicationWithAttempts row = ledgerOf(taskId);
    assertThat(row.publication().status()).isEqualTo("DELIVERED");
    assertThat(row.publication().commitSha()).isEqualTo(pushed);
  }

  @Test
  void shouldReconcileInsteadOfPushingAgainWhenTheLedgerMissedThePush() throws Exception {
    // given: a push that landed, then a crash before the ledger said DELIVERED
    String taskId = taskWithWorktree();
    Files.writeString(worktree(taskId).resolve("CHANGELOG.md"), "# Changes\n");
    Path remote = remote();
    Publication first = publish(request(taskId, remote), 1);
    String pushed = ref(remote, "refs/heads/taskpilot/" + taskId);
    fixtures.execute(
        "UPDATE publications SET status = 'SENDING', delivered_at = NULL, location = NULL"
            + " WHERE task_id = ?",
        taskId);
    // when
    Publication second = publish(request(taskId, remote), 2);
    // then
    assertThat(second.location()).isEqualTo(first.location());
    assertThat(ref(remote, "refs/heads/taskpilot/" + taskId)).isEqualTo(pushed);
    assertThat(git(worktree(taskId), "rev-parse", "HEAD").strip()).isEqualTo(pushed);
    assertThat(pushes(remote)).isEqualTo(1);
    PublicationWithAttempts row = ledgerOf(taskId);
    assertThat(row.publication().status()).isEqualTo("DELIVERED");
    assertThat(steps(row.attempts())).containsExactly("SEND/DELIVERED", "RECONCILE/DELIVERED");
  }

  @Test
  void shouldReuseTheCommitOfACrashedAttemptWhenNothingWasRecorded() throws Exception {
    // given: an attempt committed, then died before the ledger knew of the commit
    String taskId = taskWithWorktree();
    String base = git(worktree(taskId), "rev-parse", "HEAD").strip();
    Files.writeString(worktree(taskId).resolve("CHANGELOG.md"), "# Changes\n");
    Path remote = remote();
    PublishRequest request = request(taskId, remote);
    ledger.publish(request, (PublishTarget.Git) request.target(), 1, git);
    fixtures.execute(
        "UPDATE publications SET status = 'UNKNOWN', commit_sha = NULL, delivered_at = NULL"
            + " WHERE task_id = ?",
        taskId);
    // when
    Publication again = publish(request, 2);
    // then
    String branch = "refs/heads/taskpilot/" + taskId;
    assertThat(git(remote, "rev-list", "--count", base + ".." + branch).strip()).isEqualTo("1");
    assertThat(again.location()).endsWith("@" + ref(remote, branch));
    assertThat(ledgerOf(taskId).publication().detail()).contains("committed by an earlier attempt");
    assertThat(pushes(remote)).isEqualTo(1);
  }

  @Test
  void shouldCommitOnceWhenAnAttemptDiedBeforeItsPush() throws Exception {
    // given: the commit exists in the worktree, the remote never saw it
    String taskId = taskWithWorktree();
    String base = git(worktree(taskId), "rev-parse", "HEAD").strip();
    Files.writeString(worktree(taskId).resolve("CHANGELOG.md"), "# Changes\n");
    Path remote = remote();
    PublishRequest request = request(taskId, remote);
    publications.insertIfAbsent(
        taskId, request.target().key(), "git", "k", java.time.Instant.now());
    git.prepare(
        request,
        (PublishTarget.Git) request.target(),
        publications.find(taskId, request.target().key()).orElseThrow());
    // when
    publish(request, 2);
    // then
    String branch = "refs/heads/taskpilot/" + taskId;
    assertThat(git(remote, "rev-list", "--count", base + ".." + branch).strip()).isEqualTo("1");
    assertThat(git(worktree(taskId), "rev-list", "--count", base + "..HEAD").strip())
        .isEqualTo("1");
    assertThat(pushes(remote)).isEqualTo(1);
  }

  @Test
  void shouldReconcileAndPushAgainWhenAPushTimedOut() throws Exception {
    // given: the remote's hook hangs the first push past the timeout
    String taskId = taskWithWorktree();
    Files.writeString(worktree(taskId).resolve("CHANGELOG.md"), "# Changes\n");
    Path remote = remote();
    GitRepositories.hangNextPush(remote);
    PublishRequest request = request(taskId, remote);
    // when
    ApplicationFailure timedOut = applicationFailure(catchThrowable(() -> publish(request, 1)));
    String afterTimeout = ledgerOf(taskId).publication().status();
    Publication delivered = publish(request, 2);
    // then
    assertThat(timedOut.isNonRetryable()).isFalse();
    assertThat(afterTimeout).isEqualTo("UNKNOWN");
    String branch = "refs/heads/taskpilot/" + taskId;
    assertThat(delivered.location()).endsWith("@" + ref(remote, branch));
    assertThat(pushes(remote)).isEqualTo(1);
    assertThat(steps(ledgerOf(taskId).attempts()))
        .containsExactly("SEND/UNKNOWN", "RECONCILE/NOT_DELIVERED", "SEND/DELIVERED");
  }

  @Test
  void shouldPushHeadAsItIsWhenNothingChanged() throws Exception {
    // given
    String taskId = taskWithWorktree();
    String head = git(worktree(taskId), "rev-parse", "HEAD").strip();
    Path remote = remote();
    // when
    publish(request(taskId, remote), 1);
    // then
    assertThat(ref(remote, "refs/heads/taskpilot/" + taskId)).isEqualTo(head);
    assertThat(ledgerOf(taskId).publication().detail()).contains("no changes");
  }

  @Test
  void shouldRefuseALocalRemoteOutsideTheConfiguredRoots() throws Exception {
    // given
    String taskId = taskWithWorktree();
    Files.writeString(worktree(taskId).resolve("CHANGELOG.md"), "# Changes\n");
    Path outside = GitRepositories.bareWithPushCounter(fixtures.root().resolve("elsewhere/x.git"));
    // when
    ApplicationFailure failure =
        applicationFailure(catchThrowable(() -> publish(request(taskId, outside), 1)));
    // then
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getType()).isEqualTo("PUBLISH_FAILED");
    assertThat(ref(outside, "refs/heads/taskpilot/" + taskId)).isEmpty();
    assertThat(ledgerOf(taskId).publication().status()).isEqualTo("FAILED");
  }

  @Test
  void shouldRefuseARemoteThatEscapesTheRootsThroughDotDot() throws Exception {
    // given
    String taskId = taskWithWorktree();
    Path outside = GitRepositories.bareWithPushCounter(fixtures.root().resolve("elsewhere/y.git"));
    String sneaky = fixtures.remotes() + "/../elsewhere/y.git";
    // when
    ApplicationFailure failure =
        applicationFailure(catchThrowable(() -> publish(request(taskId, sneaky), 1)));
    // then
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(ref(outside, "refs/heads/taskpilot/" + taskId)).isEmpty();
  }

  @Test
  void shouldRefuseATransportThatRunsCommands() throws Exception {
    // given
    String taskId = taskWithWorktree();
    Path marker = fixtures.root().resolve("ext-ran");
    // when
    ApplicationFailure failure =
        applicationFailure(
            catchThrowable(() -> publish(request(taskId, "ext::touch " + marker), 1)));
    // then
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(marker).doesNotExist();
  }

  @Test
  void shouldFailForGoodWhenThePushIsNotAFastForward() throws Exception {
    // given: the remote branch already holds a commit the worktree does not have
    String taskId = taskWithWorktree();
    Files.writeString(worktree(taskId).resolve("CHANGELOG.md"), "# Changes\n");
    Path remote = remote();
    Path other = GitRepositories.workspace(fixtures.root().resolve("other-" + taskId));
    Files.writeString(other.resolve("OTHER.md"), "someone else's work\n");
    git(other, "add", "OTHER.md");
    GitRepositories.commit(other, "someone else's work");
    git(other, "push", "-q", remote.toString(), "HEAD:refs/heads/taskpilot/" + taskId);
    String before = ref(remote, "refs/heads/taskpilot/" + taskId);
    // when
    ApplicationFailure failure =
        applicationFailure(catchThrowable(() -> publish(request(taskId, remote), 1)));
    // then
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("non-fast-forward");
    assertThat(ref(remote, "refs/heads/taskpilot/" + taskId)).isEqualTo(before);
    PublicationWithAttempts row = ledgerOf(taskId);
    assertThat(row.publication().status()).isEqualTo("FAILED");
    assertThat(steps(row.attempts())).containsExactly("SEND/FAILED");
  }

  @Test
  void shouldRefuseATaskWithoutAWorktree() throws Exception {
    // given
    String taskId = PublishFixtures.task(tasks);
    Path remote = remote();
    // when
    ApplicationFailure failure =
        applicationFailure(catchThrowable(() -> publish(request(taskId, remote), 1)));
    // then
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(ledgerOf(taskId).publication().status()).isEqualTo("FAILED");
  }

  /** A script that leaves a line in its canary file each time it runs; the canary's path. */
  private Path plantedCommand(String name) throws IOException {
    Path canary = fixtures.root().resolve("canary-" + name + "-" + UUID.randomUUID());
    Path script = fixtures.root().resolve(canary.getFileName() + ".sh");
    Files.writeString(script, "#!/bin/sh\necho ran >> '" + canary + "'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return canary;
  }

  private static String scriptOf(Path canary) {
    return canary + ".sh";
  }

  /** Runs {@code script} with bash in the task's worktree, as its agent would. */
  private void actAsAgent(String taskId, String script) throws Exception {
    Process process =
        new ProcessBuilder("bash", "-euc", script)
            .directory(worktree(taskId).toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(output).isZero();
  }

  /** How often the planted command ran: the lines in its canary. */
  private static int runs(Path canary) throws IOException {
    return Files.exists(canary) ? Files.readAllLines(canary).size() : 0;
  }

  private static final List<String> HOOKS =
      List.of(
          "pre-commit",
          "prepare-commit-msg",
          "commit-msg",
          "post-commit",
          "pre-push",
          "reference-transaction",
          "post-index-change",
          "pre-auto-gc");

  @Test
  void shouldRunNothingAnAgentPlantedBehindARedirectedGitFile() throws Exception {
    // given: the agent made a repository of its own, with an fsmonitor command and hooks, and
    // pointed its worktree's .git at it
    String taskId = taskWithWorktree();
    Path canary = plantedCommand("redirect");
    StringBuilder hooks = new StringBuilder();
    for (String hook : HOOKS) {
      hooks.append(" && cp '").append(scriptOf(canary)).append("' .agent/.git/hooks/").append(hook);
    }
    actAsAgent(
        taskId,
        "git init -q -b main .agent && git -C .agent config core.fsmonitor '"
            + scriptOf(canary)
            + "'"
            + hooks
            + " && printf 'gitdir: %s\\n' \"$PWD/.agent/.git\" > .git"
            + " && echo '# Changes' > CHANGELOG.md");
    Path remote = remote();
    // when
    ApplicationFailure failure =
        applicationFailure(catchThrowable(() -> publish(request(taskId, remote), 1)));
    // then: refused for good, saying why, and nothing planted ran
    assertThat(runs(canary)).as("runs of the planted command").isZero();
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getType()).isEqualTo("PUBLISH_FAILED");
    assertThat(failure.getOriginalMessage())
        .contains("was changed after it was made")
        .contains("no git command was run");
    assertThat(ref(remote, "refs/heads/taskpilot/" + taskId)).isEmpty();
    assertThat(ledgerOf(taskId).publication().status()).isEqualTo("FAILED");
  }

  @Test
  void shouldRunNothingAnAgentPlantedBehindARedirectedCommondir() throws Exception {
    // given: the agent left .git alone but pointed its worktree's commondir at its own repository
    String taskId = taskWithWorktree();
    Path canary = plantedCommand("commondir");
    actAsAgent(
        taskId,
        "git init -q -b main .agent && git -C .agent config core.fsmonitor '"
            + scriptOf(canary)
            + "' && printf '%s\\n' \"$PWD/.agent/.git\" > \"$(git rev-parse --git-dir)/commondir\"");
    Path remote = remote();
    // when
    ApplicationFailure failure =
        applicationFailure(catchThrowable(() -> publish(request(taskId, remote), 1)));
    // then
    assertThat(runs(canary)).as("runs of the planted command").isZero();
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("commondir");
    assertThat(ref(remote, "refs/heads/taskpilot/" + taskId)).isEmpty();
  }

  @Test
  void shouldIgnoreHooksAndFsmonitorPlantedInTheRepositoryWhenPublishing() throws Exception {
    // given: the agent wrote an fsmonitor command into its repository's config and hooks into
    // its hooks directory (and into a hooksPath of its own)
    String taskId = taskWithWorktree();
    Path canary = plantedCommand("repository");
    StringBuilder hooks = new StringBuilder();
    for (String hook : HOOKS) {
      hooks
          .append(" && cp '")
          .append(scriptOf(canary))
          .append("' \"$common/hooks/")
          .append(hook)
          .append("\" && cp '")
          .append(scriptOf(canary))
          .append("' .agent-hooks/")
          .append(hook);
    }
    actAsAgent(
        taskId,
        "common=\"$(git rev-parse --path-format=absolute --git-common-dir)\" && mkdir .agent-hooks"
            + hooks
            + " && git config core.fsmonitor '"
            + scriptOf(canary)
            + "' && git config --worktree core.hooksPath \"$PWD/.agent-hooks\" 2>/dev/null"
            + " || git config core.hooksPath \"$PWD/.agent-hooks\"");
    Files.writeString(worktree(taskId).resolve("CHANGELOG.md"), "# Changes\n");
    Path remote = remote();
    // when
    Publication publication = publish(request(taskId, remote), 1);
    // then: published, and none of it ran
    assertThat(runs(canary)).as("runs of the planted command").isZero();
    assertThat(publication.location()).endsWith(ref(remote, "refs/heads/taskpilot/" + taskId));
    assertThat(git(remote, "show", "refs/heads/taskpilot/" + taskId + ":CHANGELOG.md"))
        .isEqualTo("# Changes\n");
    assertThat(pushes(remote)).isEqualTo(1);
  }

  @Test
  void shouldRefuseARepositoryWhoseConfigRunsAFilterWhenPublishing() throws Exception {
    // given: the agent configured a clean filter for every file, which `git add` would run
    String taskId = taskWithWorktree();
    Path canary = plantedCommand("filter");
    actAsAgent(
        taskId,
        "git config filter.agent.clean '"
            + scriptOf(canary)
            + "' && echo '* filter=agent' > .gitattributes && echo '# Changes' > CHANGELOG.md");
    Path remote = remote();
    // when
    ApplicationFailure failure =
        applicationFailure(catchThrowable(() -> publish(request(taskId, remote), 1)));
    // then
    assertThat(runs(canary)).as("runs of the planted command").isZero();
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("filter.agent.clean");
    assertThat(ref(remote, "refs/heads/taskpilot/" + taskId)).isEmpty();
  }

  @Test
  void shouldRefuseAPushRedirectedByTheRepositoryConfigWhenPublishing() throws Exception {
    // given: the agent rewrote the target's URL to one the SSRF guard never checked
    String taskId = taskWithWorktree();
    Path remote = remote();
    Path elsewhere =
        GitRepositories.bareWithPushCounter(
            fixtures.root().resolve("elsewhere-" + taskId + ".git"));
    actAsAgent(
        taskId,
        "git config url." + elsewhere + ".insteadOf " + remote + " && echo x > CHANGELOG.md");
    // when
    ApplicationFailure failure =
        applicationFailure(catchThrowable(() -> publish(request(taskId, remote), 1)));
    // then
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).containsIgnoringCase("insteadof");
    assertThat(pushes(elsewhere)).isZero();
    assertThat(pushes(remote)).isZero();
  }
}
