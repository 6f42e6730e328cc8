package io.iridium.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The data-plane frame codec on the steady-state publish and request paths: encoding a
 * {@code Publish}, {@code Request} and {@code Reply} into a reused pooled buffer exactly as
 * {@link FrameEncoder} lays a frame out (length placeholder, type byte, body, length patched), and
 * decoding such frames with {@link FrameDecoder}. Run with the GC profiler: B/op beyond the
 * payload is the codec's own per-message allocation. A decoded publish's body lies in a recycled
 * {@link BodySlab}; the benchmark releases its hold as a reader does once it has read the event,
 * so that the slab goes back to the pool when full and the steady state allocates no body.
 *
 * <p>It lives in {@code io.iridium.wire} (in the bench module, on the class path) because the
 * codec table is package-private.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBenchmark {

    @Param({"16", "1024"})
    public int size;

    private WireMessage.Publish publish;
    private WireMessage.Request request;
    private WireMessage.Reply reply;
    private ByteBuf buffer;
    private ByteBuf publishFrame;
    private ByteBuf requestFrame;
    private final FrameDecoder decoder = new FrameDecoder(16 << 20);
    private final List<Object> decoded = new ArrayList<>(1);

    @Setup(Level.Trial)
    public void setUp() {
        byte[] body = new byte[size];
        publish = new WireMessage.Publish("bench.events", body);
        request = new WireMessage.Request(42, "bench", 30_000, body);
        reply = new WireMessage.Reply(42, body);
        buffer = PooledByteBufAllocator.DEFAULT.directBuffer(size + 256);
        publishFrame = PooledByteBufAllocator.DEFAULT.directBuffer(size + 256);
        frame(publish, publishFrame);
        requestFrame = PooledByteBufAllocator.DEFAULT.directBuffer(size + 256);
        frame(request, requestFrame);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        buffer.release();
        publishFrame.release();
        requestFrame.release();
    }

    private static void frame(WireMessage message, ByteBuf out) {
        int start = out.writerIndex();
        out.writeInt(0);
        MessageCodecs.encode(message, out);
        out.setInt(start, out.writerIndex() - start - FrameDecoder.LENGTH_FIELD_BYTES);
    }

    @Benchmark
    public int encodePublish() {
        buffer.clear();
        frame(publish, buffer);
        return buffer.writerIndex();
    }

    @Benchmark
    public int encodeRequest() {
        buffer.clear();
        frame(request, buffer);
        return buffer.writerIndex();
    }

    @Benchmark
    public int encodeReply() {
        buffer.clear();
        frame(reply, buffer);
        return buffer.writerIndex();
    }

    @Benchmark
    public Object decodePublish() {
        WireMessage.Publish decoded = (WireMessage.Publish) decodeOne(publishFrame);
        if (decoded.slab() != null) {
            decoded.slab().release(1);
        }
        return decoded;
    }

    @Benchmark
    public Object decodeRequest() {
        return decodeOne(requestFrame);
    }

    private Object decodeOne(ByteBuf frame) {
        frame.readerIndex(0);
        decoded.clear();
        decoder.decode(null, frame, decoded);
        return decoded.get(0);
    }
}
