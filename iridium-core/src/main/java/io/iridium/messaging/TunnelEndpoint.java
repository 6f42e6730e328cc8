package io.iridium.messaging;

import io.iridium.IridiumException;
import io.iridium.Tunnel;
import io.iridium.transport.SendResult;
import io.iridium.wire.TunnelChunks;
import io.iridium.wire.WireMessage;
import io.netty.util.Timer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One end of a tunnel: the blocking {@link Tunnel} API over the tunnel's frames, with the credit
 * arithmetic of {@link TunnelFlow}.
 *
 * <pre>
 *                 opener                                   acceptor
 *   OPENING ──Accept──▶ OPEN                    OPEN (from the start)
 *      │ Refuse / lost / deadline ──▶ released
 *   OPEN: send ─▶ Data…(last: endOfMessage) ─────────▶ partial chunks ─▶ queue ─▶ receive
 *         receive ─▶ consumed ≥ window/2 ─▶ Credit ──▶ sendCredit += n
 *   closeSend ─▶ End (after every Data: same sender, same connection) ─▶ far receive() = null
 *   both Ends seen ──▶ released        Abort / lost connection ──▶ failed + released
 * </pre>
 *
 * <p><b>Invariants.</b> Chunks of one message leave back to back (senders serialize on
 * {@code sendLock}) and each costs credit before it leaves, so the far side never holds more than
 * its window of this tunnel's bytes that its reader has not asked for. A message that is still
 * being reassembled counts as consumed only while a reader waits for it and nothing complete is
 * queued before it — that is what lets a message larger than the window stream through while a
 * reader that does not read blocks the writer. End follows the last data frame on the same
 * ordered link. Once {@code failure} is set, every call fails with
 * {@link IridiumException.Closed} naming it and nothing more is delivered.
 *
 * <p><b>Threads.</b> Frames arrive on an event loop (or, for a local pair, on the partner's
 * thread) and never block: they update state under {@code lock} and signal. Application calls
 * wait on {@code lock}'s condition with their deadline. No frame is sent while {@code lock} is
 * held, so two endpoints of a local pair never hold each other's locks. Release (routing entry,
 * connection pin) happens exactly once.
 */
final class TunnelEndpoint implements Tunnel {
    /** How long {@link #close} and a half-close wait for the far side before aborting. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    /** How long a credit or abort frame is retried while the connection is back-pressured. */
    private static final long CONTROL_RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Reasons travel in a text field of at most 1024 bytes of UTF-8: 200 chars always fit. */
    private static final int MAX_REASON_CHARS = 200;

    /** Where an endpoint's frames go: the data plane or, for a local pair, the partner. Never blocks. */
    @FunctionalInterface
    interface Link {
        SendResult send(WireMessage frame);
    }

    /** How an open attempt ended, as the opener sees it. */
    sealed interface OpenOutcome {
        record Accepted() implements OpenOutcome {}

        record Refused(boolean notMember, String reason) implements OpenOutcome {}

        record Lost(String reason) implements OpenOutcome {}

        record TimedOut() implements OpenOutcome {}
    }

    /**
     * A complete message waiting for the reader; {@code uncredited} of its charge is not yet
     * consumed. Its chunk arrays are its own (see {@link TunnelChunks}); the reader's thread turns
     * it into what the reader asked for and gives recycled chunks back.
     */
    private record Inbound(byte[][] chunks, int length, long uncredited) {
        /** The message as an array of its own. */
        byte[] assemble() {
            if (chunks.length == 1) {
                byte[] only = chunks[0];
                if (only.length != TunnelChunks.LENGTH) {
                    return only;
                }
                byte[] message = Arrays.copyOf(only, only.length); // fills fresh memory without zeroing it first
                TunnelChunks.give(only);
                return message;
            }
            byte[] message = new byte[length];
            int at = 0;
            for (byte[] chunk : chunks) {
                System.arraycopy(chunk, 0, message, at, chunk.length);
                at += chunk.length;
                TunnelChunks.give(chunk);
            }
            return message;
        }

