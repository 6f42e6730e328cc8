package io.iridium.testkit.linearizability;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.HashSet;
import java.util.Set;

/**
 * Decides whether a {@link History} is linearizable with respect to a {@link Model}.
 *
 * <p>The algorithm is Wing and Gong's backtracking search with Lowe's improvements (P. Lowe,
 * "Testing for linearizability", 2016), as used by Porcupine. The history becomes a doubly linked
 * list of call and return events in time order. The search walks the list: at a call event it
 * tries to linearize that operation now (the model must accept its output), removing its call
 * and return from the list and pushing it on a stack; at a return event it has found an
 * operation that must have taken effect earlier but could not, so it backtracks, restoring the
 * most recently linearized operation and trying the next candidate after it. The history is
 * linearizable when the list empties. Lowe's cache remembers each (set of linearized operations,
 * state) pair already explored, which prunes the search from factorial to, in practice, close to
 * linear for histories of real systems. Info operations return at infinity, so they may be
 * linearized anywhere after their call, including after everything else (equivalent to never).
 *
 * <p>Each {@linkplain Model#partition partition} is searched separately. A step budget bounds the
 * work; exhausting it gives {@link Verdict#UNKNOWN} rather than a wrong answer.
 *
 * <p>Thread-safe: it holds no state between calls.
 */
public final class LinearizabilityChecker {

    /** The default step budget per partition. */
    public static final long DEFAULT_BUDGET = 10_000_000L;

    private LinearizabilityChecker() {
    }

    /** The answer. */
    public enum Verdict {
        /** Some order respects real time and the model. */
        LINEARIZABLE,
        /** No order does. */
        NOT_LINEARIZABLE,
        /** The step budget ran out. */
        UNKNOWN
    }

    /**
     * The outcome of a check.
     *
     * @param verdict     the answer
     * @param partition   the partition that is not linearizable (or ran out of budget), else null
     * @param explanation for people: which operation could not be placed, and the longest
     *                    linearizable prefix found
     */
    public record Result(Verdict verdict, Object partition, String explanation) {

        /**
         * Whether the history passed.
         *
         * @return whether the verdict is {@link Verdict#LINEARIZABLE}
         */
        public boolean isLinearizable() {
            return verdict == Verdict.LINEARIZABLE;
        }
    }

    /**
     * Checks a history with the {@link #DEFAULT_BUDGET}.
     *
     * @param model   the sequential specification
     * @param history the recorded history
     * @param <S>     the model's state
     * @param <I>     operation inputs
     * @param <O>     operation outputs
     * @return the verdict, with an explanation when it is not linearizable
     */
    public static <S, I, O> Result check(Model<S, I, O> model, History<I, O> history) {
        return check(model, history.operations(), DEFAULT_BUDGET);
    }

    /**
     * Checks a list of operations.
     *
     * @param model      the sequential specification
     * @param operations the operations (see {@link History#operations()})
     * @param budget     the maximum number of search steps per partition
     * @param <S>        the model's state
     * @param <I>        operation inputs
     * @param <O>        operation outputs
     * @return the verdict, with an explanation when it is not linearizable or unknown
     */
    public static <S, I, O> Result check(Model<S, I, O> model, List<Operation<I, O>> operations, long budget) {
        Objects.requireNonNull(model, "model");
        Map<Object, List<Operation<I, O>>> partitions = new LinkedHashMap<>();
        for (Operation<I, O> op : operations) {
            partitions.computeIfAbsent(model.partition(op.input()), k -> new ArrayList<>()).add(op);
        }
        Result unknown = null;
        for (Map.Entry<Object, List<Operation<I, O>>> p : partitions.entrySet()) {
            Result r = new Search<>(model, p.getKey(), p.getValue(), budget).run();
            if (r.verdict() == Verdict.NOT_LINEARIZABLE) {
                return r;
            }
            if (r.verdict() == Verdict.UNKNOWN && unknown == null) {
                unknown = r;
            }
        }
        return unknown != null ? unknown : new Result(Verdict.LINEARIZABLE, null, "linearizable");
    }

    /** One partition's search. */
    private static final class Search<S, I, O> {

        private static final class Event<I, O> {
            final Operation<I, O> op;
            final int id;
            final boolean call;
            final long time;
            Event<I, O> match;
            Event<I, O> prev;
            Event<I, O> next;

