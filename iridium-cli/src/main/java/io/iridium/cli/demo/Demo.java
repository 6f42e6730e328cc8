package io.iridium.cli.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The demonstration that {@code iridium demo} runs: a sequence of {@link DemoAct acts} played on
 * one {@link DemoNetwork} of real nodes in this process.
 *
 * <pre>
 *   header ─▶ 1 five nodes find each other ─▶ 2 a node crashes ─▶ 3 requests spread over databases
 *          ─▶ 4 a broadcast ─▶ 5 a wildcard subscription ─▶ 6 a tunnel carries a file
 *          ─▶ 7 a member crashes under load ─▶ close all ─▶ footer
 *          (each act: title, introduction, perform, or fail at its deadline)
 * </pre>
 *
 * <p>{@link #run(PrintWriter)} returns normally when every act showed what it set out to show,
 * and throws {@link DemoFailedException} naming the act that did not. Either way every node is
 * closed before it returns. Not thread-safe: run one demo at a time per instance.
 */
public final class Demo {

    /** How many nodes the standard demonstration runs. */
    public static final int NODE_COUNT = 5;

    private final List<DemoAct> acts;
    private final Duration actDeadline;

    private Demo(List<DemoAct> acts, Duration actDeadline) {
        this.acts = List.copyOf(acts);
        this.actDeadline = Objects.requireNonNull(actDeadline, "actDeadline");
        if (actDeadline.isNegative() || actDeadline.isZero()) {
            throw new IllegalArgumentException("the deadline of an act must be positive, got " + actDeadline);
        }
    }

    /**
     * The standard tour: five nodes converge, one crashes and is detected; then three serve the
     * cluster {@code databases} (requests spread, a broadcast, a wildcard subscription, a tunnel
     * carrying a file) and one of them crashes under load.
     */
    public static Demo standard(Duration actDeadline) {
        return new Demo(List.of(
                new FormNetworkAct(NODE_COUNT),
                new CrashDetectionAct(),
                new RequestSpreadAct(),
                new BroadcastAct(),
                new WildcardSubscriptionAct(),
                new TunnelTransferAct(),
                new CrashUnderLoadAct(),
                new AdCounterAct(),
                new RaftAct()), actDeadline);
    }

    /**
     * Plays every act, narrating to {@code out}.
     *
     * @throws DemoFailedException when an act's deadline passes before it could show its point
     */
    public void run(PrintWriter out) throws InterruptedException {
        out.println("Iridium demo");
        out.println("============");
        out.println("This runs " + NODE_COUNT + " Iridium nodes inside this one process. They talk as separate");
        out.println("machines would, over real sockets on 127.0.0.1: membership datagrams sealed with");
        out.println("a key derived from the network key, and TLS connections authenticated by it. The");
        out.println("key is generated for this run only, so these nodes can never meet another network.");
        out.println("Each act has " + actDeadline.toSeconds() + " s to show its point.");
        out.flush();

        long started = System.nanoTime();
        try (DemoNetwork network = DemoNetwork.create()) {
            DemoStage stage = new DemoStage(network, out, actDeadline);
            int number = 0;
            for (DemoAct act : acts) {
                number++;
                stage.print("");
                String heading = "Act " + number + ": " + act.title();
                stage.print(heading);
                stage.print("-".repeat(heading.length()));
                act.introduction().forEach(stage::print);
                stage.print("");
                try {
                    act.perform(stage);
                } catch (DemoFailedException e) {
                    throw new DemoFailedException("act " + number + " (" + act.title() + ") failed: " + e.getMessage());
                }
            }
            stage.print("");
            stage.print("Closing the remaining nodes: each tells the others that it is leaving.");
        }
        out.println(String.format(java.util.Locale.ROOT, "Done in %.1f s.", (System.nanoTime() - started) / 1e9));
        out.println();
        out.println("Next: run `iridium node --dev` in two terminals and watch them find each other,");
        out.println("then `iridium status` in a third to see the members as a table. From the shell:");
        out.println("`iridium serve --dev echo` in one terminal, `iridium request --dev echo hello` in another.");
        out.flush();
    }
}
