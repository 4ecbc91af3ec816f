package dev.taskpilot.activities.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.activities.agent.profile.AllowedHosts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The allow-listing CONNECT proxy of sandboxed runs, spoken to over its Unix socket. */
@Timeout(60)
class SandboxProxyTest {
  private static final InetAddress PUBLIC = address(203, 0, 113, 9);
  private static final InetAddress OTHER_PUBLIC = address(198, 51, 100, 4);

  @TempDir Path directory;

  private final List<String> dialed = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private ServerSocket echo;
  private SandboxProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
    closing.add(echo);
    Thread.ofVirtual().start(this::echoForever);
    SandboxProxy.Network network =
        new SandboxProxy.Network(
            SandboxProxyTest::resolve,
            (target, timeout) -> {
              dialed.add(target.getAddress().getHostAddress() + ":" + target.getPort());
              return new Socket(InetAddress.getLoopbackAddress(), echo.getLocalPort());
            });
    proxy =
        SandboxProxy.open(
            directory.resolve("proxy.sock"),
            AllowedHosts.parse(
                List.of(
                    "api.example.com",
                    "loop.example.com",
                    "mixed.example.com",
                    "*.example.org:8443")),
            network,
            "t1");
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    for (AutoCloseable closeable : closing) {
      closeable.close();
    }
  }

  @Test
  void shouldTunnelBytesBothWaysWhenHostIsAllowed() throws Exception {
    // given
    SocketChannel client = connect();

    // when
    String status =
        request(client, "CONNECT api.example.com:443 HTTP/1.1\r\nHost: x\r\n\r\nhello\n");
    String echoed = readLine(client);

    // then
    assertThat(status).isEqualTo("HTTP/1.1 200 Connection Established");
    assertThat(echoed).isEqualTo("hello");
    assertThat(dialed).containsExactly("203.0.113.9:443");
  }

  @Test
  void shouldAllowNamesUnderWildcardOnItsPortOnly() throws Exception {
    // when
    String sub = status("CONNECT a.b.example.org:8443 HTTP/1.1");
    String apex = status("CONNECT example.org:8443 HTTP/1.1");
    String otherPort = status("CONNECT a.example.org:443 HTTP/1.1");

    // then
    assertThat(sub).isEqualTo("HTTP/1.1 200 Connection Established");
    assertThat(apex).startsWith("HTTP/1.1 403");
    assertThat(otherPort).startsWith("HTTP/1.1 403");
  }

  @Test
  void shouldRefuseWithoutDialingWhenTargetIsNotAllowedOrNotPublic() throws Exception {
    // when
    String literal = answer("CONNECT 127.0.0.1:443 HTTP/1.1");
    String localhost = answer("CONNECT localhost:5432 HTTP/1.1");
    String loopback = answer("CONNECT loop.example.com:443 HTTP/1.1");
    String mixed = answer("CONNECT mixed.example.com:443 HTTP/1.1");
    String unlisted = answer("CONNECT elsewhere.example.net:443 HTTP/1.1");
    String get = answer("GET http://api.example.com/ HTTP/1.1");
    String garbage = answer("hello");
    String noPort = answer("CONNECT api.example.com HTTP/1.1");

    // then
    assertThat(literal).startsWith("HTTP/1.1 403").contains("not in the profile's allowed-hosts");
    assertThat(localhost).startsWith("HTTP/1.1 403").contains("not in the profile's allowed-hosts");
    assertThat(loopback)
        .startsWith("HTTP/1.1 403")
        .contains("loop.example.com:443 refused: host 127.0.0.1 is a loopback address");
    assertThat(mixed).startsWith("HTTP/1.1 403").contains("host 10.1.2.3 is a private address");
    assertThat(unlisted).startsWith("HTTP/1.1 403");
    assertThat(get).startsWith("HTTP/1.1 405").contains("only CONNECT");
    assertThat(garbage).startsWith("HTTP/1.1 400");
    assertThat(noPort).startsWith("HTTP/1.1 400");
    assertThat(dialed).isEmpty();
  }

  @Test
  void shouldEndOpenTunnelsAndRemoveSocketWhenClosed() throws Exception {
    // given
    SocketChannel client = connect();
    assertThat(request(client, "CONNECT api.example.com:443 HTTP/1.1\r\n\r\n"))
        .isEqualTo("HTTP/1.1 200 Connection Established");

    // when
    proxy.close();

    // then
    assertThat(client.read(ByteBuffer.allocate(16))).isEqualTo(-1);
    assertThat(directory.resolve("proxy.sock")).doesNotExist();
  }

  @Test
  void shouldRefuseConnectionsBeyondLimitWhileTunnelsAreOpen() throws Exception {
    // given
    for (int i = 0; i < SandboxProxy.MAX_CONNECTIONS; i++) {
      SocketChannel client = connect();
      assertThat(request(client, "CONNECT api.example.com:443 HTTP/1.1\r\n\r\n"))
          .isEqualTo("HTTP/1.1 200 Connection Established");
    }

    // when: the proxy answers before it is asked
    String beyond =
        new String(Channels.newInputStream(connect()).readAllBytes(), StandardCharsets.UTF_8);

    // then
    assertThat(beyond).startsWith("HTTP/1.1 503");
  }

  private String status(String requestLine) throws IOException {
    return request(connect(), requestLine + "\r\n\r\n");
  }

  /** The whole answer to a request that is refused. */
  private String answer(String requestLine) throws IOException {
    SocketChannel client = connect();
    write(client, requestLine + "\r\n\r\n");
    InputStream in = Channels.newInputStream(client);
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  private SocketChannel connect() throws IOException {
    SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX);
    client.connect(UnixDomainSocketAddress.of(directory.resolve("proxy.sock")));
    closing.add(client);
    return client;
  }

  /** Sends {@code text} and answers the status line. */
  private static String request(SocketChannel client, String text) throws IOException {
    write(client, text);
    String status = readLine(client);
    while (!readLine(client).isEmpty()) {
      // The rest of the head.
    }
    return status;
  }

  private static void write(SocketChannel client, String text) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    while (buffer.hasRemaining()) {
      client.write(buffer);
    }
  }

  /** One line, read byte by byte so that nothing after it is consumed. */
  private static String readLine(SocketChannel client) throws IOException {
    StringBuilder line = new StringBuilder();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (true) {
      one.clear();
      if (client.read(one) < 0) {
        return line.toString();
      }
      char c = (char) one.get(0);
      if (c == '\n') {
        return line.toString().replaceAll("\r$", "");
      }
      line.append(c);
    }
  }

  private void echoForever() {
    while (!echo.isClosed()) {
      try {
        Socket socket = echo.accept();
        closing.add(socket);
        Thread.ofVirtual()
            .start(
                () -> {
                  try (InputStream in = socket.getInputStream();
                      OutputStream out = socket.getOutputStream()) {
                    in.transferTo(out);
                  } catch (IOException e) {
                    // The test is over.
                  }
                });
      } catch (IOException e) {
        return;
      }
    }
  }

  private static List<InetAddress> resolve(String host) throws UnknownHostException {
    return switch (host) {
      case "api.example.com", "a.b.example.org" -> List.of(PUBLIC);
      case "loop.example.com" -> List.of(InetAddress.getLoopbackAddress());
      case "mixed.example.com" -> List.of(OTHER_PUBLIC, address(10, 1, 2, 3));
      default -> throw new UnknownHostException(host);
    };
  }

  private static InetAddress address(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
