package io.iridium.discovery;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny authoritative DNS server on 127.0.0.1 for tests, built from netty-codec-dns: answers A,
 * AAAA and SRV from a mutable table, NXDOMAIN for unknown names, and an empty answer (NODATA)
 * for a known name without records of the asked type. Records are served with TTL 1.
 */
final class TestDnsServer implements AutoCloseable {

    /**
     * One SRV record's data. With {@code pointer >= 0} the target is written as its labels
     * followed by a compression pointer to that offset of the message (RFC 1035 4.1.4), as real
     * servers do; the question name starts at offset 12.
     */
    record Srv(int priority, int weight, int port, String target, int pointer) {
        Srv(int priority, int weight, int port, String target) {
            this(priority, weight, port, target, -1);
        }
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Map<String, List<InetAddress>> addresses = new ConcurrentHashMap<>();
    private final Map<String, List<Srv>> services = new ConcurrentHashMap<>();
    /** Every question asked, as {@code TYPE name}. */
    final List<String> questions = new CopyOnWriteArrayList<>();
    private final Channel channel;

    TestDnsServer() throws InterruptedException {
        channel = new Bootstrap()
                .group(group)
                .channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<NioDatagramChannel>() {
                    @Override
                    protected void initChannel(NioDatagramChannel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new Responder());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    void setAddresses(String name, List<InetAddress> list) {
        addresses.put(normalize(name), List.copyOf(list));
    }

    void setServices(String name, List<Srv> list) {
        services.put(normalize(name), List.copyOf(list));
    }

    void remove(String name) {
        addresses.remove(normalize(name));
        services.remove(normalize(name));
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    private static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private final class Responder extends SimpleChannelInboundHandler<DatagramDnsQuery> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            String name = normalize(question.name());
            questions.add(question.type().name() + " " + name);
            DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            response.setAuthoritativeAnswer(true).setRecursionAvailable(true);
            response.addRecord(DnsSection.QUESTION, question);
            boolean known = addresses.containsKey(name) || services.containsKey(name);
            if (!known) {
                response.setCode(DnsResponseCode.NXDOMAIN);
            } else if (question.type() == DnsRecordType.SRV) {
                for (Srv srv : services.getOrDefault(name, List.of())) {
                    response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(
                            question.name(), DnsRecordType.SRV, 1, srvData(srv)));
                }
            } else if (question.type() == DnsRecordType.A || question.type() == DnsRecordType.AAAA) {
                int wanted = question.type() == DnsRecordType.A ? 4 : 16;
                for (InetAddress address : addresses.getOrDefault(name, List.of())) {
                    byte[] bytes = address.getAddress();
                    if (bytes.length == wanted) {
                        response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(
                                question.name(), question.type(), 1, Unpooled.wrappedBuffer(bytes)));
                    }
                }
            }
            ctx.writeAndFlush(response);
        }

        private ByteBuf srvData(Srv srv) {
            ByteBuf data = Unpooled.buffer();
            data.writeShort(srv.priority()).writeShort(srv.weight()).writeShort(srv.port());
            String target = normalize(srv.target());
            if (!target.isEmpty()) {
                for (String label : target.split("\\.")) {
                    byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
                    data.writeByte(bytes.length).writeBytes(bytes);
                }
            }
            if (srv.pointer() >= 0) {
                data.writeShort(0xc000 | srv.pointer());
            } else {
                data.writeByte(0);
            }
            return data;
        }
    }
}
