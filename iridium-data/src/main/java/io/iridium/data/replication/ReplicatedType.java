package io.iridium.data.replication;

import io.iridium.data.Codec;
import io.iridium.data.crdt.Crdt;
import io.iridium.data.crdt.EnableWinsFlag;
import io.iridium.data.crdt.GCounter;
import io.iridium.data.crdt.GSet;
import io.iridium.data.crdt.LwwMap;
import io.iridium.data.crdt.LwwRegister;
import io.iridium.data.crdt.MvRegister;
import io.iridium.data.crdt.OrMap;
import io.iridium.data.crdt.OrSet;
import io.iridium.data.crdt.PnCounter;
import io.iridium.data.crdt.Rga;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A CRDT type as the replicator knows it: a name that travels with every state (so that a
 * replica that never saw a key can still decode it), the canonical codec, and the empty value
 * a key starts from.
 *
 * <p>The built-in catalogue ({@link #counter()}, {@link #orSet()}, ...) fixes string elements so
 * that every replica, whatever program it runs, decodes the same bytes the same way. An
 * application registers its own types (other element codecs, nested maps) with
 * {@link ReplicaCore.Builder#type(ReplicatedType)}; two replicas must agree on what a name means.
 *
 * @param name  the type's name on the wire: letters, digits and {@code .-_<>,}, at most 64 chars
 * @param codec the canonical encoding of states and deltas
 * @param empty the value of a key nobody has written
 * @param <T>   the CRDT type
 */
public record ReplicatedType<T extends Crdt<T>>(String name, Codec<T> codec, T empty) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9.\\-_<>,]{1,64}");

    /** Validates the record. */
    public ReplicatedType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(empty, "empty");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid type name: " + name);
        }
    }

    /** The join of two values of this type. */
    T merge(T a, T b) {
        return a.merge(b);
    }

    /** Up-down counter ({@link PnCounter}). */
    public static ReplicatedType<PnCounter> counter() {
        return Catalog.COUNTER;
    }

    /** Grow-only counter ({@link GCounter}). */
    public static ReplicatedType<GCounter> growOnlyCounter() {
        return Catalog.G_COUNTER;
    }

    /** Add-wins observed-remove set of strings ({@link OrSet}). */
    public static ReplicatedType<OrSet<String>> orSet() {
        return Catalog.OR_SET;
    }

    /** Grow-only set of strings ({@link GSet}). */
    public static ReplicatedType<GSet<String>> growOnlySet() {
        return Catalog.G_SET;
    }

    /** Last-writer-wins register of a string ({@link LwwRegister}). */
    public static ReplicatedType<LwwRegister<String>> lwwRegister() {
        return Catalog.LWW_REGISTER;
    }

    /** Multi-value register of strings ({@link MvRegister}): keeps concurrent writes. */
    public static ReplicatedType<MvRegister<String>> mvRegister() {
        return Catalog.MV_REGISTER;
    }

    /** Last-writer-wins map from strings to strings ({@link LwwMap}). */
    public static ReplicatedType<LwwMap<String, String>> lwwMap() {
        return Catalog.LWW_MAP;
    }

    /** Observed-remove map from strings to multi-value registers ({@link OrMap}). */
    public static ReplicatedType<OrMap<String, MvRegister<String>>> orMap() {
        return Catalog.OR_MAP;
    }

    /** Enable-wins flag ({@link EnableWinsFlag}). */
    public static ReplicatedType<EnableWinsFlag> flag() {
        return Catalog.FLAG;
    }

    /** Sequence of strings for collaborative lists and text ({@link Rga}). */
    public static ReplicatedType<Rga<String>> sequence() {
        return Catalog.SEQUENCE;
    }

    @Override
    public String toString() {
        return name;
    }

    /** The built-in types, created once. */
    static final class Catalog {
        static final ReplicatedType<PnCounter> COUNTER =
                new ReplicatedType<>("pn-counter", PnCounter.codec(), PnCounter.empty());
        static final ReplicatedType<GCounter> G_COUNTER =
                new ReplicatedType<>("g-counter", GCounter.codec(), GCounter.empty());
        static final ReplicatedType<OrSet<String>> OR_SET =
                new ReplicatedType<>("or-set<utf8>", OrSet.codec(Codec.utf8()), OrSet.empty());
        static final ReplicatedType<GSet<String>> G_SET =
                new ReplicatedType<>("g-set<utf8>", GSet.codec(Codec.utf8()), GSet.empty());
        static final ReplicatedType<LwwRegister<String>> LWW_REGISTER =
                new ReplicatedType<>("lww-register<utf8>", LwwRegister.codec(Codec.utf8()), LwwRegister.empty());
        static final ReplicatedType<MvRegister<String>> MV_REGISTER =
                new ReplicatedType<>("mv-register<utf8>", MvRegister.codec(Codec.utf8()), MvRegister.empty());
        static final ReplicatedType<LwwMap<String, String>> LWW_MAP =
                new ReplicatedType<>("lww-map<utf8,utf8>", LwwMap.codec(Codec.utf8(), Codec.utf8()), LwwMap.empty());
        static final ReplicatedType<OrMap<String, MvRegister<String>>> OR_MAP = new ReplicatedType<>(
                "or-map<utf8,mv-register<utf8>>",
                OrMap.codec(Codec.utf8(), MvRegister.codec(Codec.utf8()), MvRegister.<String>empty()),
                OrMap.empty(MvRegister.<String>empty()));
        static final ReplicatedType<EnableWinsFlag> FLAG =
                new ReplicatedType<>("ew-flag", EnableWinsFlag.codec(), EnableWinsFlag.disabled());
        static final ReplicatedType<Rga<String>> SEQUENCE =
                new ReplicatedType<>("rga<utf8>", Rga.codec(Codec.utf8()), Rga.empty());

        private Catalog() {
        }
    }
}
