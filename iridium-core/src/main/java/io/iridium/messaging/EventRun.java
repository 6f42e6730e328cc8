package io.iridium.messaging;

import io.iridium.wire.BodySlab;

/**
 * Events handed to one subscription as one task: a snapshot of {@link PendingEvents}.
 * {@link #deliver} shows each event to the subscription in order and then gives up the
 * holds its packed bodies had on their {@link BodySlab}s, one release per run of consecutive
 * events in the same slab, after the last of them was read. A run that its subscription's queue
 * refused is dropped unread: its events, and their holds, are then offered one by one.
 */
record EventRun(String[] topics, byte[][] arrays, int[] offsets, int[] lengths, BodySlab[] slabs) {

    /** Receives one event of a run; an exception it throws is reported and the run goes on. */
    interface Reader {
        void read(String topic, byte[] array, int offset, int length);

        void failed(String topic, RuntimeException failure);
    }

    int size() {
        return topics.length;
    }

    /** Shows every event to {@code reader}, in order, releasing each slab once its events were read. */
    void deliver(Reader reader) {
        BodySlab held = null;
        int holds = 0;
        try {
            for (int i = 0; i < topics.length; i++) {
                BodySlab slab = slabs[i];
                if (slab != held) {
                    release(held, holds);
                    held = slab;
                    holds = 0;
                }
                if (slab != null) {
                    holds++;
                }
                try {
                    reader.read(topics[i], arrays[i], offsets[i], lengths[i]);
                } catch (RuntimeException e) {
                    reader.failed(topics[i], e);
                }
            }
        } finally {
            release(held, holds);
        }
    }

    private static void release(BodySlab slab, int holds) {
        if (slab != null && holds > 0) {
            slab.release(holds);
        }
    }
}
