package dev.taskpilot.activities.worktree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskpilot.activities.agent.workspace.Workspaces;
import dev.taskpilot.activities.agent.workspace.WorkspacesConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-task worktrees on a real git repository. */
class WorktreesTest {
  @TempDir Path root;

  private Path repository() throws Exception {
    Path shop = Files.createDirectories(root.resolve("shop"));
    Git.run(shop, "init", "-q", "-b", "main");
    Files.writeString(shop.resolve("README.md"), "shop\n");
    Git.run(shop, "add", "README.md");
    Git.run(
        shop,
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@localhost",
        "commit",
        "-q",
        "-m",
        "first");
    return shop;
  }

  @Test
  void shouldGiveEachTaskItsOwnWorktreeAndBranchWhenTheWorkspaceIsARepository() throws Exception {
    // given
    Path shop = repository();
    Worktrees worktrees = new Worktrees(new Workspaces(new WorkspacesConfig(root)));
    // when
    Path first = worktrees.prepare(shop, "task-1");
    Path second = worktrees.prepare(shop, "task-2");
    Path again = worktrees.prepare(shop, "task-1");
    // then
    assertThat(first).isEqualTo(root.resolve("_tasks/task-1"));
    assertThat(again).isEqualTo(first);
    assertThat(second).isNotEqualTo(first);
    assertThat(first.resolve("README.md")).hasContent("shop");
    assertThat(Git.run(first, "rev-parse", "--abbrev-ref", "HEAD")).isEqualTo("taskpilot/task-1");
    assertThat(Git.run(second, "rev-parse", "--abbrev-ref", "HEAD")).isEqualTo("taskpilot/task-2");
    Files.writeString(first.resolve("change.txt"), "only in task 1");
    assertThat(second.resolve("change.txt")).doesNotExist();
    assertThat(shop.resolve("change.txt")).doesNotExist();
  }

  @Test
  void shouldRemoveTheWorktreeButKeepTheBranch() throws Exception {
    // given
    Path shop = repository();
    Worktrees worktrees = new Worktrees(new Workspaces(new WorkspacesConfig(root)));
    Path worktree = worktrees.prepare(shop, "task-9");
    // when
    boolean removed = worktrees.remove("task-9");
    // then
    assertThat(removed).isTrue();
    assertThat(worktree).doesNotExist();
    assertThat(Git.run(shop, "branch", "--list", "taskpilot/task-9")).contains("taskpilot/task-9");
    assertThat(worktrees.remove("task-9")).isFalse();
  }

  /** A script that leaves a line in {@code canary} each time it runs. */
  private Path canaryCommand(Path canary) throws Exception {
    Path script = root.resolve("planted-" + canary.getFileName() + ".sh");
    Files.writeString(script, "#!/bin/sh\necho ran >> '" + canary + "'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  /** Runs {@code script} with bash in {@code directory}, as an agent would. */
  private static void actAsAgent(Path directory, String script) throws Exception {
    Process process =
        new ProcessBuilder("bash", "-euc", script)
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(output).isZero();
  }

  @Test
  void shouldRunNoHookOrFsmonitorOfTheRepositoryWhenAWorktreeIsAdded() throws Exception {
    // given: hooks that run on checkout and an fsmonitor command, planted in the repository
    Path shop = repository();
    Path canary = root.resolve("canary-add");
    Path command = canaryCommand(canary);
    for (String hook : List.of("post-checkout", "reference-transaction", "post-index-change")) {
      Files.copy(command, shop.resolve(".git/hooks/" + hook));
    }
    actAsAgent(shop, "git config core.fsmonitor '" + command + "'");
    Worktrees worktrees = new Worktrees(new Workspaces(new WorkspacesConfig(root)));
    // when
    Path worktree = worktrees.prepare(shop, "task-hooks");
    // then
    assertThat(worktree.resolve("README.md")).hasContent("shop");
    assertThat(canary).as("the planted commands ran").doesNotExist();
  }

  @Test
  void shouldRefuseARepositoryAnAgentMadeWithAFilterWhenAWorktreeWouldBeAdded() throws Exception {
    // given: an agent working in the plain workspace made it a repository whose checkout runs a
    // command (a smudge filter for every file)
    Path notes = Files.createDirectories(root.resolve("notes"));
    Path canary = root.resolve("canary-filter");
    Path command = canaryCommand(canary);
    actAsAgent(
        notes,
        "git init -q -b main . && git config filter.agent.smudge '"
            + command
            + "' && git config filter.agent.clean cat"
            + " && echo '* filter=agent' > .gitattributes && echo x > x"
            + " && git -c filter.agent.clean=cat add -A"
            + " && git -c user.name=a -c user.email=a@a commit -qm planted");
    Worktrees worktrees = new Worktrees(new Workspaces(new WorkspacesConfig(root)));
    // when / then
    assertThatThrownBy(() -> worktrees.prepare(notes, "task-filter"))
        .isInstanceOf(UntrustedGitException.class)
        .hasMessageContaining("filter.agent.smudge")
        .hasMessageContaining("filter.agent.clean");
    assertThat(canary).as("the planted filter ran").doesNotExist();
    assertThat(root.resolve("_tasks/task-filter")).doesNotExist();
  }

  @Test
  void shouldLeaveAWorktreeAloneWhenItsGitFilePointsElsewhere() throws Exception {
    // given: the agent redirected its worktree's .git to a repository of its own
    Path shop = repository();
    Worktrees worktrees = new Worktrees(new Workspaces(new WorkspacesConfig(root)));
    Path worktree = worktrees.prepare(shop, "task-redirect");
    Path canary = root.resolve("canary-remove");
    Path command = canaryCommand(canary);
    actAsAgent(
        worktree,
        "git init -q .agent && git -C .agent config core.fsmonitor '"
            + command
            + "' && printf 'gitdir: %s\\n' \"$PWD/.agent/.git\" > .git");
    // when
    boolean removed = worktrees.remove("task-redirect");
    // then
    assertThat(removed).isFalse();
    assertThat(worktree).isDirectory();
    assertThat(canary).as("the planted fsmonitor ran").doesNotExist();
    assertThatThrownBy(() -> worktrees.verify(worktree))
        .isInstanceOf(UntrustedGitException.class)
        .hasMessageContaining("no git command was run");
  }

  @Test
  void shouldRunInThePlainDirectoryWhenTheWorkspaceIsNoRepository() throws Exception {
    // given
    Path plain = Files.createDirectories(root.resolve("notes"));
    Worktrees worktrees = new Worktrees(new Workspaces(new WorkspacesConfig(root)));
    // when / then
    assertThat(worktrees.prepare(plain, "task-3")).isEqualTo(plain);
  }
}
