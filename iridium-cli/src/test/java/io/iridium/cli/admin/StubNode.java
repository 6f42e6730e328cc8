package io.iridium.cli.admin;

import io.iridium.Endpoint;
import io.iridium.Member;
import io.iridium.MembershipListener;
import io.iridium.Node;
import io.iridium.Service;
import io.iridium.ServiceHandler;
import io.iridium.ServiceLimits;
import io.iridium.Subscription;
import io.iridium.TopicHandler;
import io.iridium.TopicLimits;
import io.iridium.TopicReader;
import io.iridium.Tunnel;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A node with a fixed membership, for testing what the admin server makes of a node's view. */
final class StubNode implements Node {

    private final Member self;
    private final List<Member> members;
    private final MeterRegistry registry;

    StubNode(Member self, List<Member> members, MeterRegistry registry) {
        this.self = self;
        this.members = List.copyOf(members);
        this.registry = registry;
    }

    @Override
    public Member self() {
        return self;
    }

    @Override
    public Endpoint address() {
        return self.address();
    }

    @Override
    public List<Member> members() {
        return members;
    }

    @Override
    public AutoCloseable onMembershipChange(MembershipListener listener) {
        return () -> {};
    }

    @Override
    public MeterRegistry metrics() {
        return registry;
    }

    @Override
    public Service register(String cluster, ServiceHandler handler, ServiceLimits limits) {
        throw new UnsupportedOperationException("a stub node serves nothing");
    }

    @Override
    public byte[] request(String cluster, byte[] request, Duration timeout) {
        throw new UnsupportedOperationException("a stub node sends nothing");
    }

    @Override
    public CompletableFuture<byte[]> requestAsync(String cluster, byte[] request, Duration timeout) {
        throw new UnsupportedOperationException("a stub node sends nothing");
    }

    @Override
    public CompletableFuture<byte[]> requestAsync(String cluster, io.iridium.NodeId member, byte[] request,
                                                  Duration timeout) {
        throw new UnsupportedOperationException("a stub node sends nothing");
    }

    @Override
    public List<Member> servers(String cluster) {
        return List.of();
    }

    @Override
    public void broadcast(String cluster, byte[] message) {
        throw new UnsupportedOperationException("a stub node sends nothing");
    }

    @Override
    public Subscription subscribe(String pattern, TopicHandler handler, TopicLimits limits) {
        throw new UnsupportedOperationException("a stub node subscribes to nothing");
    }

    @Override
    public Subscription subscribeInPlace(String pattern, TopicReader reader, TopicLimits limits) {
        throw new UnsupportedOperationException("a stub node subscribes to nothing");
    }

    @Override
    public void publish(String topic, byte[] event) {
        throw new UnsupportedOperationException("a stub node sends nothing");
    }

    @Override
    public Tunnel tunnel(String cluster, Duration timeout) {
        throw new UnsupportedOperationException("a stub node opens no tunnel");
    }

    @Override
    public void close() {}
}
