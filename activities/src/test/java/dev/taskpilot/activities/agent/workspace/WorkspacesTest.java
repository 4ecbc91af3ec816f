package dev.taskpilot.activities.agent.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkspacesTest {
  @TempDir Path temp;

  private Path root;
  private Workspaces workspaces;

  @BeforeEach
  void createRoot() throws Exception {
    root = temp.resolve("root");
    workspaces = new Workspaces(new WorkspacesConfig(root));
    Files.createDirectories(root.resolve("repo/sub"));
    Files.createDirectories(temp.resolve("outside"));
    Files.writeString(root.resolve("file.txt"), "not a directory");
    Files.createSymbolicLink(root.resolve("escape"), temp.resolve("outside"));
    Files.createSymbolicLink(root.resolve("alias"), root.resolve("repo"));
    Files.createDirectories(root.resolve("shop/.git/hooks"));
    Files.createSymbolicLink(root.resolve("hooks"), root.resolve("shop/.git/hooks"));
  }

  @Test
  void shouldCreateRootWhenMissing() {
    // given
    Path missing = temp.resolve("a/b/workspaces");

    // when
    new Workspaces(new WorkspacesConfig(missing));

    // then
    assertThat(missing).isDirectory();
  }

  @Test
  void shouldResolveNamedWorkspaceWhenInsideRoot() throws Exception {
    // when / then
    assertThat(workspaces.resolve("repo", "t1")).isEqualTo(root.resolve("repo").toRealPath());
    assertThat(workspaces.resolve("repo/sub", "t1"))
        .isEqualTo(root.resolve("repo/sub").toRealPath());
    assertThat(workspaces.exists("repo")).isTrue();
  }

  @Test
  void shouldFollowSymlinkWhenItStaysInsideRoot() throws Exception {
    // when / then
    assertThat(workspaces.resolve("alias", "t1")).isEqualTo(root.resolve("repo").toRealPath());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "escape",
        "..",
        "../outside",
        "repo/../..",
        "./repo",
        "/tmp",
        "",
        " ",
        "missing",
        "file.txt",
        "_tasks",
        "_tasks/t1"
      })
  void shouldRejectNameWhenItDoesNotResolveInsideRoot(String name) {
    // when / then
    assertThatThrownBy(() -> workspaces.resolve(name, "t1"))
        .isInstanceOf(WorkspaceNotFoundException.class);
    assertThat(workspaces.exists(name)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"shop/.git", "shop/.git/hooks", "shop/.GIT/hooks", "hooks"})
  void shouldRejectNameWhenItLeadsIntoARepositorysGitDirectory(String name) {
    // when / then: an agent working there could plant hooks and configuration
    assertThatThrownBy(() -> workspaces.resolve(name, "t1"))
        .isInstanceOf(WorkspaceNotFoundException.class)
        .hasMessageContaining(".git");
    assertThat(workspaces.exists(name)).isFalse();
    assertThat(workspaces.exists("shop")).isTrue();
  }

  @Test
  void shouldRejectAbsolutePathWhenItPointsIntoRoot() {
    // when / then
    assertThatThrownBy(() -> workspaces.resolve(root.resolve("repo").toString(), "t1"))
        .isInstanceOf(WorkspaceNotFoundException.class)
        .hasMessageContaining("must be relative");
  }

  @Test
  void shouldCreateScratchDirectoryWhenTaskNamesNoWorkspace() throws Exception {
    // when
    Path scratch = workspaces.resolve(null, "task-42");

    // then
    assertThat(scratch).isDirectory().isEqualTo(root.resolve("_tasks/task-42").toRealPath());
    assertThat(workspaces.resolve(null, "task-42")).isEqualTo(scratch);
  }

  @Test
  void shouldRejectTaskIdWhenItIsNotAPlainName() {
    // when / then
    assertThatThrownBy(() -> workspaces.resolve(null, "../escape"))
        .isInstanceOf(WorkspaceNotFoundException.class);
  }
}
