package io.iridium.bench.jmh;

import io.iridium.relay.wire.ByteArraySink;
import io.iridium.relay.wire.ClientFrame;
import io.iridium.relay.wire.ClientFrames;
import io.iridium.relay.wire.Protocol;
import io.iridium.relay.wire.RelayDecoder;
import io.iridium.relay.wire.RelayEncoder;
import io.iridium.relay.wire.RelayProtocolException;
import io.iridium.relay.wire.WireLimits;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The relay's client protocol codec (Iris's relay wire format) on its steady-state paths: encoding
 * a {@code Publish} and a {@code Request} into a reused sink, and decoding a {@code Publish} from a
 * connection whose handshake is done, as the relay does for every packet a client sends.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RelayCodecBenchmark {

    @Param({"16", "1024"})
    public int size;

    private final ByteArraySink sink = new ByteArraySink(4096);
    private ClientFrame.Publish publish;
    private ClientFrame.Request request;
    private byte[] publishPacket;
    private RelayDecoder<ClientFrame> decoder;

    @Setup(Level.Trial)
    public void setUp() throws RelayProtocolException {
        byte[] body = new byte[size];
        publish = new ClientFrame.Publish("bench.events", body);
        request = new ClientFrame.Request(42, "bench", body, 30_000);
        ByteArraySink packet = new ByteArraySink(size + 64);
        RelayEncoder.encode(publish, packet);
        publishPacket = packet.toByteArray();

        decoder = ClientFrames.decoder(WireLimits.DEFAULT);
        ByteArraySink init = new ByteArraySink(64);
        RelayEncoder.encode(new ClientFrame.Init(Protocol.CLIENT_MAGIC, Protocol.VERSION, "bench"), init);
        decoder.feed(init.toByteArray());
        if (!(decoder.next() instanceof ClientFrame.Init)) {
            throw new IllegalStateException("the relay decoder did not accept the handshake");
        }
    }

    @Benchmark
    public int encodePublish() {
        sink.reset();
        RelayEncoder.encode(publish, sink);
        return sink.size();
    }

    @Benchmark
    public int encodeRequest() {
        sink.reset();
        RelayEncoder.encode(request, sink);
        return sink.size();
    }

    @Benchmark
    public ClientFrame decodePublish() throws RelayProtocolException {
        decoder.feed(publishPacket);
        return decoder.next();
    }
}