            Event(Operation<I, O> op, int id, boolean call, long time) {
                this.op = op;
                this.id = id;
                this.call = call;
                this.time = time;
            }
        }

        private record Frame<S, I, O>(Event<I, O> call, S state) {
        }

        private record CacheKey<S>(BitSet linearized, S state) {
        }

        private final Model<S, I, O> model;
        private final Object partition;
        private final List<Operation<I, O>> ops;
        private final long budget;
        private final Event<I, O> head = new Event<>(null, -1, false, Long.MIN_VALUE);

        Search(Model<S, I, O> model, Object partition, List<Operation<I, O>> ops, long budget) {
            this.model = model;
            this.partition = partition;
            this.ops = ops;
            this.budget = budget;
        }

        Result run() {
            List<Event<I, O>> events = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                Operation<I, O> op = ops.get(i);
                Event<I, O> call = new Event<>(op, i, true, op.invoke());
                Event<I, O> ret = new Event<>(op, i, false, op.complete());
                call.match = ret;
                ret.match = call;
                events.add(call);
                events.add(ret);
            }
            // Time order; info returns (at infinity) last, in call order; calls before returns on ties.
            events.sort(Comparator.<Event<I, O>>comparingLong(e -> e.time)
                    .thenComparing(e -> !e.call)
                    .thenComparingLong(e -> e.op.invoke()));
            Event<I, O> prev = head;
            for (Event<I, O> e : events) {
                prev.next = e;
                e.prev = prev;
                prev = e;
            }

            S state = model.initial();
            BitSet linearized = new BitSet(ops.size());
            Set<CacheKey<S>> cache = new HashSet<>();
            ArrayDeque<Frame<S, I, O>> stack = new ArrayDeque<>();
            Event<I, O> entry = head.next;
            int deepest = 0;
            Operation<I, O> stuck = null;
            long steps = 0;
            while (head.next != null) {
                if (++steps > budget) {
                    return new Result(Verdict.UNKNOWN, partition, "search budget of " + budget + " steps exhausted after "
                            + deepest + " of " + ops.size() + " operations");
                }
                if (entry.call) {
                    Optional<S> next = model.step(state, entry.op.input(), entry.op.output());
                    if (next.isPresent()) {
                        BitSet nowLinearized = (BitSet) linearized.clone();
                        nowLinearized.set(entry.id);
                        if (cache.add(new CacheKey<>(nowLinearized, next.get()))) {
                            stack.push(new Frame<>(entry, state));
                            state = next.get();
                            linearized = nowLinearized;
                            lift(entry);
                            deepest = Math.max(deepest, stack.size());
                            entry = head.next;
                            continue;
                        }
                    }
                    entry = entry.next;
                } else {
                    if (stack.size() >= deepest) {
                        stuck = entry.op;
                    }
                    if (stack.isEmpty()) {
                        return new Result(Verdict.NOT_LINEARIZABLE, partition, "no linearization of partition " + partition
                                + ": cannot place " + describe(stuck) + "; the longest linearizable prefix has " + deepest
                                + " of " + ops.size() + " operations");
                    }
                    Frame<S, I, O> top = stack.pop();
                    state = top.state();
                    linearized = (BitSet) linearized.clone();
                    linearized.clear(top.call().id);
                    unlift(top.call());
                    entry = top.call().next;
                }
            }
            return new Result(Verdict.LINEARIZABLE, null, "linearizable");
        }

        private static String describe(Operation<?, ?> op) {
            if (op == null) {
                return "an operation";
            }
            return "process " + op.process() + " " + op.input() + " -> " + (op.isInfo() ? "?" : op.output())
                    + " [" + op.invoke() + ", " + (op.isInfo() ? "inf" : op.complete()) + "]";
        }

        private void lift(Event<I, O> call) {
            call.prev.next = call.next;
            if (call.next != null) {
                call.next.prev = call.prev;
            }
            Event<I, O> ret = call.match;
            ret.prev.next = ret.next;
            if (ret.next != null) {
                ret.next.prev = ret.prev;
            }
        }

        private void unlift(Event<I, O> call) {
            Event<I, O> ret = call.match;
            ret.prev.next = ret;
            if (ret.next != null) {
                ret.next.prev = ret;
            }
            call.prev.next = call;
            if (call.next != null) {
                call.next.prev = call;
            }
        }
    }
}
