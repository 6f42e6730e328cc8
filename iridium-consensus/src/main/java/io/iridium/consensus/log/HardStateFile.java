package io.iridium.consensus.log;

import io.iridium.NodeId;
import io.iridium.consensus.raft.HardState;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The durable term and vote, replaced atomically (temp file, fsync, rename, directory fsync), so
 * the file always holds either the old or the new state, never a mix. A checksum mismatch
 * therefore means damage, not a torn write.
 *
 * <pre>
 *   ┌──────────────┬──────────┬──────────────┬───────────┬────────────┬────────────┐
 *   │ magic "IRHS" │ term (8) │ has vote (1) │ vote (16) │ commit (8) │ crc32c (4) │
 *   └──────────────┴──────────┴──────────────┴───────────┴────────────┴────────────┘
 * </pre>
 *
 * <p>The commit index stored is a hint: it may lag, which only makes a restarted node re-apply
 * less before the leader tells it more.
 */
public final class HardStateFile {

    private static final int MAGIC = 0x49524853; // "IRHS"
    private static final int SIZE = 4 + 8 + 1 + 16 + 8 + 4;

    private final Path path;

    /**
     * A state file.
     *
     * @param path where it lives; a temporary sibling is used while replacing it
     */
    public HardStateFile(Path path) {
        this.path = path;
    }

    /**
     * Reads the stored state.
     *
     * @return the stored state, or {@link HardState#EMPTY} when there is none yet
     * @throws CorruptLogException when the file is damaged
     * @throws IOException         when the file system fails
     */
    public HardState load() throws IOException {
        if (!Files.exists(path)) {
            return HardState.EMPTY;
        }
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(path));
        if (in.remaining() != SIZE || in.getInt() != MAGIC) {
            throw new CorruptLogException(path, 0, "bad hard state file");
        }
        CRC32C crc = new CRC32C();
        crc.update(in.array(), 0, SIZE - 4);
        if ((int) crc.getValue() != in.getInt(SIZE - 4)) {
            throw new CorruptLogException(path, 0, "hard state checksum mismatch");
        }
        long term = in.getLong();
        boolean hasVote = in.get() != 0;
        NodeId vote = new NodeId(in.getLong(), in.getLong());
        long commit = in.getLong();
        return new HardState(term, hasVote ? vote : null, commit);
    }

    /**
     * Replaces the stored state; durable when this returns.
     *
     * @param state the new state
     * @throws IOException when the file system fails; the old state is then still in place
     */
    public void store(HardState state) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(SIZE);
        out.putInt(MAGIC).putLong(state.term()).put((byte) (state.vote() != null ? 1 : 0));
        NodeId vote = state.vote() != null ? state.vote() : new NodeId(0, 0);
        out.putLong(vote.high()).putLong(vote.low()).putLong(state.commit());
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, SIZE - 4);
        out.putInt((int) crc.getValue()).flip();
        Files2.writeAtomically(path, out);
    }
}
