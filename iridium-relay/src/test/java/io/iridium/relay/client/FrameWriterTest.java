package io.iridium.relay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.iridium.relay.wire.ClientFrame;
import io.iridium.relay.wire.ClientFrames;
import io.iridium.relay.wire.Protocol;
import io.iridium.relay.wire.RelayDecoder;
import io.iridium.relay.wire.RelayProtocolException;
import io.iridium.relay.wire.WireLimits;
import io.iridium.runtime.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@link FrameWriter}: who writes a packet, that concurrent packets never interleave or reorder, and close and failure. */
class FrameWriterTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** An output stream that records what was written and by which threads. */
    private static final class RecordingStream extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Set<Thread> writers = ConcurrentHashMap.newKeySet();
        volatile IOException failure;

        @Override
        public synchronized void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] source, int offset, int length) throws IOException {
            if (failure != null) {
                throw failure;
            }
            writers.add(Thread.currentThread());
            bytes.write(source, offset, length);
        }

        synchronized byte[] written() {
            return bytes.toByteArray();
        }
    }

    private static List<ClientFrame> decode(byte[] bytes) throws RelayProtocolException {
        RelayDecoder<ClientFrame> decoder = ClientFrames.decoder(WireLimits.DEFAULT);
        decoder.feed(bytes);
        List<ClientFrame> frames = new ArrayList<>();
        ClientFrame frame;
        while ((frame = decoder.next()) != null) {
            frames.add(frame);
        }
        assertThat(decoder.buffered()).as("no partial packet left").isZero();
        return frames;
    }

    /** How many whole packets were written so far. */
    private static int packets(RecordingStream out) {
        RelayDecoder<ClientFrame> decoder = ClientFrames.decoder(WireLimits.DEFAULT);
        decoder.feed(out.written());
        int count = 0;
        try {
            while (decoder.next() != null) {
                count++;
            }
        } catch (RelayProtocolException e) {
            throw new AssertionError(e);
        }
        return count;
    }

    private static ClientFrame.Init init() {
        return new ClientFrame.Init(Protocol.CLIENT_MAGIC, Protocol.VERSION, "");
    }

    @Test
    void aPacketWrittenNowGoesOutOnTheCallersThread() throws Exception {
        RecordingStream out = new RecordingStream();
        FrameWriter writer = new FrameWriter(out);
        writer.write(init(), true);
        writer.write(new ClientFrame.Request(0, "echo", new byte[] {1, 2}, 1_000), true);

        assertThat(out.writers).containsExactly(Thread.currentThread());
        assertThat(decode(out.written())).hasSize(2).last().isInstanceOf(ClientFrame.Request.class);
        writer.close();
    }

    @Test
    void aPacketNotWrittenNowIsSentByTheWriterThreadInOrder() throws Exception {
        RecordingStream out = new RecordingStream();
        FrameWriter writer = new FrameWriter(out);
        writer.write(init(), true);
        for (int i = 0; i < 1_000; i++) {
            writer.write(new ClientFrame.Publish("topic", new byte[] {(byte) i}), false);
        }
        Eventually.await(WAIT, "every packet written", () -> packets(out) == 1_001);
        assertThat(out.writers).hasSizeGreaterThan(1);

        List<ClientFrame> frames = decode(out.written());
        for (int i = 0; i < 1_000; i++) {
            assertThat(((ClientFrame.Publish) frames.get(i + 1)).event()).containsExactly((byte) i);
        }
        writer.close();
    }

    @Test
    void concurrentCallersNeitherInterleaveNorReorderTheirOwnPackets() throws Exception {
        RecordingStream out = new RecordingStream();
        FrameWriter writer = new FrameWriter(out);
        writer.write(init(), true);
        int threads = 8;
        int perThread = 2_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int caller = t;
            callers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        byte[] body = ByteBuffer.allocate(8 + i % 300).putInt(caller).putInt(i).array();
                        writer.write(new ClientFrame.Request(i, "c" + caller, body, 1_000), (i + caller) % 3 == 0);
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
        }
        start.countDown();
        for (Thread caller : callers) {
            caller.join();
        }
        Eventually.await(WAIT, "every packet written", () -> packets(out) == 1 + threads * perThread);

        Map<Integer, Integer> next = new HashMap<>();
        for (ClientFrame frame : decode(out.written()).subList(1, 1 + threads * perThread)) {
            ByteBuffer body = ByteBuffer.wrap(((ClientFrame.Request) frame).request());
            int caller = body.getInt();
            int sequence = body.getInt();
            assertThat(sequence).as("caller %d's packets in order", caller).isEqualTo(next.getOrDefault(caller, 0));
            next.put(caller, sequence + 1);
        }
        assertThat(next).hasSize(threads).allSatisfy((caller, count) -> assertThat(count).isEqualTo(perThread));
        writer.close();
    }

    @Test
    void closeRefusesNewPacketsButSendsWhatWasQueued() throws Exception {
        RecordingStream out = new RecordingStream();
        FrameWriter writer = new FrameWriter(out);
        writer.write(init(), true);
        writer.write(new ClientFrame.Publish("topic", new byte[] {7}), false);
        writer.close();

        assertThatThrownBy(() -> writer.write(new ClientFrame.Close(), true)).isInstanceOf(IOException.class);
        Eventually.await(WAIT, "the queued packet written", () -> packets(out) == 2);
    }

    @Test
    void aFailedWriteFailsItsCallerAndEveryLaterOne() throws Exception {
        RecordingStream out = new RecordingStream();
        FrameWriter writer = new FrameWriter(out);
        out.failure = new IOException("broken pipe");

        assertThatThrownBy(() -> writer.write(init(), true)).hasMessage("broken pipe");
        assertThatThrownBy(() -> writer.write(new ClientFrame.Publish("topic", new byte[] {1}), false))
                .hasMessage("broken pipe");
    }
}
