package io.iridium.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real TLS handshakes through Netty pipelines over the in-process local transport: the same
 * {@link SslHandler}s the transport uses, with no sockets and no sleeps (futures with deadlines).
 * Every handshake runs on each pairing of providers (JDK and BoringSSL, each as client and as
 * server), since a network may mix nodes on either; pairings with BoringSSL are skipped where its
 * native library does not load, except on Linux x86-64, where it must.
 */
class TlsContextsTest {

    private static final long DEADLINE_SECONDS = 10;

    private static EventLoopGroup group;
    private static NetworkKey alpha;
    private static NetworkKey beta;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(2, LocalIoHandler.newFactory());
        alpha = NetworkKey.generate("alpha");
        beta = NetworkKey.generate("beta");
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Server provider, client provider. */
    static Stream<Arguments> pairings() {
        return Stream.of(
                Arguments.of(SslProvider.JDK, SslProvider.JDK),
                Arguments.of(SslProvider.OPENSSL, SslProvider.OPENSSL),
                Arguments.of(SslProvider.JDK, SslProvider.OPENSSL),
                Arguments.of(SslProvider.OPENSSL, SslProvider.JDK));
    }

    @Test
    void provider_onLinuxX86_64_isBoringSslUnlessTheJdkIsAskedFor() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux")
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch")), "checked where CI runs: Linux x86-64");
        assumeTrue(System.getProperty(TlsContexts.PROVIDER_PROPERTY) == null, "provider forced by the build");

