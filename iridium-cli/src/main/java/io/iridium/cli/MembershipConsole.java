package io.iridium.cli;

import io.iridium.Member;
import io.iridium.MembershipEvent;
import io.iridium.MembershipListener;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Prints membership changes as readable lines, one per event, for {@code iridium node}:
 *
 * <pre>
 * 12:01:02.123  joined     node-b (04d2e817) at 127.0.0.1:7947
 * 12:01:09.871  suspected  node-b (04d2e817) at 127.0.0.1:7947 — a probe went unanswered
 * 12:01:12.004  failed     node-b (04d2e817) at 127.0.0.1:7947 — declared dead
 * </pre>
 *
 * <p>Listeners run on the node's protocol thread and must not block, so the listener only
 * formats the line and hands it to one printing thread, which keeps the events' order.
 */
final class MembershipConsole implements MembershipListener, AutoCloseable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final PrintWriter out;
    private final Clock clock;
    private final ExecutorService printer = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "iridium-membership-console");
        thread.setDaemon(true);
        return thread;
    });

    MembershipConsole(PrintWriter out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void onEvent(MembershipEvent event) {
        String line = LocalTime.now(clock).format(TIME) + "  " + describe(event);
        printer.execute(() -> {
            out.println(line);
            out.flush();
        });
    }

    /** One event in words, without a timestamp. */
    static String describe(MembershipEvent event) {
        return switch (event) {
            case MembershipEvent.Joined joined -> "joined     " + who(joined.member());
            case MembershipEvent.Suspected suspected ->
                    "suspected  " + who(suspected.member()) + " - a probe went unanswered";
            case MembershipEvent.Alive alive ->
                    "alive      " + who(alive.member()) + " - refuted suspicion (incarnation "
                            + alive.member().incarnation() + ")";
            case MembershipEvent.Failed failed -> "failed     " + who(failed.member()) + " - declared dead";
            case MembershipEvent.Left left -> "left       " + who(left.member());
        };
    }

    /** {@code name (short id) at host:port}. */
    static String who(Member member) {
        return member.name() + " (" + member.id() + ") at " + member.address();
    }

    /** Prints what is queued, then stops the printing thread. */
    @Override
    public void close() {
        printer.shutdown();
        try {
            printer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
