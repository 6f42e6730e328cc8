package io.iridium.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One invocation of the harness: which workload, against which peers, how big and how often.
 *
 * @param workload   what to measure
 * @param peers      the peers to run beside Iridium (the tunnel workload always compares with
 *                   {@link Contender#TLS} and ignores this)
 * @param size       message size in bytes
 * @param count      measured messages (requests, transfers' messages) per run
 * @param runs       runs per system; the table shows their median, minimum and maximum
 * @param tls        the Iridium rows: with TLS, without (dev-mode plaintext), or both
 * @param natsServer the {@code nats-server} binary; empty to look for it on the PATH
 * @param natsUrl    a {@code nats-server} already running on 127.0.0.1 (as {@code bin/bench}
 *                   starts one), to use instead of starting one; empty to start one
 * @param natsPid    that server's process id, to report its peak RSS; 0 when unknown
 * @param warmupMillis how long, at least, publishers of the pub/sub and fan-out workloads send
 *                   warm-up messages at full speed before a measured run, and the tunnel
 *                   workload's client through each system before the runs (and at least as many
 *                   messages as a run measures): until the JIT has compiled each system's paths,
 *                   so that runs measure steady state; 0 for the message count alone
 */
public record BenchOptions(
        Workload workload, List<Contender> peers, int size, long count, int runs, TlsMode tls,
        Optional<Path> natsServer, Optional<String> natsUrl, long natsPid, long warmupMillis) {

    /** The pub/sub warm-up's time floor unless told otherwise: {@value} ms. */
    public static final long DEFAULT_WARMUP_MILLIS = 5_000;

    /** With the default warm-up floor. */
    public BenchOptions(Workload workload, List<Contender> peers, int size, long count, int runs, TlsMode tls,
                        Optional<Path> natsServer, Optional<String> natsUrl, long natsPid) {
        this(workload, peers, size, count, runs, tls, natsServer, natsUrl, natsPid, DEFAULT_WARMUP_MILLIS);
    }

    public BenchOptions {
        Objects.requireNonNull(workload, "workload");
        peers = List.copyOf(peers);
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(natsServer, "natsServer");
        if (workload == Workload.TUNNEL && tls != TlsMode.ON) {
            throw new IllegalArgumentException("the tunnel workload compares a TLS tunnel with a raw TLS socket: "
                    + "it runs with --tls on only");
        }
        Objects.requireNonNull(natsUrl, "natsUrl");
        natsUrl.ifPresent(url -> {
            if (!url.matches("nats://127\\.0\\.0\\.1:\\d+")) {
                throw new IllegalArgumentException("--nats-url must be nats://127.0.0.1:PORT (the benchmark stays on loopback), got " + url);
            }
        });
        if (peers.contains(Contender.IRIDIUM)) {
            throw new IllegalArgumentException("Iridium always runs; peers are nats and zmq");
        }
        if (size < 1 || size > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("--size must be between 1 byte and 16 MiB, got " + size);
        }
        if (count < 1) {
            throw new IllegalArgumentException("--count must be positive, got " + count);
        }
        if (runs < 1 || runs > 99) {
            throw new IllegalArgumentException("--runs must be between 1 and 99, got " + runs);
        }
        if (warmupMillis < 0 || warmupMillis > 600_000) {
            throw new IllegalArgumentException("--warmup-seconds must be between 0 and 600, got " + warmupMillis / 1000.0);
        }
    }

    /** The defaults for {@code workload}, against {@code peers}. */
    public static BenchOptions defaults(Workload workload, List<Contender> peers) {
        return new BenchOptions(workload, peers, workload.defaultSize(), workload.defaultCount(workload.defaultSize()),
                3, TlsMode.ON, Optional.empty(), Optional.empty(), 0);
    }

    /** The peers as a {@code --vs} value names them: {@code nats}, {@code zmq}, {@code all} or {@code none}. */
    public static List<Contender> parsePeers(String vs) {
        return switch (vs.toLowerCase(java.util.Locale.ROOT)) {
            case "nats" -> List.of(Contender.NATS);
            case "zmq", "zeromq" -> List.of(Contender.ZMQ);
            case "all" -> List.of(Contender.NATS, Contender.ZMQ);
            case "none" -> List.of();
            default -> throw new IllegalArgumentException("--vs must be nats, zmq, all or none, got '" + vs + "'");
        };
    }

    /** The systems measured, Iridium first. */
    public List<Contender> contenders() {
        if (workload == Workload.TUNNEL) {
            return List.of(Contender.IRIDIUM, Contender.TLS);
        }
        List<Contender> iridium = switch (tls) {
            case ON -> List.of(Contender.IRIDIUM);
            case OFF -> List.of(Contender.IRIDIUM_PLAINTEXT);
            case BOTH -> List.of(Contender.IRIDIUM, Contender.IRIDIUM_PLAINTEXT);
        };
        return java.util.stream.Stream.concat(iridium.stream(), peers.stream()).toList();
    }

    /** The Iridium row the ratios are computed from: with TLS unless {@code --tls off}. */
    public Contender iridium() {
        return tls == TlsMode.OFF ? Contender.IRIDIUM_PLAINTEXT : Contender.IRIDIUM;
    }
}
