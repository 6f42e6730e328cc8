package io.iridium.bench.worker;

import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Entry point of a benchmark child process: {@code Worker SYSTEM ROLE key=value...}, with
 * {@code SYSTEM} one of {@code iridium}, {@code nats}, {@code zmq} or {@code tunnel} and the
 * roles below. Each role builds its {@link Fabric}, reports {@code READY}, runs its part of the
 * workload when the harness says {@code GO}, reports what it measured, and on {@code STOP}
 * reports its peak RSS and exits.
 *
 * <ul>
 *   <li>{@code subscriber}: counts messages; reports {@code WARM} once its warm-up target
 *       arrived and warm-up messages have flowed for {@code warmupMillis} (when given); on
 *       {@code DRAIN} reports {@code DRAINED} once no warm-up message came for
 *       {@value #DRAINED_QUIET_MILLIS} ms; then {@code END received lastArrivalNanos} when all
 *       measured messages arrived (or none came for {@value #IDLE_END_MILLIS} ms).
 *   <li>{@code publisher}: publishes warm-up messages at full speed until {@code GO}, reports
 *       {@code PAUSED}; on {@code MEASURE} reports {@code START nanos} and publishes {@code count}
 *       measured messages.
 *   <li>{@code server}: answers requests.
 *   <li>{@code latency}: sequential requests; reports percentiles in microseconds, and keeps
 *       every round trip in a {@link LatencyTrace} when the environment asks for one.
 *   <li>{@code requests}: {@code outstanding} requests in flight; reports requests/s.
 * </ul>
 *
 * Time stamps are {@link System#nanoTime()}, which on Linux reads the system-wide monotonic clock,
 * so the harness can subtract a publisher's start from a subscriber's last arrival.
 */
public final class Worker {
    static final byte WARMUP = 'W';
    static final byte MEASURED = 'M';
    static final long IDLE_END_MILLIS = 3_000;
    static final long DRAINED_QUIET_MILLIS = 100;

    private Worker() {}

    public static void main(String[] args) throws Exception {
        Control control = new Control(System.out);
        WorkerArgs parsed = WorkerArgs.parse(args);
        try {
            if (parsed.system().equals("tunnel")) {
                TunnelWorker.run(parsed, control);
            } else {
                try (Fabric fabric = fabric(parsed)) {
                    runRole(parsed, fabric, control);
                }
            }
        } catch (Throwable failure) {
            control.report("ERROR " + failure.toString().replace('\n', ' '));
            failure.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static Fabric fabric(WorkerArgs args) throws Exception {
        List<String> peers = args.list("peers");
        String name = args.role() + "-" + ProcessHandle.current().pid();
        return switch (args.system()) {
            case "iridium" -> args.options().containsKey("plaintext")
                    ? IridiumFabric.plaintext((int) args.number("port"), peers, name)
                    : new IridiumFabric(Path.of(args.text("key")), (int) args.number("port"), peers, name);
            case "nats" -> new NatsFabric(args.text("url"), name);
            case "zmq" -> new ZmqFabric(peers, args.number("count", 0), args.number("size", 0));
            default -> throw new IllegalArgumentException("unknown system: " + args.system());
        };
    }

    private static void runRole(WorkerArgs args, Fabric fabric, Control control) throws Exception {
        switch (args.role()) {
            case "subscriber" -> subscriber(args, fabric, control);
            case "publisher" -> publisher(args, fabric, control);
            case "server" -> {
                fabric.serve();
                control.report("READY " + fabric.endpoint());
            }
            case "latency" -> latency(args, fabric, control);
            case "requests" -> requests(args, fabric, control);
            default -> throw new IllegalArgumentException("unknown role: " + args.role());
        }
        control.awaitStopAndReportRss();
    }

    private static void subscriber(WorkerArgs args, Fabric fabric, Control control) throws Exception {
        long count = args.number("count");
        long warmupTarget = args.number("warmup");
        long warmupMillis = args.number("warmupMillis", 0);
        ArrivalCounter counter = new ArrivalCounter(warmupTarget, count);
        fabric.subscribe(counter);
        control.report("READY " + fabric.endpoint());
        if (!counter.awaitWarm(warmupMillis, 120_000 + warmupMillis)) {
            throw new IllegalStateException("the warm-up target did not arrive within " + (120 + warmupMillis / 1000) + " s");
        }
        control.report("WARM");
        if (!control.await("DRAIN", 120_000)) {
            return;
        }
        if (!counter.awaitWarmupDrained(DRAINED_QUIET_MILLIS, 60_000)) {
            throw new IllegalStateException("warm-up messages still arriving after 60 s");
        }
        control.report("DRAINED");
        counter.awaitEnd(IDLE_END_MILLIS);
        control.report("END " + counter.measured() + " " + counter.lastArrivalNanos());
    }

    private static void publisher(WorkerArgs args, Fabric fabric, Control control) throws Exception {
        int size = (int) args.number("size");
        long count = args.number("count");
        byte[] warmup = payload(size, WARMUP);
        byte[] measured = payload(size, MEASURED);
        control.report("READY");
        while (!control.go()) {
            // at full speed, as measured messages go: the JIT compiles the paths a burst takes
            publish(fabric, warmup, 256);
        }
        fabric.flush();
        // the harness waits until every subscriber has drained the warm-up backlog, so that it
        // does not count as measured time
        control.report("PAUSED");
        if (!control.await("MEASURE", 120_000)) {
            return;
        }
        control.report("START " + System.nanoTime());
        publish(fabric, measured, count);
        control.report("DONE " + System.nanoTime());
        String view = fabric.peerView();
        if (!view.isEmpty()) {
            control.report("VIEW " + view);
        }
    }

    /**
     * Publishes {@code message} {@code count} times, then flushes. Warm-up bursts and the measured
     * run call this one method, so the measured run starts in the code the warm-up compiled
     * rather than in a loop of its own that the JIT has yet to see.
     */
    private static void publish(Fabric fabric, byte[] message, long count) throws Exception {
        for (long i = 0; i < count; i++) {
            fabric.publish(message);
        }
        fabric.flush();
    }

    private static void latency(WorkerArgs args, Fabric fabric, Control control) throws Exception {
        int size = (int) args.number("size");
        long count = args.number("count");
        long warmup = args.number("warmup");
        byte[] message = payload(size, MEASURED);
        fabric.awaitServer();
        LatencyTrace trace = LatencyTrace.ifRequested(count);
        roundTrips(fabric, message, warmup, new Histogram(60_000_000_000L, 3), trace); // the same code as measured
        control.report("READY");
        if (!control.await("GO", 600_000)) {
            return;
        }
        Histogram histogram = new Histogram(60_000_000_000L, 3);
        if (trace != null) {
            trace.clear();
        }
        long start = System.nanoTime();
        roundTrips(fabric, message, count, histogram, trace);
        long elapsed = System.nanoTime() - start;
        if (trace != null) {
            trace.write(args.system() + (args.options().containsKey("plaintext") ? "-plaintext" : ""));
        }
        control.report(String.format(java.util.Locale.ROOT,
                "RESULT p50=%.2f p99=%.2f p999=%.2f mean=%.2f max=%.2f rate=%.1f",
                histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
                histogram.getValueAtPercentile(99.9) / 1e3, histogram.getMean() / 1e3,
                histogram.getMaxValue() / 1e3, count * 1e9 / elapsed));
    }

    /** Makes {@code count} sequential requests, recording each round trip (and tracing it, when asked). */
    private static void roundTrips(Fabric fabric, byte[] message, long count, Histogram histogram, LatencyTrace trace)
            throws Exception {
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long sent = System.nanoTime();
            fabric.request(message);
            long roundTrip = System.nanoTime() - sent;
            histogram.recordValue(roundTrip);
            if (trace != null) {
                trace.record(sent - start, roundTrip);
            }
        }
    }

    private static void requests(WorkerArgs args, Fabric fabric, Control control) throws Exception {
        int size = (int) args.number("size");
        long count = args.number("count");
        long warmup = args.number("warmup");
        int outstanding = (int) args.number("outstanding");
        byte[] message = payload(size, MEASURED);
        fabric.awaitServer();
        fabric.pipeline(message, outstanding, warmup);
        control.report("READY");
        if (!control.await("GO", 600_000)) {
            return;
        }
        long start = System.nanoTime();
        fabric.pipeline(message, outstanding, count);
        long elapsed = System.nanoTime() - start;
        control.report(String.format(java.util.Locale.ROOT, "RESULT rate=%.1f", count * 1e9 / elapsed));
    }

    /** A message of {@code size} bytes (at least one) whose first byte tells warm-up from measured. */
    static byte[] payload(int size, byte marker) {
        byte[] payload = new byte[Math.max(1, size)];
        for (int i = 1; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        payload[0] = marker;
        return payload;
    }
}
