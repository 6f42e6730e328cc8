package io.iridium.cli.admin;

import io.iridium.Endpoint;
import io.iridium.Member;
import io.iridium.MembershipListener;
import io.iridium.Node;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

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
    public void close() {}
}
