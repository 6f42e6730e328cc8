package io.iridium.testkit.linearizability;

/**
 * One operation of a {@link History}: its input, its output and the interval in which it took
 * effect, if it did.
 *
 * @param process  who invoked it (a process runs one operation at a time)
 * @param input    what was asked
 * @param output   what was returned; {@code null} for an info operation
 * @param invoke   the logical time of the invocation
 * @param complete the logical time of the response; {@link Long#MAX_VALUE} for an info operation,
 *                 which may take effect at any time after its invocation, or never
 * @param <I>      the input type
 * @param <O>      the output type
 */
public record Operation<I, O>(int process, I input, O output, long invoke, long complete) {

    /**
     * Whether the outcome is unknown.
     *
     * @return true for an info operation
     */
    public boolean isInfo() {
        return complete == Long.MAX_VALUE;
    }
}
