package io.iridium.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The messaging layer's meters: messages and bytes by pattern and direction, drops, refusals and
 * each typed failure. Nothing is dropped without a count here.
 */
final class MessagingMetrics {
    /** The message patterns counted separately. */
    enum Kind {
        REQUEST, REPLY, BROADCAST, PUBLISH, TUNNEL;

        final String tag = name().toLowerCase(java.util.Locale.ROOT);
    }

    static final Kind REQUEST = Kind.REQUEST;
    static final Kind REPLY = Kind.REPLY;
    static final Kind BROADCAST = Kind.BROADCAST;
    static final Kind PUBLISH = Kind.PUBLISH;
    static final Kind TUNNEL = Kind.TUNNEL;

    private final Counter[] messagesOut = new Counter[Kind.values().length];
    private final Counter[] bytesOut = new Counter[Kind.values().length];
    private final Counter[] messagesIn = new Counter[Kind.values().length];
    private final Counter[] bytesIn = new Counter[Kind.values().length];
    private final Counter[] drops = new Counter[Kind.values().length];
    private final MeterRegistry registry;
    final Counter requestsSent;
    final Counter timeouts;
    final Counter outcomeUnknown;
    final Counter remoteErrors;
    final Counter noMembers;
    final Counter overloaded;
    final Counter refusals;
    final Counter refusedLocally;
    final Counter expired;
    final Counter lateReplies;
    final Counter backPressure;

    MessagingMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Kind kind : Kind.values()) {
            int i = kind.ordinal();
            messagesOut[i] = Counter.builder("iridium.messages").tag("pattern", kind.tag).tag("direction", "out").register(registry);
            messagesIn[i] = Counter.builder("iridium.messages").tag("pattern", kind.tag).tag("direction", "in").register(registry);
            bytesOut[i] = Counter.builder("iridium.message.bytes").baseUnit("bytes").tag("pattern", kind.tag).tag("direction", "out").register(registry);
            bytesIn[i] = Counter.builder("iridium.message.bytes").baseUnit("bytes").tag("pattern", kind.tag).tag("direction", "in").register(registry);
            drops[i] = Counter.builder("iridium.messages.dropped").tag("pattern", kind.tag)
                    .description("Broadcasts and events dropped: no such service or subscription here, or over its limits")
                    .register(registry);
        }
        requestsSent = Counter.builder("iridium.requests").description("Requests sent").register(registry);
        timeouts = failure("timed_out");
        outcomeUnknown = failure("outcome_unknown");
        remoteErrors = failure("remote_error");
        noMembers = failure("no_members");
        overloaded = failure("overloaded");
        refusals = Counter.builder("iridium.requests.refused").description("Refusals received: a member did not run a request (retried elsewhere)").register(registry);
        refusedLocally = Counter.builder("iridium.requests.refused.local").description("Requests this node refused, over a service's limits").register(registry);
        expired = Counter.builder("iridium.requests.expired").description("Requests not run because their deadline had passed").register(registry);
        lateReplies = Counter.builder("iridium.replies.late").description("Replies that arrived after their request ended").register(registry);
        backPressure = Counter.builder("iridium.messages.backpressure").description("Messages refused because a peer's outbound queue was full").register(registry);
    }

    private Counter failure(String kind) {
        return Counter.builder("iridium.requests.failed").tag("reason", kind).description("Requests that ended in a typed failure").register(registry);
    }

    void bytesOut(Kind kind, int bytes) {
        messagesOut[kind.ordinal()].increment();
        bytesOut[kind.ordinal()].increment(bytes);
    }

    void bytesIn(Kind kind, int bytes) {
        messagesIn[kind.ordinal()].increment();
        bytesIn[kind.ordinal()].increment(bytes);
    }

    /** {@code messages} received at once, {@code bytes} in all: two counter updates, not two per message. */
    void bytesIn(Kind kind, int messages, long bytes) {
        messagesIn[kind.ordinal()].increment(messages);
        bytesIn[kind.ordinal()].increment(bytes);
    }

    void dropped(Kind kind) {
        drops[kind.ordinal()].increment();
    }
}
