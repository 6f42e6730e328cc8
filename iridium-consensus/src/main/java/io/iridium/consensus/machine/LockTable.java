package io.iridium.consensus.machine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Locks with leases, fencing tokens and fair queues.
 *
 * <p>A lock is free or held by one session. Taking it grants a fencing token, one more than any
 * token this group ever granted, so a resource that remembers the largest token it has seen can
 * refuse a stale holder (Kleppmann's fencing). A hold lasts its lease (the TTL from
 * {@link Command.Acquire}) unless the holder renews it (repeating the acquire, or
 * {@link Command.KeepAlive}); a waiter's place in the queue lasts the same way, so a waiter that
 * went away does not block the line. When the holder releases or its lease runs out, the lock
 * goes to the longest-waiting live waiter, first come, first served.
 *
 * <p>Time is log time only ({@code now}, the largest leader timestamp applied), so every replica
 * expires the same leases at the same log position.
 *
 * <p>Invariants: at most one holder per lock; tokens strictly increase across all grants; a new
 * holder appears only after the previous one released or its lease ended.
 */
final class LockTable {

    /**
     * A holder's lease.
     *
     * @param client    the holding session
     * @param token     its fencing token
     * @param ttl       its lease length
     * @param expiresAt when the lease ends, in log time
     */
    record Hold(long client, long token, long ttl, long expiresAt) {
    }

    private record Waiter(long ttl, long expiresAt) {
    }

    private static final class Lock {
        Hold holder;
        final LinkedHashMap<Long, Waiter> waiters = new LinkedHashMap<>();

        boolean idle() {
            return holder == null && waiters.isEmpty();
        }
    }

    private final TreeMap<String, Lock> locks = new TreeMap<>();
    private long lastToken;
    private long nextExpiry = Long.MAX_VALUE;

    Result acquire(String name, long client, long ttl, long now) {
        Lock lock = locks.computeIfAbsent(name, n -> new Lock());
        if (lock.holder != null && lock.holder.client() == client) {
            lock.holder = new Hold(client, lock.holder.token(), ttl, now + ttl);
            noteExpiry(now + ttl);                 // a shorter lease may end before any other
            return granted(lock.holder);
        }
        if (lock.holder == null && lock.waiters.isEmpty()) {
            lock.holder = new Hold(client, ++lastToken, ttl, now + ttl);
            noteExpiry(now + ttl);
            return granted(lock.holder);
        }
        lock.waiters.put(client, new Waiter(ttl, now + ttl));
        noteExpiry(now + ttl);
        int position = 1;
        for (Long waiting : lock.waiters.keySet()) {
            if (waiting == client) {
                break;
            }
            position++;
        }
        return new Result.Queued(position);
    }

    Result release(String name, long client, long now) {
        Lock lock = locks.get(name);
        if (lock == null) {
            return new Result.Released(false);
        }
        boolean held = lock.holder != null && lock.holder.client() == client;
        if (held) {
            lock.holder = null;
            promote(lock, now);
        } else {
            lock.waiters.remove(client);
        }
        if (lock.idle()) {
            locks.remove(name);
        }
        return new Result.Released(held);
    }

    Result keepAlive(long client, long now) {
        int renewed = 0;
        for (Lock lock : locks.values()) {
            if (lock.holder != null && lock.holder.client() == client) {
                lock.holder = new Hold(client, lock.holder.token(), lock.holder.ttl(), now + lock.holder.ttl());
                renewed++;
            }
            Waiter w = lock.waiters.get(client);
            if (w != null) {
                lock.waiters.put(client, new Waiter(w.ttl(), now + w.ttl()));
                renewed++;
            }
        }
        return new Result.Renewed(renewed);
    }

    /** Ends the leases that ran out by {@code now} and hands their locks on. */
    void expire(long now) {
        if (now < nextExpiry) {
            return;
        }
        nextExpiry = Long.MAX_VALUE;
        for (Iterator<Lock> it = locks.values().iterator(); it.hasNext(); ) {
            Lock lock = it.next();
            lock.waiters.values().removeIf(w -> w.expiresAt() <= now);
            if (lock.holder != null && lock.holder.expiresAt() <= now) {
                lock.holder = null;
            }
            if (lock.holder == null) {
                promote(lock, now);
            }
            if (lock.idle()) {
                it.remove();
                continue;
            }
            if (lock.holder != null) {
                noteExpiry(lock.holder.expiresAt());
            }
            lock.waiters.values().forEach(w -> noteExpiry(w.expiresAt()));
        }
    }

    Result info(String name) {
        Lock lock = locks.get(name);
        if (lock == null || lock.holder == null) {
            return new Result.LockHeld(Optional.empty(), 0, 0, lock == null ? 0 : lock.waiters.size());
        }
        return new Result.LockHeld(Optional.of(lock.holder.client()), lock.holder.token(), lock.holder.expiresAt(),
                lock.waiters.size());
    }

    /**
     * The current holder of a lock, for checkers.
     *
     * @return the hold, or empty when the lock is free
     */
    Optional<Hold> holder(String name) {
        Lock lock = locks.get(name);
        return lock == null ? Optional.empty() : Optional.ofNullable(lock.holder);
    }

    long lastToken() {
        return lastToken;
    }

    private void promote(Lock lock, long now) {
        Iterator<Map.Entry<Long, Waiter>> it = lock.waiters.entrySet().iterator();
        if (it.hasNext()) {
            Map.Entry<Long, Waiter> next = it.next();
            it.remove();
            long ttl = next.getValue().ttl();
            lock.holder = new Hold(next.getKey(), ++lastToken, ttl, now + ttl);
            noteExpiry(now + ttl);
        }
    }

    private void noteExpiry(long at) {
        nextExpiry = Math.min(nextExpiry, at);
    }

    private static Result granted(Hold hold) {
        return new Result.Granted(hold.token(), hold.expiresAt());
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(lastToken);
        out.writeInt(locks.size());
        for (Map.Entry<String, Lock> e : locks.entrySet()) {
            out.writeUTF(e.getKey());
            Hold h = e.getValue().holder;
            out.writeBoolean(h != null);
            if (h != null) {
                out.writeLong(h.client());
                out.writeLong(h.token());
                out.writeLong(h.ttl());
                out.writeLong(h.expiresAt());
            }
            out.writeInt(e.getValue().waiters.size());
            for (Map.Entry<Long, Waiter> w : e.getValue().waiters.entrySet()) {
                out.writeLong(w.getKey());
                out.writeLong(w.getValue().ttl());
                out.writeLong(w.getValue().expiresAt());
            }
        }
    }

    void read(DataInput in) throws IOException {
        locks.clear();
        nextExpiry = Long.MAX_VALUE;
        lastToken = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            Lock lock = new Lock();
            locks.put(in.readUTF(), lock);
            if (in.readBoolean()) {
                lock.holder = new Hold(in.readLong(), in.readLong(), in.readLong(), in.readLong());
                noteExpiry(lock.holder.expiresAt());
            }
            int w = in.readInt();
            for (int j = 0; j < w; j++) {
                long client = in.readLong();
                Waiter waiter = new Waiter(in.readLong(), in.readLong());
                lock.waiters.put(client, waiter);
                noteExpiry(waiter.expiresAt());
            }
        }
    }
}