        assertThat(OpenSsl.isAvailable()).as("BoringSSL loads: %s", OpenSsl.unavailabilityCause()).isTrue();
        assertThat(TlsContexts.provider()).isEqualTo(SslProvider.OPENSSL);
        System.setProperty(TlsContexts.PROVIDER_PROPERTY, "jdk");
        try {
            assertThat(TlsContexts.provider()).isEqualTo(SslProvider.JDK);
        } finally {
            System.clearProperty(TlsContexts.PROVIDER_PROPERTY);
        }
    }

    @ParameterizedTest(name = "server {0}, client {1}")
    @MethodSource("pairings")
    void handshake_sameNetworkKey_succeedsOnBothSidesWithTls13(SslProvider server, SslProvider client) throws Exception {
        assumeAvailable(server, client);
        Handshake handshake = handshake(TlsContexts.server(alpha, server), TlsContexts.client(alpha, client));

        assertThat(handshake.server().cause()).isNull();
        assertThat(handshake.client().cause()).isNull();
        SslHandler clientTls = handshake.clientChannel().pipeline().get(SslHandler.class);
        assertThat(clientTls.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(clientTls.engine().getSession().getPeerCertificates()[0]).isEqualTo(alpha.certificate());
        SslHandler serverTls = handshake.serverChannel().join().pipeline().get(SslHandler.class);
        assertThat(serverTls.engine().getSession().getPeerCertificates()[0]).isEqualTo(alpha.certificate());
    }

    @ParameterizedTest(name = "server {0}, client {1}")
    @MethodSource("pairings")
    void handshake_developmentKeyOnBothSides_succeeds(SslProvider server, SslProvider client) throws Exception {
        assumeAvailable(server, client);
        Handshake handshake = handshake(
                TlsContexts.server(NetworkKey.development(), server), TlsContexts.client(NetworkKey.development(), client));

        assertThat(handshake.server().isSuccess()).isTrue();
        assertThat(handshake.client().isSuccess()).isTrue();
    }

    @ParameterizedTest(name = "server {0}, client {1}")
    @MethodSource("pairings")
    void handshake_differentNetworks_failsOnBothSides(SslProvider server, SslProvider client) throws Exception {
        assumeAvailable(server, client);
        Handshake handshake = handshake(TlsContexts.server(alpha, server), TlsContexts.client(beta, client));

        assertThat(handshake.client().cause()).isInstanceOf(SSLHandshakeException.class);
        assertThat(rootMessages(handshake.client().cause())).contains("not this network's");
        // The server learns of it from the client's alert: the JDK reports a BoringSSL client's
        // rejection as an internal_error alert, a plain SSLException.
        assertThat(handshake.server().cause()).isInstanceOf(SSLException.class);
        assertThat(handshake.server().isSuccess()).isFalse();
        assertThat(handshake.clientChannel().closeFuture().await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @ParameterizedTest(name = "server {0}, client {1}")
    @MethodSource("pairings")
    void handshake_clientOfAnotherNetworkAgainstDevServer_failsOnBothSides(SslProvider server, SslProvider client)
            throws Exception {
        assumeAvailable(server, client);
        Handshake handshake = handshake(
                TlsContexts.server(NetworkKey.development(), server), TlsContexts.client(alpha, client));

        assertThat(handshake.client().isSuccess()).isFalse();
        assertThat(handshake.server().isSuccess()).isFalse();
    }

    @ParameterizedTest(name = "server {0}, client {1}")
    @MethodSource("pairings")
    void handshake_clientWithoutCertificate_isRefused(SslProvider server, SslProvider client) throws Exception {
        assumeAvailable(server, client);
        SslContext anonymous = SslContextBuilder.forClient()
                .sslProvider(client)
                .protocols(TlsContexts.PROTOCOL)
                .trustManager(new PinnedTrustManager(alpha.certificate()))
                .endpointIdentificationAlgorithm(null)
                .build();

        Handshake handshake = handshake(TlsContexts.server(alpha, server), anonymous);

        assertThat(handshake.server().cause()).isInstanceOf(SSLHandshakeException.class);
        // In TLS 1.3 the client may finish first; either way the server's alert ends its connection.
        assertThat(handshake.clientChannel().closeFuture().await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void trustManager_emptyChainOrOtherCertificate_rejected() {
        PinnedTrustManager trust = new PinnedTrustManager(alpha.certificate());

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> trust.checkClientTrusted(new java.security.cert.X509Certificate[0], "EC"))
                .hasMessageContaining("presented no certificate");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> trust.checkServerTrusted(new java.security.cert.X509Certificate[] {beta.certificate()}, "EC"))
                .hasMessageContaining("not this network's");
        assertThat(trust.getAcceptedIssuers()).containsExactly(alpha.certificate());
    }

    private static void assumeAvailable(SslProvider... providers) {
        for (SslProvider provider : providers) {
            assumeTrue(provider != SslProvider.OPENSSL || OpenSsl.isAvailable(), "BoringSSL does not load here");
        }
    }

    private record Handshake(Future<Channel> server, Future<Channel> client, Channel clientChannel,
                             CompletableFuture<Channel> serverChannel) {}

    /** Connects a client to a fresh server and waits (with a deadline) for both handshakes to end. */
    private static Handshake handshake(SslContext serverContext, SslContext clientContext) throws Exception {
        LocalAddress address = new LocalAddress(TlsContextsTest.class);
        CompletableFuture<Future<Channel>> serverHandshake = new CompletableFuture<>();
        CompletableFuture<Channel> serverChannel = new CompletableFuture<>();
        Channel server = new ServerBootstrap()
                .group(group)
                .channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel channel) {
                        SslHandler tls = serverContext.newHandler(channel.alloc());
                        channel.pipeline().addLast(tls);
                        serverChannel.complete(channel);
                        serverHandshake.complete(tls.handshakeFuture());
                    }
                })
                .bind(address).sync().channel();
        try {
            CompletableFuture<Future<Channel>> clientHandshake = new CompletableFuture<>();
            Channel client = new Bootstrap()
                    .group(group)
                    .channel(LocalChannel.class)
                    .handler(new ChannelInitializer<LocalChannel>() {
                        @Override
                        protected void initChannel(LocalChannel channel) {
                            SslHandler tls = clientContext.newHandler(channel.alloc());
                            channel.pipeline().addLast(tls);
                            clientHandshake.complete(tls.handshakeFuture());
                        }
                    })
                    .connect(address).sync().channel();
            Future<Channel> clientDone = clientHandshake.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
            Future<Channel> serverDone = serverHandshake.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
            assertThat(clientDone.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).as("client handshake ended").isTrue();
            assertThat(serverDone.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).as("server handshake ended").isTrue();
            return new Handshake(serverDone, clientDone, client, serverChannel);
        } finally {
            server.close().sync();
        }
    }

    private static String rootMessages(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append(" | ");
        }
        return messages.toString();
    }
}
