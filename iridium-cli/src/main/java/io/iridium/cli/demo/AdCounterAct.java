package io.iridium.cli.demo;

import io.iridium.data.demo.AdCounterScenario;
import java.util.List;

/**
 * The replicated-data act: a global ad-impression counter on five replicas counting
 * concurrently, split by a partition in the middle, with skewed clocks — counted three ways side
 * by side (a CRDT counter, a last-writer-wins register, a read-modify-write counter without
 * coordination). It runs the real replicator cores ({@code io.iridium.data.replication}) on an
 * in-process network in virtual time, because an exact partition between sockets on one machine
 * needs network namespaces; the numbers printed are measured in this run, never fixed.
 */
final class AdCounterAct implements DemoAct {

    @Override
    public String title() {
        return "Replicated data: counting ad impressions through a partition";
    }

    @Override
    public List<String> introduction() {
        return List.of(
                "Five replicas count ad impressions at the same time for 30 s (virtual time), on clocks",
                "that disagree by up to 2 s; from 10 s to 20 s a partition cuts two of them off.",
                "The same impressions are counted three ways: a CRDT counter (each replica counts locally),",
                "a last-writer-wins register holding the count, and read-modify-write at majority, unlocked.");
    }

    @Override
    public void perform(DemoStage stage) {
        stage.markTime();
        AdCounterScenario.Result result = AdCounterScenario.run(AdCounterScenario.Settings.standard(System.nanoTime()));
        stage.narrateTimed("ran the scenario (" + result.bytesSent() / 1024 + " KiB of replication traffic)");
        stage.print(String.format("  %-30s %12s %12s %12s", "", "counted", "lost", "refused"));
        stage.print(String.format("  %-30s %12d %12s %12s", "true impressions", result.impressions(), "", ""));
        stage.print(String.format("  %-30s %12d %12d %12d", "CRDT counter (every replica)",
                result.crdtValues().get(0), result.impressions() - result.crdtValues().get(0), result.crdtRefused()));
        stage.print(String.format("  %-30s %12d %12d %12d", "LWW register", result.lwwValue(), result.lwwLost(), 0));
        stage.print(String.format("  %-30s %12d %12d %12d", "read-modify-write (majority)", result.rmwValue(),
                result.rmwLost(), result.rmwRefused()));
        boolean allExact = result.crdtValues().stream().allMatch(value -> value == result.impressions());
        stage.narrate("every replica's CRDT counter " + (allExact ? "is exact" : "is NOT exact: " + result.crdtValues())
                + (result.crdtConvergedMillis() >= 0
                        ? ", " + result.crdtConvergedMillis() + " ms after the last impression" : ""));
        stage.narrate("the LWW register kept one writer's history at a time; read-modify-write lost races"
                + " and the cut-off side could not count at all");
    }
}
