package io.iridium.cli.demo;

import io.iridium.Member;
import io.iridium.MembershipEvent;
import io.iridium.NodeId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Act: crash the last node and watch the survivors detect it.
 *
 * <p>The victim stops without a word ({@code NodeRuntime.crash()}). The act prints every
 * Suspected and Failed event the survivors report about it, with its time since the crash, and
 * ends when every survivor has declared it failed and dropped it from its live view. It then
 * prints a table of when each survivor suspected and condemned the victim. Events about other
 * members (a false suspicion on a busy machine) are printed as notes, not failures.
 */
final class CrashDetectionAct implements DemoAct {

    private static final long RECHECK_MILLIS = 100;

    @Override
    public String title() {
        return "A node crashes; the others notice";
    }

    @Override
    public List<String> introduction() {
        return List.of(
                "Now the last node stops dead: no goodbye, its sockets just close, as when a",
                "machine loses power. Every node probes a random peer each protocol period; when a",
                "probe goes unanswered, it asks other nodes to probe indirectly, and if they fail",
                "too it marks the target SUSPECT. The suspect has a while to refute; when the",
                "suspicion times out, the member is declared DEAD (failed) and dropped from the",
                "live view. Both verdicts spread by gossip, so every node learns them quickly.");
    }

    @Override
    public void perform(DemoStage stage) throws InterruptedException {
        DemoNetwork network = stage.network();
        List<DemoNode> live = network.live();
        DemoNode victim = live.get(live.size() - 1);
        List<DemoNode> survivors = live.subList(0, live.size() - 1);
        NodeId victimId = victim.id();

        network.discardObservations();
        stage.markTime();
        victim.crash();
        stage.narrateTimed("crashed " + victim.name() + " (" + victimId + ")");

        Map<DemoNode, Long> suspectedAt = new LinkedHashMap<>();
        Map<DemoNode, Long> failedAt = new LinkedHashMap<>();
        long deadline = stage.deadlineFromNow();
        while (!detectedByAll(survivors, failedAt, victimId)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new DemoFailedException("the crash of " + victim.name() + " was not detected by every other node within "
                        + stage.deadline().toSeconds() + " s: " + verdicts(survivors, failedAt, victimId));
            }
            Observation seen = network.nextObservation(
                    Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, RECHECK_MILLIS), TimeUnit.MILLISECONDS);
            if (seen == null || seen.observer().crashed()) {
                continue;
            }
            Member member = seen.event().member();
            String about = network.nameOf(member);
            if (!member.id().equals(victimId)) {
                stage.narrateAt(seen.atNanos(), "(note: " + seen.observer().name() + " reports " + about + " "
                        + describe(seen.event()) + ")");
                continue;
            }
            switch (seen.event()) {
                case MembershipEvent.Suspected suspected -> {
                    suspectedAt.putIfAbsent(seen.observer(), seen.atNanos());
                    stage.narrateAt(seen.atNanos(), seen.observer().name() + " suspects " + about);
                }
                case MembershipEvent.Failed failed -> {
                    failedAt.putIfAbsent(seen.observer(), seen.atNanos());
                    stage.narrateAt(seen.atNanos(), seen.observer().name() + " declares " + about + " failed");
                }
                default -> stage.narrateAt(seen.atNanos(), seen.observer().name() + " reports " + about + " "
                        + describe(seen.event()));
            }
        }

        stage.narrate("");
        stage.narrate("Every other node declared " + victim.name() + " failed and dropped it, within " + stage.sinceMark()
                + " of the crash:");
        stage.narrate("");
        stage.narrate(String.format(Locale.ROOT, "  %-8s  %-10s  %-10s  %s", "node", "suspected", "failed", "live view"));
        for (DemoNode survivor : survivors) {
            Long suspected = suspectedAt.get(survivor);
            stage.narrate(String.format(Locale.ROOT, "  %-8s  %-10s  %-10s  %d members", survivor.name(),
                    suspected == null ? "-" : stage.elapsed(suspected), stage.elapsed(failedAt.get(survivor)),
                    survivor.liveView().size()));
        }
        if (suspectedAt.size() < survivors.size()) {
            stage.narrate("");
            stage.narrate("(\"-\": that node heard the verdict by gossip before it saw a suspicion.)");
        }
    }

    private static boolean detectedByAll(List<DemoNode> survivors, Map<DemoNode, Long> failedAt, NodeId victimId) {
        for (DemoNode survivor : survivors) {
            if (!failedAt.containsKey(survivor) || inLiveView(survivor, victimId)) {
                return false;
            }
        }
        return true;
    }

    private static boolean inLiveView(DemoNode node, NodeId id) {
        return node.liveView().stream().anyMatch(member -> member.id().equals(id));
    }

    private static String verdicts(List<DemoNode> survivors, Map<DemoNode, Long> failedAt, NodeId victimId) {
        return survivors.stream()
                .map(survivor -> survivor.name() + (failedAt.containsKey(survivor) ? " declared it failed" : " did not declare it failed")
                        + (inLiveView(survivor, victimId) ? " and still counts it live" : ""))
                .collect(Collectors.joining("; "));
    }

    private static String describe(MembershipEvent event) {
        return switch (event) {
            case MembershipEvent.Joined joined -> "joined";
            case MembershipEvent.Suspected suspected -> "suspected";
            case MembershipEvent.Alive alive -> "alive again";
            case MembershipEvent.Failed failed -> "failed";
            case MembershipEvent.Left left -> "left";
        };
    }
}
