package io.iridium.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.wire.Frames.Outcome;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Laws of the decoder, checked on generated input (quick; the Jazzer fuzz target explores further):
 * arbitrary bytes never produce anything but messages and at most one
 * {@link MalformedFrameException}; how the bytes are split into reads never changes the result;
 * and what is decoded re-encodes to exactly the bytes it came from.
 */
class FrameDecoderPropertiesTest {

    @Property(tries = 300)
    void decode_arbitraryBytes_sameOutcomeHoweverSplit_andReencodesToTheInput(
            @ForAll @Size(max = 300) byte[] bytes, @ForAll @IntRange(min = 1, max = 40) int pieceSize) {
        FrameFuzzing.check(bytes, pieceSize, 256);
    }

    @Property(tries = 200)
    void decode_validFramesThenGarbage_yieldsTheValidFramesFirst(
            @ForAll("messages") List<WireMessage> messages, @ForAll @Size(max = 40) byte[] garbage,
            @ForAll @IntRange(min = 1, max = 64) int pieceSize) {
        byte[] stream = Frames.concat(Frames.encodeAll(messages), garbage);

        Outcome outcome = Frames.decodeInPieces(Frames.MAX, stream, pieceSize);

        assertThat(outcome.messages()).startsWith(messages.toArray(WireMessage[]::new));
        FrameFuzzing.check(stream, pieceSize, Frames.MAX);
    }

    @Provide
    Arbitrary<List<WireMessage>> messages() {
        Arbitrary<WireMessage> heartbeat = Arbitraries.longs().<WireMessage>map(WireMessage.Heartbeat::new);
        Arbitrary<WireMessage> goodbye = Arbitraries.strings().ofMaxLength(40).<WireMessage>map(WireMessage.Goodbye::new)
                .ignoreException(IllegalArgumentException.class);
        Arbitrary<WireMessage> payload = Combinators.combine(Arbitraries.integers(),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(50)).as((channel, body) -> new WireMessage.Payload(channel, body));
        Arbitrary<WireMessage> sample = Arbitraries.of(Frames.samples());
        return Arbitraries.oneOf(heartbeat, goodbye, payload, sample).list().ofMaxSize(5);
    }
}
