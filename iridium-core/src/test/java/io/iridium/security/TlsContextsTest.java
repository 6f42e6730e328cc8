package io.iridium.security;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real TLS handshakes through Netty pipelines over the in-process local transport: the same
 * {@link SslHandler}s the transport uses, with no sockets and no sleeps (futures with deadlines).
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

    @Test
    void handshake_sameNetworkKey_succeedsOnBothSidesWithTls13() throws Exception {
        Handshake handshake = handshake(TlsContexts.server(alpha), TlsContexts.client(alpha));

        assertThat(handshake.server().cause()).isNull();
        assertThat(handshake.client().cause()).isNull();
        SslHandler clientTls = handshake.clientChannel().pipeline().get(SslHandler.class);
        assertThat(clientTls.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(clientTls.engine().getSession().getPeerCertificates()[0]).isEqualTo(alpha.certificate());
        SslHandler serverTls = handshake.serverChannel().join().pipeline().get(SslHandler.class);
        assertThat(serverTls.engine().getSession().getPeerCertificates()[0]).isEqualTo(alpha.certificate());
    }

    @Test
    void handshake_developmentKeyOnBothSides_succeeds() throws Exception {
        Handshake handshake = handshake(
                TlsContexts.server(NetworkKey.development()), TlsContexts.client(NetworkKey.development()));

        assertThat(handshake.server().isSuccess()).isTrue();
        assertThat(handshake.client().isSuccess()).isTrue();
    }

    @Test
    void handshake_differentNetworks_failsOnBothSides() throws Exception {
        Handshake handshake = handshake(TlsContexts.server(alpha), TlsContexts.client(beta));

        assertThat(handshake.client().cause()).isInstanceOf(SSLHandshakeException.class);
        assertThat(rootMessages(handshake.client().cause())).contains("not this network's");
        assertThat(handshake.server().cause()).isInstanceOf(SSLHandshakeException.class);
        assertThat(handshake.clientChannel().closeFuture().await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void handshake_clientOfAnotherNetworkAgainstDevServer_failsOnBothSides() throws Exception {
        Handshake handshake = handshake(TlsContexts.server(NetworkKey.development()), TlsContexts.client(alpha));

        assertThat(handshake.client().isSuccess()).isFalse();
        assertThat(handshake.server().isSuccess()).isFalse();
    }

    @Test
    void handshake_clientWithoutCertificate_isRefused() throws Exception {
        SslContext anonymous = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(TlsContexts.PROTOCOL)
                .trustManager(new PinnedTrustManager(alpha.certificate()))
                .endpointIdentificationAlgorithm(null)
                .build();

        Handshake handshake = handshake(TlsContexts.server(alpha), anonymous);

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
