package dev.taskpilot.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local paths under configured roots, with symbolic links resolved on both sides. */
class LocalRootsTest {

  @TempDir Path temp;

  private Path root;
  private Path elsewhere;

  @BeforeEach
  void createDirectories() throws IOException {
    root = Files.createDirectories(temp.resolve("remotes")).toRealPath();
    elsewhere = Files.createDirectories(temp.resolve("elsewhere")).toRealPath();
  }

  @Test
  void shouldAcceptAPathUnderARootAndResolveIt() throws IOException {
    // given
    Path shop = Files.createDirectories(root.resolve("shop.git"));
    LocalRoots roots = LocalRoots.of(List.of(root));

    // then
    assertThat(roots.resolve(shop)).contains(shop);
    assertThat(roots.resolve(root.resolve("team/../new.git"))).contains(root.resolve("new.git"));
    assertThat(roots.resolve(root.resolve("missing/deeper.git")))
        .contains(root.resolve("missing/deeper.git"));
  }

  @Test
  void shouldRefuseTheRootItselfAndPathsOutsideIt() {
    // given
    LocalRoots roots = LocalRoots.of(List.of(root));

    // then
    assertThat(roots.resolve(root)).isEmpty();
    assertThat(roots.resolve(elsewhere.resolve("shop.git"))).isEmpty();
    assertThat(roots.resolve(root.resolve("../elsewhere/shop.git"))).isEmpty();
    assertThat(roots.resolve(Path.of(root + "-sibling", "shop.git"))).isEmpty();
  }

  @Test
  void shouldRefuseASymbolicLinkThatEscapesTheRoot() throws IOException {
    // given: remotes/link points outside the root
    Path target = Files.createDirectories(elsewhere.resolve("shop.git"));
    Path link = Files.createSymbolicLink(root.resolve("link.git"), target);
    Path linkedDirectory = Files.createSymbolicLink(root.resolve("out"), elsewhere);
    LocalRoots roots = LocalRoots.of(List.of(root));

    // then
    assertThat(roots.resolve(link)).isEmpty();
    assertThat(roots.resolve(linkedDirectory.resolve("shop.git"))).isEmpty();
    assertThat(roots.resolve(linkedDirectory.resolve("not-yet.git"))).isEmpty();
  }

  @Test
  void shouldAcceptAPathUnderARootThatIsASymbolicLink() throws IOException {
    // given: the configured root is a link to the real directory
    Path linkedRoot = Files.createSymbolicLink(temp.resolve("linked-remotes"), root);
    Path shop = Files.createDirectories(root.resolve("shop.git"));
    LocalRoots roots = LocalRoots.of(List.of(linkedRoot));

    // then: both spellings resolve to the real path
    assertThat(roots.paths()).containsExactly(root);
    assertThat(roots.resolve(linkedRoot.resolve("shop.git"))).contains(shop);
    assertThat(roots.resolve(shop)).contains(shop);
  }

  @Test
  void shouldAcceptNothingWithoutRoots() {
    // given
    LocalRoots none = LocalRoots.of(null);

    // then
    assertThat(none.isEmpty()).isTrue();
    assertThat(none.resolve(root.resolve("shop.git"))).isEmpty();
    assertThat(LocalRoots.of(List.of()).isEmpty()).isTrue();
  }

  @Test
  void shouldCheckAParsedLocalRemote() throws IOException {
    // given
    Path shop = Files.createDirectories(root.resolve("shop.git"));
    LocalRoots roots = LocalRoots.of(List.of(root));

    // when
    GitRemote.Local viaUrl = (GitRemote.Local) GitRemote.parse(shop.toUri().toString());
    GitRemote.Local viaDotDot = (GitRemote.Local) GitRemote.parse(root + "/../elsewhere/shop.git");

    // then
    assertThat(roots.resolve(viaUrl.path())).contains(shop);
    assertThat(roots.resolve(viaDotDot.path())).isEmpty();
  }
}
