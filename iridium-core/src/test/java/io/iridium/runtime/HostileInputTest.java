package io.iridium.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.Config;
import io.iridium.Endpoint;
import io.iridium.Iridium;
import io.iridium.security.NetworkKey;
import io.iridium.security.TlsContexts;
import io.iridium.transport.NettyTransports;
import io.iridium.wire.WireMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input at a real node's port: garbage, strangers and oversized frames close one connection
 * or drop one datagram, are counted, and leave the node serving its network.
 */
class HostileInputTest {
    @TempDir
    Path dir;
    NetworkKey key;
    final List<NodeRuntime> nodes = new ArrayList<>();
    EventLoopGroup clientGroup;

    @BeforeEach
    void setUp() throws Exception {
        key = NetworkKey.generate("test");
        key.write(dir.resolve("k.pem"), false);
        clientGroup = NettyTransports.NIO.newGroup(1, new DefaultThreadFactory("hostile-client", true));
    }

    @AfterEach
    void tearDown() {
        nodes.forEach(NodeRuntime::crash);
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    NodeRuntime start(String name, List<Endpoint> seeds) {
        NodeRuntime node = (NodeRuntime) Iridium.start(Config.builder()
                .keyFile(dir.resolve("k.pem")).bind(new Endpoint("127.0.0.1", 0)).seeds(seeds)
                .multicast(false).name(name).maxFrameBytes(64 * 1024).meterRegistry(new SimpleMeterRegistry()).build());
        nodes.add(node);
        return node;
    }

    double count(NodeRuntime node, String name, String... tags) {
        return node.metrics().counter(name, tags).count();
    }

    void assertStillServes(NodeRuntime target) {
        NodeRuntime newcomer = start("newcomer-" + nodes.size(), List.of(target.address()));
        Eventually.await(Duration.ofSeconds(15), "a newcomer still joins the attacked node",
                () -> MultiNodeTest.live(target) == MultiNodeTest.live(newcomer) && MultiNodeTest.live(newcomer) >= 2);
        assertThat(newcomer.send(target.id(), new WireMessage.Payload(7, new byte[8]))).isNotNull();
    }

    @Test
    void garbageOverPlainTcp_failsTls_andIsCounted() throws Exception {
        NodeRuntime target = start("target", List.of());
        byte[] garbage = new byte[4096];
        new SplittableRandom(1).nextBytes(garbage);
        for (int i = 0; i < 5; i++) {
            try (Socket socket = new Socket(target.address().host(), target.address().port())) {
                OutputStream out = socket.getOutputStream();
                out.write(garbage);
                out.flush();
                socket.getInputStream().read(new byte[1024]); // until the node hangs up
            } catch (java.io.IOException expected) {
                // a reset is as good as a close
            }
        }
        Eventually.await(Duration.ofSeconds(10), "five TLS failures counted",
                () -> count(target, "iridium.connections.rejected", "reason", "tls") >= 5);
        assertStillServes(target);
    }

    @Test
    void garbageDatagrams_areRejectedAndCounted() throws Exception {
        NodeRuntime target = start("target", List.of());
        SplittableRandom random = new SplittableRandom(2);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            for (int i = 0; i < 200; i++) {
                byte[] garbage = new byte[1 + random.nextInt(1400)];
                random.nextBytes(garbage);
                socket.send(new DatagramPacket(garbage, garbage.length, new InetSocketAddress(target.address().host(), target.address().port())));
            }
        }
        Eventually.await(Duration.ofSeconds(10), "the garbage datagrams are rejected",
                () -> target.metrics().find("iridium.membership.datagrams.rejected").counters().stream()
                        .mapToDouble(c -> c.count()).sum() >= 150);
        assertStillServes(target);
    }

    @Test
    void oversizedAndMalformedFrames_overAuthenticatedTls_closeOnlyThatConnection() throws Exception {
        NodeRuntime target = start("target", List.of());
        // a frame header claiming 2 GiB: refused before anything is allocated
        sendOverTls(target, new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
        // a frame of an unknown type
        sendOverTls(target, new byte[] {0, 0, 0, 3, (byte) 0xee, 0, 0});
        Eventually.await(Duration.ofSeconds(10), "both bad frames counted",
                () -> count(target, "iridium.frames.malformed") >= 2);
        assertStillServes(target);
    }

    private void sendOverTls(NodeRuntime target, byte[] bytes) throws Exception {
        Channel channel = new Bootstrap().group(clientGroup).channel(NettyTransports.NIO.socketChannel())
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(TlsContexts.client(key).newHandler(ch.alloc()));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter());
                    }
                })
                .connect(target.address().host(), target.address().port()).sync().channel();
        channel.pipeline().get(SslHandler.class).handshakeFuture().sync();
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).sync();
        assertThat(channel.closeFuture().await(10, TimeUnit.SECONDS)).as("the node closes the offending connection").isTrue();
    }
}