        /** Shows {@code reader} the message, from its chunk when it has one, then recycles that. */
        void deliver(Consumer<? super ByteBuffer> reader) {
            if (chunks.length != 1) {
                reader.accept(ByteBuffer.wrap(assemble()).asReadOnlyBuffer());
                return;
            }
            try {
                reader.accept(ByteBuffer.wrap(chunks[0]).asReadOnlyBuffer());
            } finally {
                TunnelChunks.give(chunks[0]);
            }
        }
    }

    private final String cluster;
    private final String peer;
    private final long wireId;
    private final Executor async;
    private final MessagingMetrics metrics;
    private final Timer deadlines;
    private final Consumer<TunnelEndpoint> onRelease;
    private final AtomicBoolean released = new AtomicBoolean();
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile Link link = frame -> SendResult.CLOSED;

    // guarded by lock
    private final TunnelFlow flow;
    private final ArrayDeque<Inbound> queue = new ArrayDeque<>();
    private final ArrayList<byte[]> partial = new ArrayList<>();
    private int partialLength;
    private long partialCharge;
    private long partialCredited;
    private int readersWaiting;
    private boolean accepted;
    private OpenOutcome.Refused refusal;
    private boolean endRequested;
    private boolean sendEnded;
    private boolean recvEnded;
    private boolean closedLocally;
    /** Why the tunnel failed; set once, under lock, read anywhere. */
    private volatile String failure;

    /**
     * @param cluster   the cluster the tunnel was opened to
     * @param peer      the far side, for messages
     * @param wireId    the id this endpoint stamps on its frames (see {@link Tunnels})
     * @param window    the bytes this side grants the far side (its receive window)
     * @param async     runs retries of control frames
     * @param deadlines where a waiting receive or send keeps its deadline (see {@link DeadlineWait})
     * @param onRelease called once when the endpoint no longer needs routing or a pinned connection
     */
    TunnelEndpoint(String cluster, String peer, long wireId, long window, Executor async, MessagingMetrics metrics,
            Timer deadlines, Consumer<TunnelEndpoint> onRelease) {
        this.cluster = cluster;
        this.peer = peer;
        this.wireId = wireId;
        this.flow = new TunnelFlow(window);
        this.async = async;
        this.metrics = metrics;
        this.deadlines = deadlines;
        this.onRelease = onRelease;
    }

    /** Sets where frames go; before the endpoint is published. */
    void connect(Link link) {
        this.link = link;
    }

    /** Marks an acceptor's endpoint open, the opener having granted {@code peerCredit}; before publication. */
    void openedBy(long peerCredit) {
        lock.lock();
        try {
            flow.peerWindow(peerCredit);
            accepted = true;
        } finally {
            lock.unlock();
        }
    }

    long wireId() {
        return wireId;
    }

    boolean isReleased() {
        return released.get();
    }

    // ---- opening ---------------------------------------------------------------------------------

