package io.iridium.data.crdt;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import io.iridium.data.ReplicaId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A replicated growable array (RGA, Roh, Jeon, Kim, Lee 2011) in state-based form: a sequence
 * CRDT for a collaboratively edited list or text.
 *
 * <p><b>Algorithm.</b> Every element ever inserted is a node with a unique {@link ElementId}
 * {@code (sequence, replica)}, the id of the element it was inserted after (its parent, or
 * {@link ElementId#HEAD}), and its value; a deleted element keeps its node as a tombstone
 * (without its value) because later elements may hang off it. A new element's sequence is one
 * more than the highest sequence the replica has seen (a Lamport clock), so it is greater than
 * every id already in the sequence. The visible order is a pre-order walk of the tree of nodes
 * from {@code HEAD}, visiting the children of a node in <em>descending</em> id order. An insert
 * after {@code p} therefore lands right after {@code p}, ahead of {@code p}'s older children,
 * and of concurrent inserts after the same element the one with the greater id comes first,
 * the same choice at every replica.
 *
 * <p>Merge is the union of nodes, where a node deleted on either side is deleted. A node whose
 * parent has not arrived yet (its delta overtook the parent's) is kept but not visible until
 * the parent arrives.
 *
 * <p><b>Invariants</b> (tested): replicas that merged the same nodes show the same list; the
 * relative order of two visible elements never changes once both are known, so each replica's
 * local insertion order, and every order a user saw, is preserved; a parent's sequence is less
 * than its child's, so the tree has no cycle. Tombstones are never collected here (that needs
 * causal stability, which the replicator knows). An immutable value; mutators return deltas.
 *
 * @param <E> the element type
 */
public final class Rga<E> implements Crdt<Rga<E>> {

    /**
     * The identity of one inserted element: the Lamport sequence of its insertion and the
     * inserting replica. Ordered by sequence, then replica.
     *
     * @param sequence at least 1 for elements, 0 only for {@link #HEAD}
     * @param replica  the replica that inserted it
     */
    public record ElementId(long sequence, ReplicaId replica) implements Comparable<ElementId> {

        /** The virtual element before the first one: insert after it to insert at the front. */
        public static final ElementId HEAD = new ElementId(0, new ReplicaId(0, 0));

        private static final Comparator<ElementId> ORDER =
                Comparator.comparingLong(ElementId::sequence).thenComparing(ElementId::replica);

        /** Validates the id. */
        public ElementId {
            Objects.requireNonNull(replica, "replica");
            if (sequence < 0 || (sequence == 0 && !replica.equals(new ReplicaId(0, 0)))) {
                throw new IllegalArgumentException("an element sequence starts at 1: " + sequence);
            }
        }

        @Override
        public int compareTo(ElementId other) {
            return ORDER.compare(this, other);
        }

        @Override
        public String toString() {
            return sequence + "@" + replica;
        }
    }

    /** One node: its parent, and its value or {@code null} once deleted. */
    private record Node<E>(ElementId parent, E value) {
        boolean deleted() {
            return value == null;
        }
    }

    private static final Rga<?> EMPTY = new Rga<>(new TreeMap<>());
    private static final int TAG = 0x1A;

    private final Map<ElementId, Node<E>> nodes;
    private final long maxSequence;
    private volatile List<ElementId> order; // visible ids in order, computed on first use

    private Rga(TreeMap<ElementId, Node<E>> nodes) {
        this.nodes = Collections.unmodifiableMap(nodes);
        this.maxSequence = nodes.isEmpty() ? 0 : nodes.lastKey().sequence();
    }

    /** The empty sequence. */
    @SuppressWarnings("unchecked")
    public static <E> Rga<E> empty() {
        return (Rga<E>) EMPTY;
    }

    /**
     * The delta that inserts {@code value} at visible position {@code index} (0 = front,
     * {@code size()} = end), made at {@code replica}.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size()]}
     */
    public Rga<E> insert(ReplicaId replica, int index, E value) {
        List<ElementId> visible = visibleIds();
        Objects.checkIndex(index, visible.size() + 1);
        return insertAfter(replica, index == 0 ? ElementId.HEAD : visible.get(index - 1), value);
    }

    /**
     * The delta that inserts {@code value} right after the element {@code anchor} (which may be
     * deleted), or at the front after {@link ElementId#HEAD}, made at {@code replica}.
     *
     * @throws IllegalArgumentException if this replica has never seen {@code anchor}
     */
    public Rga<E> insertAfter(ReplicaId replica, ElementId anchor, E value) {
        Objects.requireNonNull(value, "value");
        if (!anchor.equals(ElementId.HEAD) && !nodes.containsKey(anchor)) {
            throw new IllegalArgumentException("unknown anchor " + anchor);
        }
        ElementId id = new ElementId(Math.addExact(maxSequence, 1), replica);
        TreeMap<ElementId, Node<E>> delta = new TreeMap<>();
        delta.put(id, new Node<>(anchor, value));
        return new Rga<>(delta);
    }

    /**
     * The delta that deletes the element at visible position {@code index}.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code [0, size())}
     */
    public Rga<E> delete(int index) {
        List<ElementId> visible = visibleIds();
        return delete(visible.get(Objects.checkIndex(index, visible.size())));
    }

    /**
     * The delta that deletes the element {@code id}.
     *
     * @throws IllegalArgumentException if this replica has never seen {@code id}
     */
    public Rga<E> delete(ElementId id) {
        Node<E> node = nodes.get(id);
        if (node == null) {
            throw new IllegalArgumentException("unknown element " + id);
        }
        TreeMap<ElementId, Node<E>> delta = new TreeMap<>();
        delta.put(id, new Node<>(node.parent(), null));
        return new Rga<>(delta);
    }

    /** The visible values, in order. */
    public List<E> values() {
        List<ElementId> visible = visibleIds();
        List<E> values = new ArrayList<>(visible.size());
        for (ElementId id : visible) {
            values.add(nodes.get(id).value());
        }
        return Collections.unmodifiableList(values);
    }

    /** The ids of the visible elements, in order (unmodifiable). */
    public List<ElementId> visibleIds() {
        List<ElementId> computed = order;
        if (computed == null) {
            computed = walk();
            order = computed;
        }
        return computed;
    }

    /** The number of visible elements. */
    public int size() {
        return visibleIds().size();
    }

    /** The number of nodes, tombstones included. */
    public int nodeCount() {
        return nodes.size();
    }

    private List<ElementId> walk() {
        Map<ElementId, List<ElementId>> children = new HashMap<>();
        for (Map.Entry<ElementId, Node<E>> entry : nodes.entrySet()) {
            children.computeIfAbsent(entry.getValue().parent(), k -> new ArrayList<>()).add(entry.getKey());
        }
        List<ElementId> visible = new ArrayList<>();
        Deque<ElementId> stack = new ArrayDeque<>();
        pushChildren(children.get(ElementId.HEAD), stack);
        while (!stack.isEmpty()) {
            ElementId id = stack.pop();
            if (!nodes.get(id).deleted()) {
                visible.add(id);
            }
            pushChildren(children.get(id), stack);
        }
        return Collections.unmodifiableList(visible);
    }

    private static void pushChildren(List<ElementId> kids, Deque<ElementId> stack) {
        if (kids == null) {
            return;
        }
        kids.sort(null); // ascending, so the greatest id ends on top of the stack and comes first
        for (ElementId kid : kids) {
            stack.push(kid);
        }
    }

    /** The union of the nodes; a node deleted on either side is deleted. */
    @Override
    public Rga<E> merge(Rga<E> other) {
        if (other.nodes.isEmpty() || other == this) {
            return this;
        }
        if (nodes.isEmpty()) {
            return other;
        }
        TreeMap<ElementId, Node<E>> merged = new TreeMap<>(nodes);
        other.nodes.forEach((id, node) -> merged.merge(id, node, (mine, theirs) -> mine.deleted() ? mine : theirs));
        return new Rga<>(merged);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rga<?> other && nodes.equals(other.nodes);
    }

    @Override
    public int hashCode() {
        return nodes.hashCode();
    }

    @Override
    public String toString() {
        return "Rga" + values();
    }

    private static void writeId(ElementId id, DataWriter out) {
        out.writeVarLong(id.sequence()).writeReplica(id.replica());
    }

    private static ElementId readId(DataReader in) {
        long sequence = in.readNonNegativeVarLong();
        ReplicaId replica = in.readReplica();
        if (sequence == 0 && !replica.equals(ElementId.HEAD.replica())) {
            throw in.corrupt("element sequence 0 is reserved for HEAD");
        }
        return new ElementId(sequence, replica);
    }

    /**
     * The binary encoding:
     * <pre>
     *   0x1A | version 1 | count | count x ( id: sequence (varint) | replica (16)
     *                                      | parent: sequence (varint) | replica (16)
     *                                      | 0 (deleted) or 1 | value )
     * </pre>
     * nodes in id order; each parent's sequence is less than its child's.
     */
    public static <E> Codec<Rga<E>> codec(Codec<E> valueCodec) {
        Objects.requireNonNull(valueCodec, "valueCodec");
        return new Codec<>() {
            @Override
            public void write(Rga<E> rga, DataWriter out) {
                out.writeByte(TAG).writeByte(Encoding.VERSION);
                out.writeVarLong(rga.nodes.size());
                rga.nodes.forEach((id, node) -> {
                    writeId(id, out);
                    writeId(node.parent(), out);
                    out.writeBoolean(!node.deleted());
                    if (!node.deleted()) {
                        valueCodec.write(node.value(), out);
                    }
                });
            }

            @Override
            public Rga<E> read(DataReader in) {
                in.readHeader(TAG, Encoding.VERSION, "RGA sequence");
                int count = in.readCount(35);
                TreeMap<ElementId, Node<E>> nodes = new TreeMap<>();
                for (int i = 0; i < count; i++) {
                    ElementId id = readId(in);
                    ElementId parent = readId(in);
                    if (id.sequence() == 0) {
                        throw in.corrupt("HEAD cannot be a node");
                    }
                    if (parent.sequence() >= id.sequence()) {
                        throw in.corrupt("element " + id + " is not younger than its parent " + parent);
                    }
                    if (!nodes.isEmpty() && nodes.lastKey().compareTo(id) >= 0) {
                        throw in.corrupt("RGA nodes out of order");
                    }
                    E value = in.readBoolean() ? Objects.requireNonNull(valueCodec.read(in), "value") : null;
                    nodes.put(id, new Node<>(parent, value));
                }
                return new Rga<>(nodes);
            }
        };
    }
}
