package io.iridium.consensus.machine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The counters of a group's state: named 64-bit integers that start at zero. An add is applied
 * in log order on every replica, so add-and-get is linearizable: the serialize-every-write answer
 * to a shared counter. Overflow wraps, as Java's {@code long} does.
 */
final class CounterTable {

    private final TreeMap<String, Long> counters = new TreeMap<>();

    Result add(String counter, long delta) {
        long value = counters.getOrDefault(counter, 0L) + delta;
        counters.put(counter, value);
        return new Result.Count(value);
    }

    Result value(String counter) {
        return new Result.Count(counters.getOrDefault(counter, 0L));
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(counters.size());
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    void read(DataInput in) throws IOException {
        counters.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            counters.put(in.readUTF(), in.readLong());
        }
    }
}
