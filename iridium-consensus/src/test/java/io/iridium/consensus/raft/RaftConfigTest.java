package io.iridium.consensus.raft;

import io.iridium.NodeId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Configuration is validated once, when built. */
class RaftConfigTest {

    private static final NodeId ID = new NodeId(1, 1);

    @Test
    void defaults_areTheDocumentedOnes() {
        RaftConfig config = RaftConfig.builder(ID).build();
        assertThat(config.electionTicks()).isEqualTo(10);
        assertThat(config.heartbeatTicks()).isEqualTo(1);
        assertThat(config.preVote()).isTrue();
        assertThat(config.checkQuorum()).isTrue();
        assertThat(config.readMode()).isEqualTo(RaftConfig.ReadMode.SAFE);
    }

    @Test
    void heartbeatNotShorterThanElectionTimeout_isRejected() {
        assertThatThrownBy(() -> RaftConfig.builder(ID).electionTicks(3).heartbeatTicks(3).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heartbeatTicks");
    }

    @Test
    void leaseReadsWithoutCheckQuorum_areRejected() {
        assertThatThrownBy(() -> RaftConfig.builder(ID).readMode(RaftConfig.ReadMode.LEASE).checkQuorum(false).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkQuorum");
    }

    @Test
    void compact_atAnIndexOtherThanTheAppliedOne_isAMisuse() {
        RaftNetwork net = new RaftNetwork(1).start(1);
        net.elect(1);
        assertThatThrownBy(() -> net.node(1).compact(99, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void step_messageForAnotherNode_isAMisuse() {
        RaftNetwork net = new RaftNetwork(1).start(2);
        assertThatThrownBy(() -> net.node(1).step(new RaftMessage.TimeoutNow(RaftNetwork.id(2), RaftNetwork.id(2), 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
