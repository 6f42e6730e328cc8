package io.iridium.consensus.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Storage is damaged somewhere other than a torn tail: the node must not start on it. The message
 * names the file and the byte offset; recovery means restoring the node from a peer (remove its
 * data directory and add it back to the group).
 */
public final class CorruptLogException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    /**
     * Describes the damage.
     *
     * @param file   the damaged file
     * @param offset the byte offset of the first bad record or field
     * @param what   what is wrong
     */
    public CorruptLogException(Path file, long offset, String what) {
        super("corrupt storage in " + file + " at byte " + offset + ": " + what
                + "; refusing to start (restore this node from a peer)");
        this.file = file;
        this.offset = offset;
    }

    /**
     * The damaged file.
     *
     * @return its path
     */
    public Path file() {
        return file;
    }

    /**
     * Where the damage starts.
     *
     * @return the byte offset of the damage
     */
    public long offset() {
        return offset;
    }
}
