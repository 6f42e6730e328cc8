package io.iridium.messaging;

/**
 * The credit arithmetic of one tunnel endpoint, both directions: a pure, single-threaded value
 * with no I/O, clocks or locks (its {@link TunnelEndpoint} calls it under the endpoint's lock).
 *
 * <pre>
 *   opener                                              acceptor
 *     | -- TunnelOpen(credit = W) ------------------------> |  acceptor may send W bytes
 *     | &lt;------------------------ TunnelAccept(credit = W) -- |  opener may send W bytes
 *     | -- TunnelData(64 KiB) --▶  sendCredit -= 64 KiB      |  receivable -= 64 KiB
 *     | -- TunnelData(...)    --▶  ... until sendCredit = 0: send() blocks
 *     |                                  application receive()s: consumed += bytes
 *     | &lt;-- TunnelCredit(consumed) -- once consumed ≥ W/2    |  receivable += consumed
 *     |      sendCredit += consumed: send() resumes
 * </pre>
 *
 * <p><b>Send side.</b> {@code sendCredit} is what the far side has granted and this side has not
 * yet spent. A chunk costs its length ({@link #charge}: an empty chunk costs one byte, so that a
 * flood of empty messages is flow-controlled too). A message starts only when the credit covers
 * {@link #startNeed} — all of it, or half of the far side's window for a larger message — so
 * that a message that fits is sent whole or not at all, and a large one cannot wait for more
 * credit than the far side ever holds back (it grants as soon as half its window is consumed,
 * so at rest its ungranted bytes are below half the window).
 *
 * <p><b>Receive side.</b> {@code receivable} is what this side granted and has not yet received:
 * a chunk beyond it is a protocol violation. {@code consumed} counts bytes the application has
 * taken and that have not been granted back; {@link #takeGrant} returns them once they reach half
 * the window. Invariant: {@code receivable + buffered + consumed == window}, where
 * {@code buffered} is what arrived and the application has not consumed — so a reader that stops
 * reading holds at most {@code window} bytes of this tunnel.
 *
 * <p><b>Window growth.</b> A window smaller than what the path holds in flight (its bandwidth
 * times the credit round trip, which on a TLS connection includes encrypting and decrypting the
 * window) stalls the tunnel: the sender spends all its credit, the reader drains everything, and
 * both wait for a grant to travel. The receive side sees exactly that — the far side ran dry
 * ({@code receivable} reached 0) and then the reader found nothing left — and doubles its window
 * (up to {@link #MAX_GROWTH} times the initial one), granting the extra at once, as TCP's receive
 * buffer auto-tuning does. A slow reader never drains, and a slow sender never runs dry, so
 * neither grows the window: it grows only where it is the bottleneck.
 */
final class TunnelFlow {
    /** The largest chunk of one message in one frame. */
    static final int MAX_CHUNK = 64 * 1024;

    /** How many times its initial size a receive window may grow to. */
    static final int MAX_GROWTH = 16;

    private final long maxWindow;
    private long window;
    private boolean senderRanDry;
    private long receivable;
    private long consumed;
    private long peerWindow = 1;
    private long sendCredit;

    /** @param window the bytes this side grants the far side at open (its receive window) */
    TunnelFlow(long window) {
        if (window < 2) {
            throw new IllegalArgumentException("a tunnel window must be at least 2 bytes, got " + window);
        }
        this.window = window;
        this.maxWindow = window > Long.MAX_VALUE / MAX_GROWTH ? Long.MAX_VALUE : window * MAX_GROWTH;
        this.receivable = window;
    }

    /** What a chunk of {@code length} bytes costs in credit. */
    static long charge(int length) {
        return Math.max(1, length);
    }

    // ---- send side -----------------------------------------------------------------------------

    /** The far side's initial grant (in its open or accept frame): its window. */
    void peerWindow(long credit) {
        this.peerWindow = Math.max(1, credit);
        this.sendCredit = credit;
    }

    /** The credit needed before the first chunk of a message of {@code length} bytes leaves. */
    long startNeed(int length) {
        return Math.min(charge(length), Math.max(1, peerWindow / 2));
    }

    /** Whether a message of {@code length} bytes may start now. */
    boolean canStart(int length) {
        return sendCredit >= startNeed(length);
    }

    /**
     * The size of the next chunk, {@code remaining} bytes of the message being left: at most
     * {@link #MAX_CHUNK} and the credit; -1 when there is no credit for any.
     */
    int nextChunk(int remaining) {
        if (sendCredit < 1) {
            return -1;
        }
        return (int) Math.min(Math.min(remaining, MAX_CHUNK), sendCredit);
    }

    /** A chunk of {@code length} bytes is leaving. */
    void spend(int length) {
        sendCredit -= charge(length);
    }

    /** A chunk of {@code length} bytes did not leave after all. */
    void refund(int length) {
        sendCredit += charge(length);
    }

    /** The far side granted {@code bytes} more. */
    void credit(long bytes) {
        long next = sendCredit + bytes;
        sendCredit = next < sendCredit ? Long.MAX_VALUE : next;
    }

    long sendCredit() {
        return sendCredit;
    }

    // ---- receive side --------------------------------------------------------------------------

    /** A chunk of {@code length} bytes arrived; false if it exceeds the credit granted (a violation). */
    boolean received(int length) {
        long cost = charge(length);
        if (cost > receivable) {
            return false;
        }
        receivable -= cost;
        if (receivable == 0) {
            senderRanDry = true;
        }
        return true;
    }

    /**
     * The reader found nothing left to take. If the far side ran out of credit since the last
     * growth, the window is what holds the tunnel back: it doubles (up to the limit), and the
     * extra is added to what {@link #takeGrant} grants next.
     */
    void readerCaughtUp() {
        if (senderRanDry && window < maxWindow) {
            long extra = Math.min(window, maxWindow - window);
            window += extra;
            consumed += extra;
        }
        senderRanDry = false;
    }

    /** The application took {@code bytes} (as charged) of what arrived, or they were discarded. */
    void consumed(long bytes) {
        consumed += bytes;
    }

    /** The bytes to grant back now: all consumed ones once they reach half the window, else 0. */
    long takeGrant() {
        if (consumed < grantThreshold()) {
            return 0;
        }
        long grant = consumed;
        consumed = 0;
        receivable += grant;
        return grant;
    }

    long grantThreshold() {
        return Math.max(1, window / 2);
    }

    long window() {
        return window;
    }

    /** Bytes the far side may still send before it needs more credit. */
    long receivable() {
        return receivable;
    }

    /** Bytes consumed and not yet granted back. */
    long consumedUngranted() {
        return consumed;
    }
}
