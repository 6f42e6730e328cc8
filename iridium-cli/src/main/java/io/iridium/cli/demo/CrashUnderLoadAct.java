package io.iridium.cli.demo;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Act: a steady load of requests runs against {@code databases} while one member crashes.
 *
 * <pre>
 *   load on ─▶ {@value #BEFORE_CRASH} replies ─▶ crash member ─▶ client stops routing to it
 *           ─▶ {@value #AFTER_DETECTION} more replies ─▶ load off ─▶ drain ─▶ count outcomes
 * </pre>
 *
 * <p>The client sends {@value #RATE_PER_SECOND} requests a second (at most {@value #IN_FLIGHT}
 * outstanding). Requests the victim held when it died fail as outcome-unknown once the client
 * learns of the death (never silently re-run elsewhere); requests sent later go to the
 * survivors. Every number printed is counted from the outcomes; the act checks that the sum of
 * replies and typed failures equals the requests sent, and fails if any request is still
 * without an outcome at the deadline.
 */
final class CrashUnderLoadAct implements DemoAct {

    private static final int RATE_PER_SECOND = 400;
    private static final int IN_FLIGHT = 32;
    private static final int BEFORE_CRASH = 100;
    private static final int AFTER_DETECTION = 200;

    @Override
    public String title() {
        return "A member crashes mid-load; requests carry on";
    }

    @Override
    public List<String> introduction() {
        return List.of(
                "The last node sends " + RATE_PER_SECOND + " requests a second to \"databases\" while one member",
                "crashes. A request the dead member held cannot be known to have run or not: it fails",
                "as \"outcome unknown\" and is never re-sent behind the caller's back. A request a member",
                "refused before running it is retried elsewhere. Once the failure is detected, the",
                "load goes to the survivors only. Every request must end in a reply or a typed failure.");
    }

    @Override
    public void perform(DemoStage stage) throws InterruptedException {
        DemoNetwork network = stage.network();
        List<DemoNode> live = network.live();
        DemoNode client = live.get(live.size() - 1);
        List<DemoNode> members = network.databases().members().stream().filter(node -> !node.crashed()).toList();
        DemoNode victim = members.get(members.size() - 1);
        RequestLoad load = new RequestLoad(client, DatabaseCluster.NAME, IN_FLIGHT, stage.deadline());
        RequestTally tally = load.tally();
        long interval = TimeUnit.SECONDS.toNanos(1) / RATE_PER_SECOND;

        stage.markTime();
        stage.narrateTimed(client.name() + " starts the load");
        long deadline = stage.deadlineFromNow();
        long next = System.nanoTime();
        Map<String, Long> atCrash = null;
        long repliesAtDetection = -1;
        int sequence = 0;
        while (repliesAtDetection < 0 || tally.repliedCount() - repliesAtDetection < AFTER_DETECTION) {
            if (System.nanoTime() - deadline >= 0) {
                throw new DemoFailedException(atCrash == null ? "the load did not get going"
                        : client.name() + " still routed to the crashed " + victim.name() + " at the deadline");
            }
            if (atCrash == null && tally.repliedCount() >= BEFORE_CRASH) {
                atCrash = tally.repliesByMember();
                victim.crash();
                stage.narrateTimed("crashed " + victim.name() + " after " + tally.repliedCount() + " replies, with "
                        + tally.outstanding() + " requests outstanding");
            }
            if (atCrash != null && repliesAtDetection < 0 && !routesTo(client, victim)) {
                repliesAtDetection = tally.repliedCount();
                long meanwhile = repliesAtDetection - atCrash.values().stream().mapToLong(Long::longValue).sum();
                stage.narrateTimed(client.name() + " learned that " + victim.name() + " failed and routes around it;"
                        + " meanwhile " + meanwhile + " replies came from the survivors and " + tally.failedCount()
                        + " requests failed");
            }
            long now = System.nanoTime();
            if (next - now > 0) {
                LockSupport.parkNanos(next - now);
            } else if (now - next > interval) {
                next = now; // the load stalled (every slot taken): resume the pace, do not burst to catch up
            }
            next += interval;
            if (!load.send(("order " + sequence++).getBytes(StandardCharsets.UTF_8), deadline)) {
                throw new DemoFailedException(tally.outstanding() + " requests stopped ending");
            }
        }
        stage.narrateTimed("load stopped after " + tally.issuedCount() + " requests; waiting for the "
                + tally.outstanding() + " still outstanding");
        if (!load.awaitDrained(stage.deadlineFromNow())) {
            throw new DemoFailedException(tally.outstanding() + " of " + tally.issuedCount()
                    + " requests had neither a reply nor a typed failure by the deadline");
        }
        report(stage, tally, atCrash, victim);
    }

    private static boolean routesTo(DemoNode client, DemoNode member) {
        return client.runtime().routes().membersOf(DatabaseCluster.NAME).stream()
                .anyMatch(route -> route.node().equals(member.id()));
    }

    private static void report(DemoStage stage, RequestTally tally, Map<String, Long> atCrash, DemoNode victim) {
        Map<String, Long> replies = tally.repliesByMember();
        Map<String, Long> failures = tally.failuresByKind();
        stage.narrate("");
        stage.narrate(String.format(Locale.ROOT, "  %-8s  %12s  %11s", "member", "before crash", "after crash"));
        for (Map.Entry<String, Long> member : replies.entrySet()) {
            long before = atCrash.getOrDefault(member.getKey(), 0L);
            stage.narrate(String.format(Locale.ROOT, "  %-8s  %12d  %11d%s", member.getKey(), before,
                    member.getValue() - before, member.getKey().equals(victim.name()) ? "  (crashed)" : ""));
        }
        stage.narrate("");
        stage.narrate(String.format(Locale.ROOT, "  %6d requests sent", tally.issuedCount()));
        stage.narrate(String.format(Locale.ROOT, "  %6d succeeded (a reply)", tally.repliedCount()));
        stage.narrate(String.format(Locale.ROOT, "  %6d failed as outcome unknown", failures.getOrDefault("outcome unknown", 0L)));
        failures.forEach((kind, count) -> {
            if (!kind.equals("outcome unknown")) {
                stage.narrate(String.format(Locale.ROOT, "  %6d failed as %s", count, kind));
            }
        });
        long accounted = tally.repliedCount() + tally.failedCount();
        stage.narrate("");
        stage.narrate(accounted == tally.issuedCount()
                ? "None was lost silently: " + tally.repliedCount() + " replies + " + tally.failedCount()
                        + " typed failures = " + accounted + " requests sent."
                : "MISMATCH: " + accounted + " outcomes for " + tally.issuedCount() + " requests sent.");
        if (accounted != tally.issuedCount()) {
            throw new DemoFailedException(accounted + " outcomes for " + tally.issuedCount() + " requests sent");
        }
    }
}
