package io.iridium.consensus.machine;

import java.util.Optional;

/**
 * The state one Raft group replicates: KV store, locks and counters, behind client sessions.
 *
 * <p>The driver hands it every committed entry's data in log order ({@link #apply(byte[])}),
 * serves reads from it ({@link #read(Query)}) once a read index is applied, and takes
 * {@link #snapshot()}s to compact the log. Pure and deterministic: no clock, no I/O, no
 * randomness; two replicas that applied the same entries hold equal state and produce equal
 * snapshot bytes.
 *
 * <p>Applying an entry: the machine's clock becomes the largest timestamp seen (the entries'
 * leader stamps); leases and idle sessions that ended by then expire; a command whose session
 * already applied it returns the cached result without effect; any other command is applied and
 * its result cached for its session.
 *
 * <p>Not thread-safe: the driver's thread owns it.
 */
public final class GroupStateMachine {

    private final KvStore kv = new KvStore();
    private final LockTable locks = new LockTable();
    private final CounterTable counters = new CounterTable();
    private final SessionTable sessions = new SessionTable();
    private long now;
    private long appliedCommands;

    /** An empty state. */
    public GroupStateMachine() {
    }

    /**
     * Applies one committed entry's data.
     *
     * @param entryData the bytes of an {@link Envelope}, from {@link MachineCodec#encodeEnvelope}
     * @return the command's result; a malformed entry is applied as a no-op and rejected
     */
    public Result apply(byte[] entryData) {
        Envelope envelope;
        try {
            envelope = MachineCodec.decodeEnvelope(entryData);
        } catch (IllegalArgumentException e) {
            return new Result.Rejected("malformed command: " + e.getMessage());
        }
        return apply(envelope);
    }

    /**
     * Applies one committed envelope.
     *
     * @param envelope the command with its session and timestamp
     * @return the command's result
     */
    public Result apply(Envelope envelope) {
        now = Math.max(now, envelope.timestamp());
        locks.expire(now);
        sessions.expire(now);
        appliedCommands++;
        if (envelope.clientId() != 0) {
            Result earlier = sessions.lookup(envelope.clientId(), envelope.sequence());
            if (earlier != null) {
                return earlier;
            }
        }
        Result result = execute(envelope.clientId(), envelope.command());
        if (envelope.clientId() != 0) {
            sessions.record(envelope.clientId(), envelope.sequence(), result, now);
        }
        return result;
    }

    private Result execute(long client, Command command) {
        return switch (command) {
            case Command.Put p -> kv.put(p.key(), p.value());
            case Command.Delete d -> kv.delete(d.key());
            case Command.CompareAndSet c -> kv.compareAndSet(c.key(), c.expected(), c.value());
            case Command.Add a -> counters.add(a.counter(), a.delta());
            case Command.Acquire a -> client == 0 ? noSession() : locks.acquire(a.lock(), client, a.ttlMillis(), now);
            case Command.Release r -> client == 0 ? noSession() : locks.release(r.lock(), client, now);
            case Command.KeepAlive k -> client == 0 ? noSession() : locks.keepAlive(client, now);
        };
    }

    private static Result noSession() {
        return new Result.Rejected("locks belong to sessions: send lock commands with a client id");
    }

    /**
     * Serves a read from the applied state. The caller decides its consistency: after a
     * confirmed read index it is linearizable, otherwise it may be stale.
     *
     * @param query the read
     * @return its result
     */
    public Result read(Query query) {
        return switch (query) {
            case Query.Get g -> kv.get(g.key());
            case Query.Range r -> kv.range(r.prefix(), r.limit());
            case Query.CounterValue c -> counters.value(c.counter());
            case Query.LockInfo l -> locks.info(l.lock());
        };
    }

    /**
     * The log time: the largest leader timestamp applied.
     *
     * @return milliseconds
     */
    public long now() {
        return now;
    }

    /**
     * The KV store's revision.
     *
     * @return how many writes changed it
     */
    public long revision() {
        return kv.revision();
    }

    /**
     * The largest fencing token ever granted.
     *
     * @return the token, 0 when none
     */
    public long lastFencingToken() {
        return locks.lastToken();
    }

    /**
     * Who holds a lock, with the lease's details, for checkers.
     *
     * @param lock the lock's name
     * @return the holding session, token and expiry, or empty when free
     */
    public Optional<Result.LockHeld> holder(String lock) {
        return locks.holder(lock).map(h -> (Result.LockHeld) locks.info(lock));
    }

    /**
     * How many sessions the machine remembers.
     *
     * @return the count
     */
    public int sessions() {
        return sessions.size();
    }

    /**
     * Serializes the whole state.
     *
     * @return the image, equal on replicas that applied the same entries
     */
    public byte[] snapshot() {
        return MachineCodec.write(out -> {
            out.writeLong(now);
            out.writeLong(appliedCommands);
            kv.write(out);
            locks.write(out);
            counters.write(out);
            sessions.write(out);
        });
    }

    /**
     * Replaces the whole state with a snapshot's. An empty image is the empty state (a group's
     * initial snapshot).
     *
     * @param image bytes from {@link #snapshot()}, or empty
     * @throws IllegalArgumentException when the image is malformed
     */
    public void restore(byte[] image) {
        if (image.length == 0) {
            restore(new GroupStateMachine().snapshot());
            return;
        }
        MachineCodec.read(image, in -> {
            now = in.readLong();
            appliedCommands = in.readLong();
            kv.read(in);
            locks.read(in);
            counters.read(in);
            sessions.read(in);
            return null;
        });
    }

    /**
     * How many commands were applied, repeats included.
     *
     * @return the count
     */
    public long appliedCommands() {
        return appliedCommands;
    }

    @Override
    public String toString() {
        return "GroupStateMachine[revision=" + kv.revision() + ", now=" + now + ", sessions=" + sessions.size() + "]";
    }
}
