package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskpilot.store.crypto.EncryptionKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** dev's key in its data directory, and the api and worker roles without a key. */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EncryptionKeyFileTest {

  @Test
  void shouldMakeAKeyForItsUserOnlyOnceWhenTheDataDirectoryHasNone(@TempDir Path dataDir)
      throws Exception {
    // when
    Path file = EncryptionKeyFile.ensure(dataDir.resolve("new"));
    String first = Files.readString(file);
    Path again = EncryptionKeyFile.ensure(dataDir.resolve("new"));

    // then
    assertThat(again).isEqualTo(file);
    assertThat(Files.readString(again)).as("kept, not replaced").isEqualTo(first);
    assertThat(EncryptionKeys.parse(first, "the key file")).hasSize(EncryptionKeys.KEY_BYTES);
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    try (var left = Files.list(file.getParent())) {
      assertThat(left).as("no temporary file left").containsExactly(file);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Role.class,
      names = {"API", "WORKER"})
  void shouldRefuseToStartWhenTheRoleHasNoKey(Role role, @TempDir Path dataDir) {
    // given: everything else a role needs is set, and dev's key file exists in the data directory
    EncryptionKeyFile.ensure(dataDir);
    Map<String, Object> configuration =
        Map.of(
            "datasources.default.url",
            "jdbc:postgresql://127.0.0.1:1/none",
            "taskpilot.data-dir",
            dataDir.toString());

    // then
    assertThatThrownBy(() -> TaskpilotRuntime.start(role, null, configuration))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("taskpilot.encryption.key (TASKPILOT_ENCRYPTION_KEY")
        .hasMessageContaining("TASKPILOT_ENCRYPTION_KEY_FILE")
        .hasMessageContaining("<data-dir>/encryption-key");
  }
}
