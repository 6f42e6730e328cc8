package io.iridium.consensus.group;

import io.iridium.NodeId;
import io.iridium.consensus.machine.Command;
import io.iridium.consensus.machine.Envelope;
import io.iridium.consensus.machine.Query;
import io.iridium.consensus.machine.Result;
import io.iridium.consensus.raft.ConfChange;
import io.iridium.consensus.raft.Entry;
import io.iridium.consensus.raft.Membership;
import io.iridium.consensus.raft.Payload;
import io.iridium.consensus.raft.RaftMessage;
import io.iridium.consensus.raft.Snapshot;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every Raft message and group request survives the wire, and malformed bytes fail clearly. */
class GroupWireTest {

    private static final NodeId A = MemberIds.of("a");
    private static final NodeId B = MemberIds.of("b");

    @Test
    void everyRaftMessage_roundTrips() {
        Membership m = new Membership(Set.of(A), Set.of(B));
        List<RaftMessage> all = List.of(
                new RaftMessage.PreVote(A, B, 3, 10, 2),
                new RaftMessage.PreVoteResponse(A, B, 3, true),
                new RaftMessage.RequestVote(A, B, 3, 10, 2, true),
                new RaftMessage.VoteResponse(A, B, 3, false),
                new RaftMessage.Append(A, B, 4, 9, 3, List.of(new Entry(10, 4, new Payload.Data(new byte[]{1, 2})),
                        new Entry(11, 4, new Payload.Empty()),
                        new Entry(12, 4, new Payload.Change(new ConfChange(ConfChange.Type.ADD_LEARNER, B)))), 8),
                new RaftMessage.AppendResponse(A, B, 4, true, 12, 7, 2),
                new RaftMessage.Heartbeat(A, B, 4, 8, 5, 99),
                new RaftMessage.HeartbeatResponse(A, B, 4, 5, 99),
                new RaftMessage.SnapshotResponse(A, B, 4, 20, 64, false),
                new RaftMessage.TimeoutNow(A, B, 4),
                new RaftMessage.ReadIndex(A, B, 4, 77),
                new RaftMessage.ReadIndex(A, B, 4, 78, true),
                new RaftMessage.ReadIndexResponse(A, B, 4, 12, 77));
        for (RaftMessage message : all) {
            assertThat(RaftMessageCodec.decode(RaftMessageCodec.encode(message))).isEqualTo(message);
        }
        var snap = new RaftMessage.InstallSnapshot(A, B, 4, new Snapshot.Metadata(20, 3, m), 64, new byte[]{9, 8, 7}, true);
        var back = (RaftMessage.InstallSnapshot) RaftMessageCodec.decode(RaftMessageCodec.encode(snap));
        assertThat(back.metadata()).isEqualTo(snap.metadata());
        assertThat(back.chunk()).containsExactly(9, 8, 7);
        assertThat(back.done()).isTrue();
    }

    @Test
    void malformedRaftMessages_failWithIllegalArgument() {
        byte[] good = RaftMessageCodec.encode(new RaftMessage.ReadIndex(A, B, 4, 77));
        assertThatThrownBy(() -> RaftMessageCodec.decode(java.util.Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        byte[] badTag = good.clone();
        badTag[0] = 99;
        assertThatThrownBy(() -> RaftMessageCodec.decode(badTag)).hasMessageContaining("tag");
    }

    @Test
    void requestsAndReplies_roundTrip() {
        var submit = new GroupProtocol.Submit(new Envelope(5, 6, 7, new Command.Add("c", 2)), true);
        var decoded = (GroupProtocol.Submit) GroupProtocol.decodeRequest(GroupProtocol.encode(submit));
        assertThat(decoded).isEqualTo(submit);
        var read = new GroupProtocol.Read(new Query.Range("p/", 10), Consistency.STALE, false);
        assertThat(GroupProtocol.decodeRequest(GroupProtocol.encode(read))).isEqualTo(read);
        var admin = new GroupProtocol.Admin(GroupProtocol.AdminOperation.TRANSFER, "m2", false);
        assertThat(GroupProtocol.decodeRequest(GroupProtocol.encode(admin))).isEqualTo(admin);
        var raft = (GroupProtocol.Raft) GroupProtocol.decodeRequest(GroupProtocol.encode(
                new GroupProtocol.Raft(List.of(new byte[]{1}, new byte[]{2, 3}))));
        assertThat(raft.messages()).hasSize(2);
        assertThat(raft.messages().get(1)).containsExactly(2, 3);
        for (GroupProtocol.Reply reply : List.of(new GroupProtocol.Done(new Result.Count(3)), new GroupProtocol.Text("hi"),
                new GroupProtocol.Retry("later"), new GroupProtocol.Failed("no"))) {
            assertThat(GroupProtocol.decodeReply(GroupProtocol.encode(reply))).isEqualTo(reply);
        }
        assertThatThrownBy(() -> GroupProtocol.decodeRequest(new byte[]{1, 0, 0, 0, 5})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GroupProtocol.decodeReply(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void memberIds_dependOnlyOnTheName() {
        assertThat(MemberIds.of("a")).isEqualTo(A).isNotEqualTo(B);
        assertThatThrownBy(() -> MemberIds.of(" ")).hasMessageContaining("--name");
    }
}
