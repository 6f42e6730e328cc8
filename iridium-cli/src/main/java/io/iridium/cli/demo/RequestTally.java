package io.iridium.cli.demo;

import io.iridium.IridiumException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * How the requests of a demo load ended: replies counted by the member that sent them (a
 * {@link DatabaseMember} replies with its name) and failures counted by kind. The invariant the
 * demo checks is {@code issued == replied + failed} once the load has drained: every request
 * ended in a reply or a typed failure, none was lost silently. Thread-safe: completions arrive on
 * many threads.
 */
final class RequestTally {

    private final AtomicLong issued = new AtomicLong();
    private final Map<String, LongAdder> replies = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

    void issued() {
        issued.incrementAndGet();
    }

    /** Records how one request ended: {@code reply}, or else {@code failure}. */
    void ended(byte[] reply, Throwable failure) {
        if (failure == null) {
            replies.computeIfAbsent(new String(reply, StandardCharsets.UTF_8), k -> new LongAdder()).increment();
        } else {
            failures.computeIfAbsent(kindOf(failure), k -> new LongAdder()).increment();
        }
    }

    long issuedCount() {
        return issued.get();
    }

    long repliedCount() {
        return replies.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long failedCount() {
        return failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Requests sent that have neither a reply nor a failure yet. */
    long outstanding() {
        return issuedCount() - repliedCount() - failedCount();
    }

    /** Replies so far by member name, sorted. */
    Map<String, Long> repliesByMember() {
        return snapshot(replies);
    }

    /** Failures so far by kind ("outcome unknown", "timed out", ...), sorted. */
    Map<String, Long> failuresByKind() {
        return snapshot(failures);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((key, count) -> copy.put(key, count.sum()));
        return copy;
    }

    /** The typed failure's kind in words; anything untyped is named by its class. */
    static String kindOf(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return switch (cause) {
            case IridiumException.OutcomeUnknown e -> "outcome unknown";
            case IridiumException.NoMembers e -> "no members";
            case IridiumException.TimedOut e -> "timed out";
            case IridiumException.Overloaded e -> "overloaded";
            case IridiumException.BackPressure e -> "back-pressure";
            case IridiumException.Remote e -> "remote error";
            case IridiumException.Closed e -> "closed";
            default -> "untyped " + cause.getClass().getSimpleName();
        };
    }
}
