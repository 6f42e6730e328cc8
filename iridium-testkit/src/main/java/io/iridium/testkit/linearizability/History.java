package io.iridium.testkit.linearizability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A concurrent history, recorded as it happens: each process invokes an operation and then
 * completes it with {@link #ok}, {@link #fail} or {@link #info}. Events get strictly increasing
 * logical times in the order they are recorded, so record them in real-time order.
 *
 * <ul>
 *   <li>{@code ok}: it took effect, with this output;</li>
 *   <li>{@code fail}: it definitely did not take effect, and is dropped from the history;</li>
 *   <li>{@code info}: unknown (a timeout, a crash); it may take effect at any point after its
 *       invocation, or never. Operations still pending at the end count as info.</li>
 * </ul>
 *
 * <p>Not thread-safe.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public final class History<I, O> {

    private record Pending<I>(I input, long invoke) {
    }

    private final Map<Integer, Pending<I>> pending = new HashMap<>();
    private final List<Operation<I, O>> completed = new ArrayList<>();
    private long clock;

    /** An empty history. */
    public History() {
    }

    /**
     * Records an invocation.
     *
     * @param process the invoking process, which must have nothing in flight
     * @param input   what it asked
     * @return this history
     */
    public History<I, O> invoke(int process, I input) {
        if (pending.containsKey(process)) {
            throw new IllegalStateException("process " + process + " already has an operation in flight");
        }
        pending.put(process, new Pending<>(input, ++clock));
        return this;
    }

    /**
     * Records that a process's operation took effect.
     *
     * @param process the process
     * @param output  what the operation returned
     * @return this history
     */
    public History<I, O> ok(int process, O output) {
        Pending<I> p = take(process);
        completed.add(new Operation<>(process, p.input(), output, p.invoke(), ++clock));
        return this;
    }

    /**
     * Records that a process's operation definitely did not take effect.
     *
     * @param process the process
     * @return this history
     */
    public History<I, O> fail(int process) {
        take(process);
        ++clock;
        return this;
    }

    /**
     * Records that the outcome of a process's operation is unknown.
     *
     * @param process the process
     * @return this history
     */
    public History<I, O> info(int process) {
        Pending<I> p = take(process);
        completed.add(new Operation<>(process, p.input(), null, p.invoke(), Long.MAX_VALUE));
        ++clock;
        return this;
    }

    /**
     * Whether a process has an operation in flight.
     *
     * @param process the process
     * @return true between its invocation and its outcome
     */
    public boolean isPending(int process) {
        return pending.containsKey(process);
    }

    private Pending<I> take(int process) {
        Pending<I> p = pending.remove(process);
        if (p == null) {
            throw new IllegalStateException("process " + process + " has no operation in flight");
        }
        return p;
    }

    /**
     * The operations that may have taken effect.
     *
     * @return ok and info operations, and those still pending (as info)
     */
    public List<Operation<I, O>> operations() {
        List<Operation<I, O>> all = new ArrayList<>(completed);
        pending.forEach((process, p) -> all.add(new Operation<>(process, p.input(), null, p.invoke(), Long.MAX_VALUE)));
        return all;
    }

    /**
     * The number of operations recorded.
     *
     * @return the count, of any outcome, pending included
     */
    public int size() {
        return completed.size() + pending.size();
    }
}
