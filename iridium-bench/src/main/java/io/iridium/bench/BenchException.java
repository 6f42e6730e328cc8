package io.iridium.bench;

/**
 * A benchmark that cannot run or complete: a peer that cannot be started, a worker that failed.
 * Its message says why, in words meant for the person running the benchmark.
 */
public final class BenchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
