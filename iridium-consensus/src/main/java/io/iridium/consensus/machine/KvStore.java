package io.iridium.consensus.machine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The KV part of a group's state: a sorted map of keys with etcd-style revisions. The store
 * revision grows by one with every write that changes something (a put, a delete of a present
 * key, a successful compare-and-set); each key remembers the revision that created it and the
 * one that last changed it. Sorted keys make a prefix range a sub-map walk.
 */
final class KvStore {

    private final TreeMap<String, KeyValue> map = new TreeMap<>();
    private long revision;

    Result put(String key, byte[] value) {
        revision++;
        KeyValue old = map.get(key);
        map.put(key, old == null ? new KeyValue(key, value, revision, revision, 1)
                : new KeyValue(key, value, old.createRevision(), revision, old.version() + 1));
        return new Result.Written(revision);
    }

    Result delete(String key) {
        if (map.remove(key) == null) {
            return new Result.Deleted(false, revision);
        }
        return new Result.Deleted(true, ++revision);
    }

    Result compareAndSet(String key, byte[] expected, byte[] value) {
        KeyValue current = map.get(key);
        boolean matches = expected == null ? current == null : current != null && Arrays.equals(expected, current.value());
        if (!matches) {
            return new Result.Swapped(false, revision);
        }
        put(key, value);
        return new Result.Swapped(true, revision);
    }

    Result get(String key) {
        return new Result.Found(Optional.ofNullable(map.get(key)), revision);
    }

    Result range(String prefix, int limit) {
        List<KeyValue> out = new ArrayList<>();
        boolean more = false;
        for (KeyValue kv : map.tailMap(prefix, true).values()) {
            if (!kv.key().startsWith(prefix)) {
                break;
            }
            if (out.size() == limit) {
                more = true;
                break;
            }
            out.add(kv);
        }
        return new Result.Listed(out, more, revision);
    }

    long revision() {
        return revision;
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(revision);
        out.writeInt(map.size());
        for (Map.Entry<String, KeyValue> e : map.entrySet()) {
            KeyValue kv = e.getValue();
            out.writeUTF(kv.key());
            out.writeInt(kv.value().length);
            out.write(kv.value());
            out.writeLong(kv.createRevision());
            out.writeLong(kv.modRevision());
            out.writeLong(kv.version());
        }
    }

    void read(DataInput in) throws IOException {
        map.clear();
        revision = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String key = in.readUTF();
            byte[] value = new byte[in.readInt()];
            in.readFully(value);
            map.put(key, new KeyValue(key, value, in.readLong(), in.readLong(), in.readLong()));
        }
    }
}
