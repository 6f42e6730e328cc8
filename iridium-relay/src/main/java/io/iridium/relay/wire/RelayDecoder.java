package io.iridium.relay.wire;


/**
 * An incremental decoder of one direction's packets: {@link #feed} it bytes as they arrive, in
 * pieces of any size, and call {@link #next()} until it returns null.
 *
 * <p>Undecoded bytes accumulate in one array that holds at most the current packet plus the last
 * piece fed; since every length is bounded by {@link WireLimits} before it is trusted, so is the
 * array. A packet is parsed from its start each time more bytes arrive, except that once a length
 * field says how long the packet is at least, parsing waits until that many bytes are here (so a
 * large packet fed in small pieces costs linear time, not quadratic).
 *
 * <p>After the first {@link RelayProtocolException} the decoder is failed: the stream cannot be
 * resynchronised (there is no framing), so every later call throws the same error. Not
 * thread-safe; one decoder per connection direction.
 *
 * @param <F> the frame type of the direction decoded
 */
public final class RelayDecoder<F> {
    private final FrameGrammar<F> grammar;
    private final FieldReader reader;
    private byte[] buffer = new byte[4096];
    private int start;
    private int end;
    private int needed;
    private boolean handshakeDone;
    private RelayProtocolException failure;

    public RelayDecoder(FrameGrammar<F> grammar, WireLimits limits) {
        this.grammar = grammar;
        this.reader = new FieldReader(limits);
    }

    /** Appends {@code length} bytes of {@code source} from {@code offset}. */
    public void feed(byte[] source, int offset, int length) {
        if (length == 0) {
            return;
        }
        if (end + length > buffer.length) {
            int pending = end - start;
            if (pending + length <= buffer.length && start > 0) {
                System.arraycopy(buffer, start, buffer, 0, pending);
            } else {
                byte[] grown = new byte[Math.max(pending + length, Math.max(4096, pending * 2))];
                System.arraycopy(buffer, start, grown, 0, pending);
                buffer = grown;
            }
            needed -= start;
            start = 0;
            end = pending;
        }
        System.arraycopy(source, offset, buffer, end, length);
        end += length;
    }

    /** {@link #feed(byte[], int, int)} of a whole array. */
    public void feed(byte[] source) {
        feed(source, 0, source.length);
    }

    /**
     * The next whole packet, or null when the bytes fed so far end inside a packet (or at a packet
     * boundary).
     *
     * @throws RelayProtocolException when the stream breaks the protocol
     */
    public F next() throws RelayProtocolException {
        if (failure != null) {
            throw failure;
        }
        if (start == end || (needed > 0 && end < needed)) {
            return null;
        }
        reader.reset(buffer, start + 1, end);
        F frame;
        try {
            frame = grammar.read(buffer[start] & 0xFF, handshakeDone, reader);
        } catch (RelayProtocolException e) {
            failure = e;
            throw e;
        }
        if (reader.underflow() || frame == null) {
            needed = Math.max(reader.needed(), end + 1);
            return null;
        }
        needed = 0;
        start = reader.position();
        if (start == end) {
            start = 0;
            end = 0;
            if (buffer.length > 1 << 20) {
                buffer = new byte[4096];
            }
        }
        if (grammar.isHandshake(frame)) {
            handshakeDone = true;
        }
        return frame;
    }

    /** Bytes fed but not yet decoded into a packet. */
    public int buffered() {
        return end - start;
    }
}
