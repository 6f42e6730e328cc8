package io.iridium.data.crdt;

import io.iridium.data.ReplicaId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded run of a few replicas of one CRDT exchanging deltas over a network that loses,
 * duplicates and reorders them: each step either performs a random operation at a random
 * replica (applied locally at once and sent to every other replica) or delivers one random
 * message in flight (dropped with probability 1/5, delivered and kept for a later duplicate with
 * probability 1/5). One seed gives one run. Every state and delta produced is kept in
 * {@link #pool}, a supply of mutually consistent values for the lattice laws.
 */
final class Simulation<T extends Crdt<T>> {

    /** What the replicas do, and the reference model it keeps alongside. */
    interface Workload<T extends Crdt<T>> {
        /** The state every replica starts from. */
        T initial();

        /** One random operation at {@code replica}, whose state is {@code state}. */
        Op<T> operate(int replica, T state, Random random);

        /** The model learns that {@code replica} applied the operation that made {@code event}. */
        default void deliver(int replica, Object event) {
        }

        /** Checks a converged state against the model, which has seen every operation. */
        default void check(T converged) {
        }
    }

    /** An operation's delta, and what the model should learn from it. */
    record Op<T>(T delta, Object event) {
    }

    record Message<T>(int to, T delta, Object event) {
    }

    final Random random;
    final Workload<T> workload;
    final List<T> replicas = new ArrayList<>();
    final List<Message<T>> network = new ArrayList<>();
    final List<T> pool = new ArrayList<>();
    final List<T> deltas = new ArrayList<>();

    Simulation(Workload<T> workload, int replicaCount, long seed) {
        this.random = new Random(seed);
        this.workload = workload;
        for (int i = 0; i < replicaCount; i++) {
            replicas.add(workload.initial());
        }
        pool.add(workload.initial());
    }

    static ReplicaId id(int replica) {
        return ReplicaId.of(replica + 1);
    }

    /** Runs {@code steps} random steps. */
    Simulation<T> run(int steps) {
        for (int i = 0; i < steps; i++) {
            if (network.isEmpty() || random.nextBoolean()) {
                operate(random.nextInt(replicas.size()));
            } else {
                deliverOne();
            }
        }
        return this;
    }

    /** One random operation at {@code replica}, applied there and broadcast. */
    T operate(int replica) {
        Op<T> op = workload.operate(replica, replicas.get(replica), random);
        T next = replicas.get(replica).merge(op.delta());
        replicas.set(replica, next);
        workload.deliver(replica, op.event());
        pool.add(op.delta());
        pool.add(next);
        deltas.add(op.delta());
        for (int to = 0; to < replicas.size(); to++) {
            if (to != replica) {
                network.add(new Message<>(to, op.delta(), op.event()));
            }
        }
        return op.delta();
    }

    /** Delivers, drops or duplicates one random message in flight. */
    void deliverOne() {
        int index = random.nextInt(network.size());
        Message<T> message = network.get(index);
        int fate = random.nextInt(5);
        if (fate != 1) {
            network.remove(index);
        }
        if (fate == 0) {
            return; // lost
        }
        T next = replicas.get(message.to()).merge(message.delta());
        replicas.set(message.to(), next);
        workload.deliver(message.to(), message.event());
        pool.add(next);
    }

    /** Every replica merges every other's full state (anti-entropy); messages in flight stay. */
    void exchangeAll() {
        for (int round = 0; round < 2; round++) {
            for (int from = 0; from < replicas.size(); from++) {
                for (int to = 0; to < replicas.size(); to++) {
                    replicas.set(to, replicas.get(to).merge(replicas.get(from)));
                }
            }
        }
        pool.addAll(replicas);
    }

    /** A random value from the pool. */
    T any() {
        return pool.get(random.nextInt(pool.size()));
    }
}
