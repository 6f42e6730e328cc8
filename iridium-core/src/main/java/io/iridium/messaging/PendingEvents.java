package io.iridium.messaging;

import io.iridium.wire.BodySlab;
import java.util.Arrays;

/**
 * One subscription's events gathered on an event loop during a read burst, in arrival order, as
 * parallel arrays that are reused from burst to burst. An event is a topic and a body range,
 * {@code arrays[i][offsets[i], offsets[i] + lengths[i])}, with the {@link BodySlab} that range
 * lies in (and one hold on it) when it was packed, else null. {@link #run} takes a snapshot to
 * hand to the subscription's handler thread.
 *
 * <p>Threading: one event loop thread only.
 */
final class PendingEvents {
    private String[] topics = new String[16];
    private byte[][] arrays = new byte[16][];
    private int[] offsets = new int[16];
    private int[] lengths = new int[16];
    private BodySlab[] slabs = new BodySlab[16];
    private int size;
    private long bytes;

    void add(String topic, byte[] array, int offset, int length, BodySlab slab) {
        if (size == topics.length) {
            int grown = size * 2;
            topics = Arrays.copyOf(topics, grown);
            arrays = Arrays.copyOf(arrays, grown);
            offsets = Arrays.copyOf(offsets, grown);
            lengths = Arrays.copyOf(lengths, grown);
            slabs = Arrays.copyOf(slabs, grown);
        }
        topics[size] = topic;
        arrays[size] = array;
        offsets[size] = offset;
        lengths[size] = length;
        slabs[size] = slab;
        size++;
        bytes += length;
    }

    int size() {
        return size;
    }

    /** The bodies' bytes, for the subscription's memory bound. */
    long bytes() {
        return bytes;
    }

    /** The gathered events as a run of their own (the arrays here are reused). */
    EventRun run() {
        return new EventRun(Arrays.copyOf(topics, size), Arrays.copyOf(arrays, size), Arrays.copyOf(offsets, size),
                Arrays.copyOf(lengths, size), Arrays.copyOf(slabs, size));
    }

    String topic(int i) {
        return topics[i];
    }

    byte[] array(int i) {
        return arrays[i];
    }

    int offset(int i) {
        return offsets[i];
    }

    int length(int i) {
        return lengths[i];
    }

    BodySlab slab(int i) {
        return slabs[i];
    }

    void clear() {
        Arrays.fill(topics, 0, size, null);
        Arrays.fill(arrays, 0, size, null);
        Arrays.fill(slabs, 0, size, null);
        size = 0;
        bytes = 0;
    }
}
