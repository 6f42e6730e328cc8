package io.iridium.relay.client;

import io.iridium.IridiumException;
import io.iridium.messaging.DeadlineWait;
import io.iridium.relay.wire.ClientFrame;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A tunnel through the relay: an ordered, flow-controlled message stream to one member of a
 * cluster (opened with {@link IrisConnection#tunnel}) or from a client (given to
 * {@link IrisServiceHandler#handleTunnel}).
 *
 * <p>Sending splits a message into chunks of the relay's chunk limit; the first chunk carries the
 * message's length, the others 0, and each chunk waits for the relay's credit. Receiving
 * reassembles chunks into messages; the credit for a message is granted back to the relay when the
 * application takes it, gathered until it reaches {@link #CREDIT_BATCH} bytes (or at once when a
 * message longer than that starts arriving, which may need the whole window). Thread safety: one
 * thread may send while another receives.
 *
 * <p>A message a platform thread sends right after one was received (a tunnel used for request
 * and answer) is written on that thread; any other (streaming, or from a virtual thread, whose
 * write would switch the socket to non-blocking mode) goes through the connection's writer thread,
 * which batches them. Waiting costs no extra thread hop: the state is
 * guarded by a {@link ReentrantLock}, on which a virtual thread parks directly (a monitor's waiter
 * is woken through the JDK's unblocker thread), and waits are untimed, their deadlines kept on the
 * connection's timer wheel ({@link DeadlineWait}).
 */
public final class IrisTunnel implements AutoCloseable {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    /** Credit taken by the application is granted back to the relay once this much has gathered. */
    static final int CREDIT_BATCH = 64 << 10;

    private final IrisConnection connection;
    private final long id;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled on credit, a complete message, a close, and at a waiting call's deadline. */
    private final Condition changed = lock.newCondition();

    // guarded by lock
    private final ArrayDeque<byte[]> received = new ArrayDeque<>();
    private long chunkLimit;
    private long sendCredit;
    private byte[] assembling;
    private int filled;
    private boolean closed;
    private boolean closeAcknowledged;
    private String closeReason;
    /** Credit the application took and this side has not yet granted back to the relay. */
    private long creditToReturn;
    /** Whether a message was received since the last send: the next send then goes out at once. */
    private boolean answering;

    IrisTunnel(IrisConnection connection, long id, long chunkLimit) {
        this.connection = connection;
        this.id = id;
        this.chunkLimit = chunkLimit;
    }

    long id() {
        return id;
    }

    void chunkLimit(long limit) {
        lock.lock();
        try {
            chunkLimit = limit;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends one message (at least one byte), waiting up to {@code timeout} for credit.
     *
     * @throws IridiumException.TimedOut when the relay gave no credit in time
     * @throws IridiumException.Closed   when the tunnel is closed
     */
    public void send(byte[] message, Duration timeout) {
        if (message.length == 0) {
            throw new IllegalArgumentException("a tunnel message has at least one byte");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        int limit;
        boolean now;
        lock.lock();
        try {
            limit = (int) Math.max(1, Math.min(chunkLimit, Integer.MAX_VALUE));
            // a virtual thread never writes the socket itself: its first write would switch the
            // socket to non-blocking mode for good, costing every later read two more system
            // calls (see FrameWriter), the connection's served requests included
            now = answering && !Thread.currentThread().isVirtual();
            answering = false;
        } finally {
            lock.unlock();
        }
        for (int offset = 0; offset < message.length; offset += limit) {
            int length = Math.min(limit, message.length - offset);
            awaitCredit(length, deadline);
            byte[] chunk = offset == 0 && length == message.length ? message : Arrays.copyOfRange(message, offset, offset + length);
            connection.sendTunnelData(new ClientFrame.TunnelTransfer(id, offset == 0 ? message.length : 0, chunk), now);
        }
    }

    private void awaitCredit(int length, long deadline) {
        DeadlineWait wait = connection.deadlineWait(lock, changed);
        lock.lock();
        try {
            while (!closed && sendCredit < length) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IridiumException.TimedOut("no tunnel credit within the timeout");
                }
                await(wait, left);
            }
            if (closed) {
                throw closedException();
            }
            sendCredit -= length;
        } finally {
            lock.unlock();
            wait.close();
        }
    }

    /**
     * The next message, waiting up to {@code timeout}; null once the far side closed the tunnel
     * gracefully and every message was taken.
     *
     * @throws IridiumException.TimedOut when nothing arrived in time
     * @throws IridiumException.Closed   when the tunnel failed (with the relay's reason)
     */
    public byte[] receive(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] message;
        long grant = 0;
        DeadlineWait wait = connection.deadlineWait(lock, changed);
        lock.lock();
        try {
            while (received.isEmpty() && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IridiumException.TimedOut("no tunnel message within the timeout");
                }
                await(wait, left);
            }
            message = received.poll();
            if (message == null) {
                if (closeReason == null || closeReason.isEmpty()) {
                    return null;
                }
                throw closedException();
            }
            answering = true;
            creditToReturn += message.length;
            if (creditToReturn >= CREDIT_BATCH) {
                grant = creditToReturn;
                creditToReturn = 0;
            }
        } finally {
            lock.unlock();
            wait.close();
        }
        if (grant > 0) {
            connection.sendQuietly(new ClientFrame.TunnelAllow(id, grant));
        }
        return message;
    }

    /** Closes the tunnel and waits (briefly) for the relay's acknowledgement. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        connection.sendQuietly(new ClientFrame.TunnelClose(id));
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        DeadlineWait wait = connection.deadlineWait(lock, changed);
        lock.lock();
        try {
            while (!closeAcknowledged && connection.isOpen()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                await(wait, left);
            }
        } finally {
            lock.unlock();
            wait.close();
        }
        connection.forget(this);
    }

    // ---- called by the connection's reader ----

    void onAllow(long space) {
        lock.lock();
        try {
            sendCredit += space;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void onChunk(long sizeOrContinuation, byte[] payload) {
        long grant = 0;
        lock.lock();
        try {
            if (sizeOrContinuation != 0) {
                grant = assembling != null ? filled : 0; // an unfinished message is dropped: its credit comes back
                if (sizeOrContinuation > CREDIT_BATCH) {
                    grant += creditToReturn; // a long message may need the whole window
                    creditToReturn = 0;
                }
                assembling = new byte[(int) sizeOrContinuation];
                filled = 0;
            } else if (assembling == null) {
                return;
            }
            int length = Math.min(payload.length, assembling.length - filled);
            System.arraycopy(payload, 0, assembling, filled, length);
            filled += length;
            if (filled == assembling.length) {
                received.add(assembling);
                assembling = null;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
            if (grant > 0) {
                connection.sendQuietly(new ClientFrame.TunnelAllow(id, grant));
            }
        }
    }

    /** The relay closed the tunnel: acknowledging ours, or ending it ({@code reason} empty when graceful). */
    void onClose(String reason) {
        lock.lock();
        try {
            if (closed) {
                closeAcknowledged = true;
            } else {
                closed = true;
                closeReason = reason;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private IridiumException.Closed closedException() {
        return new IridiumException.Closed(closeReason == null || closeReason.isEmpty()
                ? "tunnel closed" : "tunnel closed by the relay: " + closeReason);
    }

    /** Waits, the lock held, until signalled or until about {@code nanos} have passed. */
    private void await(DeadlineWait wait, long nanos) {
        connection.beforeWaitingForRelay();
        try {
            wait.await(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IridiumException.Closed("interrupted");
        }
    }
}