    /** The opener waits for the far side's answer. */
    OpenOutcome awaitOpen(long deadlineNanos) {
        lock.lock();
        try {
            while (true) {
                if (accepted) {
                    return new OpenOutcome.Accepted();
                }
                if (refusal != null) {
                    return refusal;
                }
                if (failure != null) {
                    return new OpenOutcome.Lost(failure);
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return new OpenOutcome.TimedOut();
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new OpenOutcome.TimedOut();
        } finally {
            lock.unlock();
        }
    }

    /** The acceptor answers the open; false (and aborted) if that failed. Not on an event loop. */
    boolean sendAccept(long window, long deadlineNanos) {
        if (failure != null) {
            return false;
        }
        SendResult result = transmit(new WireMessage.TunnelAccept(wireId, window), deadlineNanos);
        if (result != SendResult.QUEUED) {
            abort("could not accept the tunnel: the connection to " + peer + " is " + describe(result), result != SendResult.CLOSED);
            return false;
        }
        return true;
    }

    // ---- inbound frames (event loop: never block) -------------------------------------------------

    /** A frame addressed to this endpoint. */
    void onFrame(WireMessage frame) {
        onFrame(frame, null);
    }

    /**
     * A frame addressed to this endpoint, read by an event loop that wakes readers at the end of
     * its read burst through {@code wakeups} (null: wake them at once).
     */
    void onFrame(WireMessage frame, ReaderWakeups wakeups) {
        switch (frame) {
            case WireMessage.TunnelAccept accept -> onAccept(accept.credit());
            case WireMessage.TunnelRefuse refuse -> onRefuse(refuse);
            case WireMessage.TunnelData data -> onData(data, wakeups);
            case WireMessage.TunnelCredit credit -> onCredit(credit.bytes());
            case WireMessage.TunnelEnd end -> onEnd();
            case WireMessage.TunnelAbort abort -> abort("the far side aborted: " + abort.reason(), false);
            default -> { }
        }
    }

    private void onAccept(long credit) {
        lock.lock();
        try {
            if (!accepted && refusal == null && failure == null) {
                flow.peerWindow(credit);
                accepted = true;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void onRefuse(WireMessage.TunnelRefuse refuse) {
        lock.lock();
        try {
            if (!accepted && refusal == null && failure == null) {
                refusal = new OpenOutcome.Refused(refuse.notMember(), refuse.reason());
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void onData(WireMessage.TunnelData data, ReaderWakeups wakeups) {
        byte[] chunk = data.chunk();
        long grant = 0;
        String violation = null;
        lock.lock();
        try {
            if (failure != null) {
                return;
            }
            long cost = TunnelFlow.charge(chunk.length);
            if (!accepted || recvEnded) {
                violation = "the far side sent data " + (accepted ? "after ending its direction" : "before the tunnel opened");
            } else if (!flow.received(chunk.length)) {
                violation = "the far side sent beyond its credit";
            } else if (closedLocally) {
                flow.consumed(cost); // draining after close(): discard, and let the far side finish
                grant = flow.takeGrant();
            } else if (partialLength + (long) chunk.length > Integer.MAX_VALUE - 16) {
                violation = "the far side sent a message larger than an array can hold";
            } else {
                partial.add(chunk);
                partialLength += chunk.length;
                partialCharge += cost;
                if (queue.isEmpty() && readersWaiting > 0) {
                    flow.consumed(cost); // a reader is taking this message as it arrives
                    partialCredited += cost;
                }
                if (data.endOfMessage()) {
                    queue.add(new Inbound(partial.toArray(new byte[0][]), partialLength, partialCharge - partialCredited));
                    metrics.bytesIn(MessagingMetrics.TUNNEL, partialLength);
                    clearPartial();
                    if (wakeups == null || readersWaiting == 0) {
                        changed.signalAll(); // no burst to wait for, or no reader to wake
                    } else {
                        wakeups.defer(this);
                    }
                }
                grant = flow.takeGrant();
            }
        } finally {
            lock.unlock();
        }
        if (violation != null) {
            abort(violation, true);
        } else if (grant > 0) {
            sendControl(new WireMessage.TunnelCredit(wireId, grant));
        }
    }

    /** Whether a reader waits in {@link #receive} for a message; for tests. */
    boolean hasWaitingReader() {
        lock.lock();
        try {
            return readersWaiting > 0;
        } finally {
            lock.unlock();
        }
    }

    /** The read burst that brought messages for this endpoint's waiting readers ended: wakes them. */
    void wakeDeferredReaders() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void onCredit(long bytes) {
        lock.lock();
        try {
            if (failure == null) {
                flow.credit(bytes);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private void onEnd() {
        boolean release;
        boolean midMessage;
        lock.lock();
        try {
            if (failure != null || recvEnded) {
                return;
            }
            midMessage = !partial.isEmpty();
            recvEnded = true;
            changed.signalAll();
            release = sendEnded;
        } finally {
            lock.unlock();
        }
        if (midMessage) {
            abort("the far side ended its direction in the middle of a message", true);
        } else if (release) {
            release();
        }
    }

    // ---- the Tunnel API (application threads) --------------------------------------------------

    @Override
    public void send(byte[] message, Duration timeout) {
        Objects.requireNonNull(message, "message");
        long deadline = deadline(timeout);
        try {
            if (!sendLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IridiumException.TimedOut("another send on " + this + " held the tunnel past the timeout (nothing was sent)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IridiumException.TimedOut("interrupted while waiting to send on " + this);
        }
        try {
            sendLocked(message, deadline);
        } finally {
            sendLock.unlock();
        }
    }

    /** Sends every chunk of {@code message}; the caller holds {@code sendLock}. */
    private void sendLocked(byte[] message, long deadline) {
        int length = message.length;
        int offset = 0;
        boolean started = false;
        do {
            int chunk;
            try {
                chunk = reserveChunk(length, offset, started, deadline);
            } catch (IridiumException e) {
                if (started) {
                    abort("the sender gave up in the middle of a message: " + e.getMessage(), true);
                }
                throw e;
            }
            boolean last = offset + chunk == length;
            byte[] bytes = TunnelChunks.take(chunk); // the caller may reuse its array; the frame owns this one
            System.arraycopy(message, offset, bytes, 0, chunk);
            SendResult result = transmit(new WireMessage.TunnelData(wireId, last, bytes), deadline);
            if (result != SendResult.QUEUED) {
                if (!started && result == SendResult.BACK_PRESSURE && failure == null) {
                    refund(chunk);
                    throw new IridiumException.TimedOut("the connection to " + peer + " stayed back-pressured past the timeout (nothing was sent)");
                }
                abort("the connection to " + peer + " is " + describe(result), result != SendResult.CLOSED);
                throw failed();
            }
            offset += chunk;
            started = true;
        } while (offset < length);
        metrics.bytesOut(MessagingMetrics.TUNNEL, length);
    }

    /** Waits for credit for the next chunk and spends it; returns the chunk's size. */
    private int reserveChunk(int length, int offset, boolean started, long deadline) {
        DeadlineWait wait = new DeadlineWait(deadlines, lock, changed);
        lock.lock();
        try {
            while (true) {
                IridiumException closed = sendingClosed(started);
                if (closed != null) {
                    throw closed;
                }
                int chunk = flow.nextChunk(length - offset);
                if (chunk >= 0 && (started || flow.canStart(length))) {
                    flow.spend(chunk);
                    return chunk;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IridiumException.TimedOut(started
                            ? "no credit to finish a " + length + "-byte message on " + this + " within the timeout"
                            : "no credit to send " + length + " bytes on " + this
                                    + " within the timeout: the far side is not reading fast enough (nothing was sent)");
                }
                wait.await(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IridiumException.TimedOut("interrupted while waiting for credit on " + this);
        } finally {
            lock.unlock();
            wait.close();
        }
    }

    private void refund(int chunk) {
        lock.lock();
        try {
            flow.refund(chunk);
        } finally {
            lock.unlock();
        }
    }

    /** Why this side may not send now, or null. Caller holds {@code lock}. */
    private IridiumException sendingClosed(boolean started) {
        if (failure != null) {
            return failed();
        }
        if (closedLocally) {
            return new IridiumException.Closed(this + " is closed");
        }
        if (sendEnded || endRequested && !started) {
            return new IridiumException.Closed("the sending direction of " + this + " is closed");
        }
        if (!accepted) {
            return new IridiumException.Closed(this + " is not open");
        }
        return null;
    }

    @Override
    public byte[] receive(Duration timeout) {
        Inbound next = receiveNext(timeout);
        return next == null ? null : next.assemble();
    }

    @Override
    public boolean receive(Consumer<? super ByteBuffer> reader, Duration timeout) {
        Objects.requireNonNull(reader, "reader");
        Inbound next = receiveNext(timeout);
        if (next == null) {
            return false;
        }
        next.deliver(reader);
        return true;
    }

    /** The next message, taken from the queue; {@code null} at the end of the stream. */
    private Inbound receiveNext(Duration timeout) {
        long deadline = deadline(timeout);
        try (DeadlineWait wait = new DeadlineWait(deadlines, lock, changed)) {
            return receiveUntil(deadline, wait);
        }
    }

    private Inbound receiveUntil(long deadline, DeadlineWait wait) {
        while (true) {
            Inbound next;
            long grant = 0;
            lock.lock();
            try {
                if (failure != null) {
                    throw failed();
                }
                if (closedLocally) {
                    throw new IridiumException.Closed(this + " is closed");
                }
                next = queue.poll();
                if (next != null) {
                    flow.consumed(next.uncredited());
                    grant = recvEnded ? 0 : flow.takeGrant();
                } else if (recvEnded) {
                    return null;
                } else {
                    if (partialCharge > partialCredited) { // the reader now takes the message being reassembled
                        flow.consumed(partialCharge - partialCredited);
                        partialCredited = partialCharge;
                    }
                    flow.readerCaughtUp();
                    grant = flow.takeGrant();
                    if (grant == 0) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            throw new IridiumException.TimedOut("no message on " + this + " within the timeout");
                        }
                        readersWaiting++;
                        try {
                            wait.await(left);
                        } finally {
                            readersWaiting--;
                        }
                        continue;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IridiumException.TimedOut("interrupted while receiving on " + this);
            } finally {
                lock.unlock();
            }
            if (grant > 0) {
                sendControl(new WireMessage.TunnelCredit(wireId, grant));
            }
            if (next != null) {
                return next;
            }
        }
    }

    /**
     * Ends this side's sending direction: the far side's {@code receive} returns {@code null}
     * after the last message. Waits for a send in progress on another thread to finish its
     * message; a send that has not started yet fails with {@link IridiumException.Closed}.
     * Idempotent; does nothing on a failed tunnel.
     */
    @Override
    public void closeSend() {
        lock.lock();
        try {
            if (failure != null || sendEnded) {
                return;
            }
            endRequested = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        boolean release;
        sendLock.lock();
        try {
            if (failure != null || sendEnded) {
                return;
            }
            SendResult result = transmit(new WireMessage.TunnelEnd(wireId), System.nanoTime() + CLOSE_GRACE.toNanos());
            if (result != SendResult.QUEUED) {
                abort("could not end the sending direction: the connection to " + peer + " is " + describe(result),
                        result != SendResult.CLOSED);
                return;
            }
            lock.lock();
            try {
                sendEnded = true;
                release = recvEnded;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        } finally {
            sendLock.unlock();
        }
        if (release) {
            release();
        }
    }

    /**
     * Closes gracefully: discards what this side has not read (granting its credit back so the
     * far side can finish), half-closes, waits up to {@link #CLOSE_GRACE} for the far side's end
     * (aborting the tunnel if it does not come) and releases the tunnel. Idempotent.
     */
    @Override
    public void close() {
        long grant = 0;
        lock.lock();
        try {
            if (closedLocally) {
                return;
            }
            closedLocally = true;
            for (Inbound unread : queue) {
                flow.consumed(unread.uncredited());
            }
            queue.clear();
            flow.consumed(partialCharge - partialCredited);
            clearPartial();
            if (failure == null && !recvEnded) {
                grant = flow.takeGrant();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (grant > 0) {
            sendControl(new WireMessage.TunnelCredit(wireId, grant));
        }
        if (failure == null && !released.get()) {
            closeSend();
            if (!awaitFarEnd(System.nanoTime() + CLOSE_GRACE.toNanos())) {
                abort("closed before the far side ended its direction within " + CLOSE_GRACE.toMillis() + " ms", true);
            }
        }
        release();
    }

    /** Waits for the far side's end; false if the deadline passed first. */
    private boolean awaitFarEnd(long deadlineNanos) {
        lock.lock();
        try {
            while (!recvEnded && failure == null) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    // ---- failure and release -------------------------------------------------------------------

    /**
     * Fails the tunnel: every call fails with {@link IridiumException.Closed} naming
     * {@code reason}, unread messages are dropped, and the endpoint is released. Tells the far side
     * with a {@code TunnelAbort} if {@code notifyPeer}. Never blocks; a no-op once failed or released.
     */
    void abort(String reason, boolean notifyPeer) {
        lock.lock();
        try {
            if (failure != null || released.get()) {
                return;
            }
            failure = reason;
            queue.clear();
            clearPartial();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (notifyPeer) {
            sendControl(new WireMessage.TunnelAbort(wireId, shorten(reason)));
        }
        release();
    }

    /** Gives up the endpoint's routing entry and connection pin, once. */
    void release() {
        if (released.compareAndSet(false, true)) {
            onRelease.accept(this);
        }
    }

    // ---- sending frames ------------------------------------------------------------------------

    /**
     * Hands {@code frame} to the link, retrying while it is back-pressured until
     * {@code deadlineNanos}. Blocks: application threads only.
     *
     * @return QUEUED, CLOSED (the link is gone or the tunnel failed), or BACK_PRESSURE (deadline)
     */
    private SendResult transmit(WireMessage frame, long deadlineNanos) {
        long backoff = 20_000;
        while (true) {
            SendResult result = link.send(frame);
            if (result != SendResult.BACK_PRESSURE) {
                return result;
            }
            if (failure != null && !(frame instanceof WireMessage.TunnelAbort)) {
                return SendResult.CLOSED;
            }
            if (System.nanoTime() - deadlineNanos >= 0) {
                return SendResult.BACK_PRESSURE;
            }
            LockSupport.parkNanos(backoff);
            backoff = Math.min(backoff * 2, 10_000_000);
        }
    }

    /**
     * Sends a credit or abort frame without blocking; while the connection is back-pressured a
     * virtual thread retries it (credits commute, so their order does not matter).
     */
    private void sendControl(WireMessage frame) {
        if (link.send(frame) != SendResult.BACK_PRESSURE) {
            return;
        }
        try {
            async.execute(() -> {
                SendResult result = transmit(frame, System.nanoTime() + CONTROL_RETRY_NANOS);
                if (result != SendResult.QUEUED && frame instanceof WireMessage.TunnelCredit) {
                    abort("could not grant credit: the connection to " + peer + " is " + describe(result), true);
                }
            });
        } catch (RejectedExecutionException e) {
            // the node is closing; its tunnels abort with it
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** {@code reason} cut to fit a wire text field, never splitting a surrogate pair. */
    static String shorten(String reason) {
        return WireMessage.fitText(reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS) + "…");
    }

    private void clearPartial() {
        partial.clear();
        partialLength = 0;
        partialCharge = 0;
        partialCredited = 0;
    }

    private IridiumException.Closed failed() {
        return new IridiumException.Closed(this + " failed: " + failure);
    }

    private static String describe(SendResult result) {
        return result == SendResult.BACK_PRESSURE ? "back-pressured" : "closed";
    }

    private static long deadline(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        long now = System.nanoTime();
        long nanos = timeout.compareTo(Duration.ofDays(365)) > 0 ? TimeUnit.DAYS.toNanos(365) : timeout.toNanos();
        return now + nanos;
    }

    /** Bytes granted to the far side and not yet received, consumed or granted: for tests. */
    long bufferedBytesForTest() {
        lock.lock();
        try {
            return flow.window() - flow.receivable() - flow.consumedUngranted();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "tunnel to '" + cluster + "' (" + peer + ")";
    }
}
