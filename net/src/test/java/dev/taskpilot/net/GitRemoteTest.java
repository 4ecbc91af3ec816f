package dev.taskpilot.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskpilot.net.TargetRefusedException.Reason;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The forms of git remote Taskpilot pushes to, and everything else refused by form alone. */
class GitRemoteTest {

  private static TargetRefusedException refusal(String remote) {
    TargetRefusedException refused =
        catchThrowableOfType(TargetRefusedException.class, () -> GitRemote.parse(remote));
    assertThat(refused).as(remote).isNotNull();
    return refused;
  }

  @Nested
  class Http {

    @ParameterizedTest
    @CsvSource({
      "https://git.example.org/shop.git, https",
      "http://git.example.org:8080/shop.git, http",
      "HTTPS://Git.Example.org/shop.git, https",
      "https://[2606:4700::1111]/shop.git, https"
    })
    void shouldParseAnHttpRemote(String remote, String scheme) {
      // when
      GitRemote parsed = GitRemote.parse(remote);

      // then
      assertThat(parsed).isEqualTo(new GitRemote.Http(URI.create(remote)));
      assertThat(((GitRemote.Http) parsed).scheme()).isEqualTo(scheme);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "https://user:token@git.example.org/shop.git",
          "https://ghp_token@git.example.org/shop.git",
          "http://user:pass@127.0.0.1/shop.git",
          "https://user:to ken@git.example.org/shop.git"
        })
    void shouldRefuseUserInformationAsCredentials(String remote) {
      // when
      TargetRefusedException refused = refusal(remote);

      // then
      assertThat(refused.reason()).isEqualTo(Reason.CREDENTIALS);
      assertThat(refused.getMessage()).doesNotContain("token", "pass");
    }

    @Test
    void shouldRefuseAMalformedUrlWithoutRepeatingIt() {
      // when
      TargetRefusedException refused = refusal("https://git.example.org/sh op.git?token=s3cret");

      // then
      assertThat(refused.reason()).isEqualTo(Reason.INVALID);
      assertThat(refused.getMessage()).doesNotContain("s3cret");
    }
  }

  @Nested
  class Ssh {

    @ParameterizedTest
    @CsvSource({
      "ssh://git.example.org/shop.git, git.example.org",
      "ssh://git@git.example.org/shop.git, git.example.org",
      "ssh://git@git.example.org:2222/shop.git, git.example.org",
      "SSH://git@10.0.0.5/shop.git, 10.0.0.5",
      "ssh://git@[2606:4700::1111]:22/shop.git, 2606:4700::1111",
      "git@github.com:org/shop.git, github.com",
      "github.com:org/shop.git, github.com",
      "git@192.168.0.7:shop.git, 192.168.0.7",
      "[::1]:repo, ::1",
      "git@[2606:4700::1111]:org/shop.git, 2606:4700::1111"
    })
    void shouldParseAnSshRemoteWithItsHost(String remote, String host) {
      assertThat(GitRemote.parse(remote)).isEqualTo(new GitRemote.Ssh(host));
    }

    @Test
    void shouldRefuseAPasswordAsCredentials() {
      // when
      TargetRefusedException refused = refusal("ssh://git:password@git.example.org/shop.git");

      // then
      assertThat(refused.reason()).isEqualTo(Reason.CREDENTIALS);
      assertThat(refused.getMessage()).doesNotContain("password");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "ssh:///shop.git",
          "ssh://git@/shop.git",
          "ssh://git@ex_ample.org/shop.git",
          "git@ex_ample.org:shop.git",
          "git@host:",
          "git@[::1:shop.git",
          "git@[fe80::1%eth0]:shop.git",
          "us+er@git.example.org:shop.git",
          "host.example.org://shop.git"
        })
    void shouldRefuseAMalformedSshRemote(String remote) {
      assertThat(refusal(remote).reason()).isEqualTo(Reason.INVALID);
    }
  }

  @Nested
  class Local {

    @ParameterizedTest
    @CsvSource({
      "/srv/remotes/shop.git, /srv/remotes/shop.git",
      "/srv/remotes/../elsewhere/shop.git, /srv/remotes/../elsewhere/shop.git",
      "file:///srv/remotes/shop.git, /srv/remotes/shop.git",
      "file:///srv/remotes/my%20shop.git, /srv/remotes/my shop.git"
    })
    void shouldParseALocalRemoteAsWritten(String remote, String path) {
      assertThat(GitRemote.parse(remote)).isEqualTo(new GitRemote.Local(Path.of(path)));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "file://host/srv/remotes/shop.git",
          "file:///srv/remotes/shop.git?x=1",
          "file:///srv/remotes/shop.git#x",
          "file://",
          "file:///srv/re motes/shop.git"
        })
    void shouldRefuseAFileUrlThatIsNoPlainLocalPath(String remote) {
      assertThat(refusal(remote).reason()).isEqualTo(Reason.INVALID);
    }
  }

  @Nested
  class OtherForms {

    @ParameterizedTest
    @ValueSource(
        strings = {
          "ext::sh -c touch% /tmp/pwned",
          "ext::touch /tmp/pwned",
          "fd::17",
          "git+ssh::git.example.org/shop.git",
          "host::path",
          "EXT::touch /tmp/pwned"
        })
    void shouldRefuseGitsTransportSyntax(String remote) {
      // when
      TargetRefusedException refused = refusal(remote);

      // then
      assertThat(refused.reason()).isEqualTo(Reason.INVALID);
      assertThat(refused.getMessage()).contains("<transport>::<address>");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "-uploadpack=touch /tmp/pwned",
          "--upload-pack=x",
          "-oProxyCommand=x@host:shop.git"
        })
    void shouldRefuseALeadingDash(String remote) {
      // when
      TargetRefusedException refused = refusal(remote);

      // then
      assertThat(refused.reason()).isEqualTo(Reason.INVALID);
      assertThat(refused.getMessage()).contains("'-'");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "https://git.example.org/shop.git\n",
          "https://git.example.org/\rshop.git",
          "git@git.example.org:shop.git\u0000",
          "/srv/remotes/shop\t.git",
          "ssh://git.example.org/shop\u007f.git",
          "git@git.example.org:shop\u0085.git"
        })
    void shouldRefuseControlCharacters(String remote) {
      // when
      TargetRefusedException refused = refusal(remote);

      // then
      assertThat(refused.reason()).isEqualTo(Reason.INVALID);
      assertThat(refused.getMessage()).contains("control characters");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "git://git.example.org/shop.git",
          "ftp://git.example.org/shop.git",
          "git+ssh://git.example.org/shop.git",
          "shop.git",
          "./shop.git",
          "relative/path:shop.git",
          " ",
          ""
        })
    void shouldRefuseAnyOtherForm(String remote) {
      assertThat(refusal(remote).reason()).isEqualTo(Reason.INVALID);
    }

    @Test
    void shouldRefuseNull() {
      assertThat(refusal(null).reason()).isEqualTo(Reason.INVALID);
    }
  }
}
