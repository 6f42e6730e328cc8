package io.iridium.data.versioned;

import io.iridium.data.ReplicaId;
import io.iridium.data.clock.CausalContext;
import io.iridium.data.clock.Dot;
import io.iridium.data.clock.HlcTimestamp;
import io.iridium.data.crdt.MvRegister;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The versioned store's operations on one key's state, a multi-value register of
 * {@link Stamped} values, as pure functions (the store applies them through the replicator;
 * tests apply them to bare states).
 *
 * <p>A read's context is the dots of the siblings it returned; a put's delta replaces exactly
 * those ({@link MvRegister#writeObserved}). Resolution is a put whose context is the siblings
 * being resolved.
 */
final class Siblings {

    private Siblings() {
    }

    /** The siblings of {@code state} and the context that covers them. */
    static Versioned read(MvRegister<Stamped> state) {
        List<Sibling> siblings = new ArrayList<>();
        List<Dot> dots = new ArrayList<>();
        for (Map.Entry<Dot, Stamped> entry : state.siblings().entrySet()) {
            Stamped stamped = entry.getValue();
            siblings.add(new Sibling(entry.getKey(), stamped.value(), stamped.timestamp(), stamped.writer()));
            dots.add(entry.getKey());
        }
        return new Versioned(siblings, CausalContext.of(dots));
    }

    /** The delta of a put of {@code value} at {@code replica}, replacing what {@code context} covers. */
    static MvRegister<Stamped> put(MvRegister<Stamped> state, ReplicaId replica, HlcTimestamp timestamp,
            String value, CausalContext context) {
        return state.writeObserved(replica, new Stamped(value, timestamp, replica), context);
    }

    /** Which sibling last-writer-wins keeps, and which it discards. */
    static LwwResolution lastWriterWins(Versioned versioned) {
        Optional<Sibling> winner = Optional.empty();
        for (Sibling sibling : versioned.siblings()) {
            if (winner.isEmpty() || sibling.isAfter(winner.get())) {
                winner = Optional.of(sibling);
            }
        }
        List<Sibling> discarded = new ArrayList<>(versioned.siblings());
        winner.ifPresent(discarded::remove);
        return new LwwResolution(winner, discarded);
    }
}
