package io.iridium.data.crdt;

import io.iridium.data.Codec;
import io.iridium.data.DataReader;
import io.iridium.data.DataWriter;
import io.iridium.data.clock.Dot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Canonical encodings of the collections inside CRDT values. Unordered collections of
 * application values are written sorted by each item's encoded bytes (unsigned lexicographic),
 * so equal values always encode to equal bytes whatever their hash order; decoders accept any
 * order but reject duplicates, and check every count against the bytes left before allocating.
 *
 * <p>Type tags of the CRDT encodings: 0x10 G-Counter, 0x11 PN-Counter, 0x12 G-Set, 0x13 2P-Set,
 * 0x14 OR-Set, 0x15 LWW-Register, 0x16 MV-Register, 0x17 OR-Map, 0x18 LWW-Map, 0x19 enable-wins
 * flag, 0x1A RGA sequence. Every encoding starts with its tag and format version 1.
 */
final class Encoding {

    static final int VERSION = 1;

    private Encoding() {
    }

    /** Writes {@code items} as a count and the items sorted by their encodings. */
    static <E> void writeSet(Collection<E> items, Codec<E> codec, DataWriter out) {
        List<byte[]> encoded = new ArrayList<>(items.size());
        for (E item : items) {
            encoded.add(codec.encode(item));
        }
        encoded.sort(Codec.byteOrder());
        out.writeVarLong(encoded.size());
        for (byte[] bytes : encoded) {
            out.writeRaw(bytes);
        }
    }

    /** Reads what {@link #writeSet} wrote, rejecting duplicates. */
    static <E> Set<E> readSet(DataReader in, Codec<E> codec) {
        int count = in.readCount(1);
        Set<E> items = new HashSet<>();
        for (int i = 0; i < count; i++) {
            if (!items.add(codec.read(in))) {
                throw in.corrupt("duplicate set element");
            }
        }
        return items;
    }

    /** Writes {@code map} as a count and entries sorted by the encodings of their keys. */
    static <K, V> void writeMap(Map<K, V> map, Codec<K> keys, BiConsumer<V, DataWriter> values, DataWriter out) {
        List<Map.Entry<byte[], V>> encoded = new ArrayList<>(map.size());
        for (Map.Entry<K, V> entry : map.entrySet()) {
            encoded.add(Map.entry(keys.encode(entry.getKey()), entry.getValue()));
        }
        encoded.sort(Map.Entry.comparingByKey(Codec.byteOrder()));
        out.writeVarLong(encoded.size());
        for (Map.Entry<byte[], V> entry : encoded) {
            out.writeRaw(entry.getKey());
            values.accept(entry.getValue(), out);
        }
    }

    /** Reads what {@link #writeMap} wrote, rejecting duplicate keys. */
    static <K, V> Map<K, V> readMap(DataReader in, Codec<K> keys, Function<DataReader, V> values) {
        int count = in.readCount(2);
        Map<K, V> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            K key = keys.read(in);
            V value = values.apply(in);
            if (map.putIfAbsent(key, value) != null) {
                throw in.corrupt("duplicate map key");
            }
        }
        return map;
    }

    /** Writes a set of dots as a count and the dots in order. */
    static void writeDots(Collection<Dot> dots, DataWriter out) {
        TreeSet<Dot> sorted = new TreeSet<>(dots);
        out.writeVarLong(sorted.size());
        for (Dot dot : sorted) {
            Dot.writeBody(dot, out);
        }
    }

    /** Reads what {@link #writeDots} wrote, requiring strictly increasing dots. */
    static Set<Dot> readDots(DataReader in) {
        int count = in.readCount(17);
        TreeSet<Dot> dots = new TreeSet<>();
        Dot previous = null;
        for (int i = 0; i < count; i++) {
            Dot dot = Dot.readBody(in);
            if (previous != null && previous.compareTo(dot) >= 0) {
                throw in.corrupt("dots out of order");
            }
            dots.add(dot);
            previous = dot;
        }
        return dots;
    }
}
