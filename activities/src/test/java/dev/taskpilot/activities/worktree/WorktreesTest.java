package dev.taskpilot.activities.worktree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.activities.agent.workspace.Workspaces;
import dev.taskpilot.activities.agent.workspace.WorkspacesConfig;
import java.nio.file.Files;
import java.nio.file.Path;
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

  @Test
  void shouldRunInThePlainDirectoryWhenTheWorkspaceIsNoRepository() throws Exception {
    // given
    Path plain = Files.createDirectories(root.resolve("notes"));
    Worktrees worktrees = new Worktrees(new Workspaces(new WorkspacesConfig(root)));
    // when / then
    assertThat(worktrees.prepare(plain, "task-3")).isEqualTo(plain);
  }
}
