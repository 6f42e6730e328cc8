package io.iridium.data.demo;

import io.iridium.data.ReplicaId;
import io.iridium.data.replication.ReplicaConfig;
import io.iridium.data.replication.ReplicaCore;
import io.iridium.data.replication.ReplicaMessage;
import io.iridium.data.replication.ReplicaMessageCodec;
import io.iridium.data.replication.ReplicaTransport;
import io.iridium.env.Environment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Real {@link ReplicaCore}s on an in-process network in virtual time: one thread, one seed, a
 * latency of 1–4 ms per message, per-replica clock skew, and partitions that drop every message
 * between two groups. Every message goes through {@link ReplicaMessageCodec}, so the bytes on
 * this network are the bytes a node would send. Used by the ad-counter scenario (in the demo and
 * its benchmark), where the partition has to be exact and instant, which real sockets on one
 * machine cannot give without network namespaces.
 *
 * <p>Not thread-safe: one network belongs to one thread.
 */
final class InProcessReplicaNetwork {

    private record Event(long time, long sequence, Runnable action) {
    }

    private final PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> a.time != b.time
            ? Long.compare(a.time, b.time) : Long.compare(a.sequence, b.sequence));
    private final SplittableRandom random;
    private final List<ReplicaCore> cores = new ArrayList<>();
    private final Map<ReplicaId, Integer> indexes = new HashMap<>();
    private final long tickMillis;
    private Set<Integer> partitionedSide = Set.of();
    private long now;
    private long sequence;
    private long bytesSent;
    private long messagesDropped;

    InProcessReplicaNetwork(long seed, int replicas, long[] skewsMillis, ReplicaConfig config) {
        this.random = new SplittableRandom(seed);
        this.tickMillis = config.tick().toMillis();
        for (int i = 0; i < replicas; i++) {
            int index = i;
            long skew = skewsMillis[i % skewsMillis.length];
            SplittableRandom own = random.split();
            Environment environment = new Environment() {
                @Override
                public long nowMillis() {
                    return 1_700_000_000_000L + now + skew;
                }

                @Override
                public RandomGenerator random() {
                    return own;
                }
            };
            ReplicaId id = ReplicaId.of(i + 1);
            ReplicaCore core = ReplicaCore.builder(id, environment, new Transport(index)).config(config).build();
            cores.add(core);
            indexes.put(id, index);
            long firstTick = 1 + random.nextLong(tickMillis);
            schedule(firstTick, () -> tick(index));
        }
        List<ReplicaId> all = List.copyOf(indexes.keySet());
        cores.forEach(core -> core.setPeers(all));
    }

    List<ReplicaCore> cores() {
        return cores;
    }

    long now() {
        return now;
    }

    SplittableRandom random() {
        return random;
    }

    long bytesSent() {
        return bytesSent;
    }

    /** Drops every message between the replicas of {@code side} and the others. */
    void partition(Set<Integer> side) {
        partitionedSide = Set.copyOf(side);
    }

    void heal() {
        partitionedSide = Set.of();
    }

    /** Runs {@code action} {@code delayMillis} from now. */
    void schedule(long delayMillis, Runnable action) {
        events.add(new Event(now + delayMillis, sequence++, action));
    }

    /** Processes every event up to {@code now + millis}. */
    void runFor(long millis) {
        long end = now + millis;
        while (!events.isEmpty() && events.peek().time <= end) {
            Event event = events.poll();
            now = event.time;
            event.action.run();
        }
        now = end;
    }

    private void tick(int index) {
        cores.get(index).tick();
        schedule(tickMillis, () -> tick(index));
    }

    private void carry(int from, int to, ReplicaMessage message) {
        byte[] bytes = ReplicaMessageCodec.encode(message);
        bytesSent += bytes.length;
        if (partitionedSide.contains(from) != partitionedSide.contains(to)) {
            messagesDropped++;
            return;
        }
        schedule(1 + random.nextLong(4), () -> {
            Optional<ReplicaMessage> reply = cores.get(to).receive(ReplicaMessageCodec.decode(bytes));
            reply.ifPresent(answer -> carry(to, from, answer));
        });
    }

    /** Sends a core's messages over this network. */
    private final class Transport implements ReplicaTransport {
        private final int index;

        Transport(int index) {
            this.index = index;
        }

        @Override
        public void broadcast(ReplicaMessage.Deltas deltas) {
            for (int to = 0; to < cores.size(); to++) {
                if (to != index) {
                    carry(index, to, deltas);
                }
            }
        }

        @Override
        public void send(ReplicaId to, ReplicaMessage message) {
            Integer target = indexes.get(to);
            if (target != null) {
                carry(index, target, message);
            }
        }
    }
}
