package io.iridium.data.crdt;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import io.iridium.data.clock.CausalContext;
import io.iridium.data.clock.Dot;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * An observed-remove map from keys to nested causal CRDTs ({@link OrSet}, {@link MvRegister},
 * {@link EnableWinsFlag}, or another {@code OrMap}), following the delta-state OR-Map of
 * Almeida, Shoker and Baquero (2018).
 *
 * <p><b>Algorithm.</b> All nested values share the map's single {@link CausalContext}: a nested
 * mutator runs on the key's value seen with the map's context (so its fresh dots are fresh in
 * the whole map), and the map's delta is the key's delta with the delta's context. A key is
 * present exactly while its value's stores hold a dot. Merge merges, key by key, the two values
 * each seen with its own map's context (an absent key counts as the empty value), and drops
 * the keys whose merged value is empty.
 *
 * <p><b>Removal resets observed state.</b> {@link #remove} is the delta with no value and a
 * context of exactly the dots observed under the key. Merged anywhere, it erases what the
 * remover had seen, and only that: an update concurrent with the removal survives, but
 * without the state the remover erased — for an OR-Set value, the concurrently added elements
 * and nothing of the old ones; for a register, the concurrent write. Re-creating a removed key
 * starts from the empty value. This is the "remove-resets" semantics of Riak's maps, obtained
 * without tombstones.
 *
 * <p><b>What nests.</b> Only causal CRDTs nest, because the reset needs dots: sets, registers,
 * flags and maps. For a last-writer-wins value under a key, nest an {@link MvRegister} and pick
 * from its siblings, or use an {@link LwwMap}; for per-key counters use a map of
 * {@link PnCounter}s kept outside the OR-Map (a removed key's count cannot be reset without a
 * causal counter, which this package does not have yet).
 *
 * <p><b>Invariants:</b> every stored value is non-empty and carries the map's context; every
 * nested dot is in the context; no dot belongs to two keys. An immutable value; mutators
 * return deltas ({@code state.merge(delta)} applies them).
 *
 * @param <K> the key type, with value-based {@code equals} and {@code hashCode}
 * @param <V> the nested causal CRDT type
 */
public final class OrMap<K, V extends CausalCrdt<V>> implements CausalCrdt<OrMap<K, V>> {

    private static final int TAG = 0x17;

    private final Map<K, V> values;
    private final CausalContext context;
    private final V emptyValue;

    private OrMap(Map<K, V> values, CausalContext context, V emptyValue) {
        this.values = values;
        this.context = context;
        this.emptyValue = emptyValue;
    }

    /**
     * The empty map whose keys hold values of {@code emptyValue}'s type, starting from
     * {@code emptyValue} (for example {@code OrSet.empty()}).
     *
     * @throws IllegalArgumentException if {@code emptyValue} is not empty with an empty context
     */
    public static <K, V extends CausalCrdt<V>> OrMap<K, V> empty(V emptyValue) {
        Objects.requireNonNull(emptyValue, "emptyValue");
        if (!Causal.isBottom(emptyValue) || !emptyValue.context().isEmpty()) {
            throw new IllegalArgumentException("the empty value must be empty: " + emptyValue);
        }
        return new OrMap<>(Map.of(), CausalContext.empty(), emptyValue);
    }

    /**
     * The delta that applies {@code mutator} to the value under {@code key}: the mutator gets
     * the current value (the empty value if the key is absent), seen with this map's context,
     * and must return a delta made by that value's own mutators, for example
     * {@code map.update("k", set -> set.add(replica, "x"))}.
     */
    public OrMap<K, V> update(K key, UnaryOperator<V> mutator) {
        Objects.requireNonNull(key, "key");
        V delta = Objects.requireNonNull(mutator.apply(get(key)), "the mutator returned null");
        CausalContext deltaContext = delta.context();
        Map<K, V> store = Causal.isBottom(delta) ? Map.of() : Map.of(key, delta);
        return new OrMap<>(store, deltaContext, emptyValue);
    }

    /** The delta that removes {@code key}, resetting the state observed under it. */
    public OrMap<K, V> remove(K key) {
        V value = values.get(key);
        CausalContext observed = value == null ? CausalContext.empty() : CausalContext.of(Causal.dots(value));
        return new OrMap<>(Map.of(), observed, emptyValue);
    }

    /** The delta that removes every key observed here. */
    public OrMap<K, V> clear() {
        return new OrMap<>(Map.of(), CausalContext.of(dots()), emptyValue);
    }

    /**
     * The value under {@code key}, seen with this map's context; the empty value (with this
     * map's context) if the key is absent, ready for that value's mutators.
     */
    public V get(K key) {
        V value = values.get(key);
        return value != null ? value : Causal.withContext(emptyValue, context);
    }

    /** Whether {@code key} is present. */
    public boolean containsKey(K key) {
        return values.containsKey(key);
    }

    /** The present keys (unmodifiable). */
    public Set<K> keys() {
        return Collections.unmodifiableSet(values.keySet());
    }

    /** The present entries (unmodifiable); values carry this map's context. */
    public Map<K, V> asMap() {
        return values;
    }

    /** The number of present keys. */
    public int size() {
        return values.size();
    }

    /** Whether no key is present. */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public CausalContext context() {
        return context;
    }

    Set<Dot> dots() {
        Set<Dot> all = new TreeSet<>();
        values.values().forEach(value -> all.addAll(Causal.dots(value)));
        return all;
    }

    OrMap<K, V> withContext(CausalContext newContext) {
        Map<K, V> rebased = new HashMap<>();
        values.forEach((key, value) -> rebased.put(key, Causal.withContext(value, newContext)));
        return new OrMap<>(Map.copyOf(rebased), newContext, emptyValue);
    }

    @Override
    public OrMap<K, V> merge(OrMap<K, V> other) {
        if (other == this) {
            return this;
        }
        V mineEmpty = Causal.withContext(emptyValue, context);
        V theirsEmpty = Causal.withContext(emptyValue, other.context);
        Set<K> keys = new HashSet<>(values.keySet());
        keys.addAll(other.values.keySet());
        Map<K, V> merged = new HashMap<>();
        for (K key : keys) {
            V value = values.getOrDefault(key, mineEmpty).merge(other.values.getOrDefault(key, theirsEmpty));
            if (!Causal.isBottom(value)) {
                merged.put(key, value);
            }
        }
        CausalContext mergedContext = context.merge(other.context);
        Map<K, V> rebased = new HashMap<>();
        merged.forEach((key, value) -> rebased.put(key,
                value.context().equals(mergedContext) ? value : Causal.withContext(value, mergedContext)));
        return new OrMap<>(Map.copyOf(rebased), mergedContext, emptyValue);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrMap<?, ?> other && values.equals(other.values) && context.equals(other.context);
    }

    @Override
    public int hashCode() {
        return values.hashCode() * 31 + context.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("OrMap{");
        values.forEach((key, value) -> text.append(key).append('=').append(Causal.dots(value)).append(' '));
        return text.append(context).append('}').toString();
    }

    /**
     * The binary encoding:
     * <pre>
     *   0x17 | version 1 | causal context body | count | count x (key | value)
     * </pre>
     * keys sorted by encoded bytes; each value is written with {@code valueCodec}, carrying as
     * its own context only its own dots (the map's context is written once).
     *
     * @param emptyValue the empty value the decoded maps start keys from
     */
    public static <K, V extends CausalCrdt<V>> Codec<OrMap<K, V>> codec(
            Codec<K> keyCodec, Codec<V> valueCodec, V emptyValue) {
        Objects.requireNonNull(keyCodec, "keyCodec");
        Objects.requireNonNull(valueCodec, "valueCodec");
        OrMap<K, V> empty = empty(emptyValue);
        return new Codec<>() {
            @Override
            public void write(OrMap<K, V> value, DataWriter out) {
                out.writeByte(TAG).writeByte(Encoding.VERSION);
                CausalContext.writeBody(value.context, out);
                Encoding.writeMap(value.values, keyCodec, (v, o) ->
                        valueCodec.write(Causal.withContext(v, CausalContext.of(Causal.dots(v))), o), out);
            }

            @Override
            public OrMap<K, V> read(DataReader in) {
                in.readHeader(TAG, Encoding.VERSION, "OR-Map");
                CausalContext context = CausalContext.readBody(in);
                Map<K, V> decoded = Encoding.readMap(in, keyCodec, valueCodec::read);
                Set<Dot> seen = new HashSet<>();
                Map<K, V> values = new HashMap<>();
                decoded.forEach((key, value) -> {
                    Set<Dot> dots = Causal.dots(value);
                    if (dots.isEmpty()) {
                        throw in.corrupt("OR-Map key with an empty value");
                    }
                    for (Dot dot : dots) {
                        if (!context.contains(dot) || !seen.add(dot)) {
                            throw in.corrupt("OR-Map dot " + dot + " outside the context or shared");
                        }
                    }
                    values.put(key, Causal.withContext(value, context));
                });
                return new OrMap<>(Map.copyOf(values), context, empty.emptyValue);
            }
        };
    }
}
