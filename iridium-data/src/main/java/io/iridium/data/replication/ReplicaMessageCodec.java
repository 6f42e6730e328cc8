package io.iridium.data.replication;

import io.iridium.data.CorruptDataException;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import io.iridium.data.ReplicaId;
import io.iridium.data.replication.ReplicaMessage.Deltas;
import io.iridium.data.replication.ReplicaMessage.Departed;
import io.iridium.data.replication.ReplicaMessage.Digest;
import io.iridium.data.replication.ReplicaMessage.DigestReply;
import io.iridium.data.replication.ReplicaMessage.Handoff;
import io.iridium.data.replication.ReplicaMessage.HandoffAck;
import io.iridium.data.replication.ReplicaMessage.Push;
import io.iridium.data.replication.ReplicaMessage.Read;
import io.iridium.data.replication.ReplicaMessage.ReadReply;
import io.iridium.data.replication.ReplicaMessage.Write;
import io.iridium.data.replication.ReplicaMessage.WriteAck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The binary encoding of {@link ReplicaMessage}s.
 *
 * <pre>
 *   message    = kind (1 byte) | version 1 (1 byte) | from (16 bytes) | body
 *   Deltas      0x01  states
 *   Digest      0x02  count | count x (key string | hash long)     keys sorted
 *   DigestReply 0x03  states | count | count x key string
 *   Push        0x04  states
 *   Write       0x05  id varint | keyState
 *   WriteAck    0x06  id varint
 *   Read        0x07  id varint | key string
 *   ReadReply   0x08  id varint | present (bool) | [keyState]
 *   Handoff     0x09  id varint | states
 *   HandoffAck  0x0a  id varint | accepted (bool)
 *   Departed    0x0b  count | count x replica (16 bytes)
 *   states     = count | count x keyState
 *   keyState   = key string | type string | state bytes
 * </pre>
 * {@link #decode} throws {@link CorruptDataException}, and nothing else, for any input that is
 * not exactly one valid message; counts are checked against the bytes left before allocating.
 */
public final class ReplicaMessageCodec {

    private static final int VERSION = 1;
    private static final int DELTAS = 1;
    private static final int DIGEST = 2;
    private static final int DIGEST_REPLY = 3;
    private static final int PUSH = 4;
    private static final int WRITE = 5;
    private static final int WRITE_ACK = 6;
    private static final int READ = 7;
    private static final int READ_REPLY = 8;
    private static final int HANDOFF = 9;
    private static final int HANDOFF_ACK = 10;
    private static final int DEPARTED = 11;

    private ReplicaMessageCodec() {
    }

    /** The encoding of {@code message}. */
    public static byte[] encode(ReplicaMessage message) {
        DataWriter out = new DataWriter();
        int kind = switch (message) {
            case Deltas m -> DELTAS;
            case Digest m -> DIGEST;
            case DigestReply m -> DIGEST_REPLY;
            case Push m -> PUSH;
            case Write m -> WRITE;
            case WriteAck m -> WRITE_ACK;
            case Read m -> READ;
            case ReadReply m -> READ_REPLY;
            case Handoff m -> HANDOFF;
            case HandoffAck m -> HANDOFF_ACK;
            case Departed m -> DEPARTED;
        };
        out.writeByte(kind).writeByte(VERSION).writeReplica(message.from());
        switch (message) {
            case Deltas m -> writeStates(m.states(), out);
            case Digest m -> {
                TreeMap<String, Long> sorted = new TreeMap<>(m.hashes());
                out.writeVarLong(sorted.size());
                sorted.forEach((key, hash) -> out.writeString(key).writeLong(hash));
            }
            case DigestReply m -> {
                writeStates(m.states(), out);
                out.writeVarLong(m.wanted().size());
                m.wanted().forEach(out::writeString);
            }
            case Push m -> writeStates(m.states(), out);
            case Write m -> {
                out.writeVarLong(m.id());
                writeState(m.delta(), out);
            }
            case WriteAck m -> out.writeVarLong(m.id());
            case Read m -> out.writeVarLong(m.id()).writeString(m.key());
            case ReadReply m -> {
                out.writeVarLong(m.id()).writeBoolean(m.state().isPresent());
                m.state().ifPresent(state -> writeState(state, out));
            }
            case Handoff m -> {
                out.writeVarLong(m.id());
                writeStates(m.states(), out);
            }
            case HandoffAck m -> out.writeVarLong(m.id()).writeBoolean(m.accepted());
            case Departed m -> {
                out.writeVarLong(m.replicas().size());
                m.replicas().forEach(out::writeReplica);
            }
        }
        return out.toByteArray();
    }

    /**
     * Decodes one message from all of {@code bytes}.
     *
     * @throws CorruptDataException if the bytes are not exactly one valid message
     */
    public static ReplicaMessage decode(byte[] bytes) {
        DataReader in = new DataReader(bytes);
        int kind = in.readUnsignedByte();
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw in.corrupt("unsupported replica message version " + version);
        }
        ReplicaId from = in.readReplica();
        ReplicaMessage message = switch (kind) {
            case DELTAS -> new Deltas(from, readStates(in));
            case DIGEST -> {
                int count = in.readCount(9);
                Map<String, Long> hashes = new HashMap<>();
                for (int i = 0; i < count; i++) {
                    if (hashes.put(in.readString(), in.readLong()) != null) {
                        throw in.corrupt("duplicate key in digest");
                    }
                }
                yield new Digest(from, hashes);
            }
            case DIGEST_REPLY -> {
                List<KeyState> states = readStates(in);
                int count = in.readCount(1);
                List<String> wanted = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    wanted.add(in.readString());
                }
                yield new DigestReply(from, states, wanted);
            }
            case PUSH -> new Push(from, readStates(in));
            case WRITE -> new Write(from, in.readNonNegativeVarLong(), readState(in));
            case WRITE_ACK -> new WriteAck(from, in.readNonNegativeVarLong());
            case READ -> new Read(from, in.readNonNegativeVarLong(), in.readString());
            case READ_REPLY -> {
                long id = in.readNonNegativeVarLong();
                yield new ReadReply(from, id, in.readBoolean() ? Optional.of(readState(in)) : Optional.empty());
            }
            case HANDOFF -> new Handoff(from, in.readNonNegativeVarLong(), readStates(in));
            case HANDOFF_ACK -> new HandoffAck(from, in.readNonNegativeVarLong(), in.readBoolean());
            case DEPARTED -> {
                int count = in.readCount(ReplicaId.BYTES);
                List<ReplicaId> replicas = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    replicas.add(in.readReplica());
                }
                yield new Departed(from, replicas);
            }
            default -> throw in.corrupt("unknown replica message kind " + kind);
        };
        in.requireEnd();
        return message;
    }

    /** Writes one key state (also the record format of durable storage). */
    static void writeState(KeyState state, DataWriter out) {
        out.writeString(state.key()).writeString(state.type()).writeBytes(state.state());
    }

    /** Reads what {@link #writeState} wrote. */
    static KeyState readState(DataReader in) {
        return new KeyState(in.readString(), in.readString(), in.readBytes());
    }

    private static void writeStates(List<KeyState> states, DataWriter out) {
        out.writeVarLong(states.size());
        for (KeyState state : states) {
            writeState(state, out);
        }
    }

    private static List<KeyState> readStates(DataReader in) {
        int count = in.readCount(3);
        List<KeyState> states = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            states.add(readState(in));
        }
        return states;
    }
}
