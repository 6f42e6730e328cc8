package io.iridium.data.clock;

import static org.assertj.core.api.Assertions.assertThat;

import io.iridium.data.Codec;
import io.iridium.data.CorruptDataException;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Every clock codec, fed random and mutated bytes, decodes a value or fails cleanly. */
class ClockCodecTest {

    private static final List<Codec<?>> CODECS = List.of(LamportClock.codec(), VectorClock.codec(), Dot.codec(),
            CausalContext.codec(), HlcTimestamp.codec(), DottedVersionVector.codec());

    @Property
    void decode_randomBytesBehindAValidHeader_failsOnlyWithCorruptDataException(@ForAll long seed) {
        Random random = new Random(seed);
        for (Codec<?> codec : CODECS) {
            byte[] bytes = new byte[random.nextInt(48)];
            random.nextBytes(bytes);
            if (bytes.length >= 2 && random.nextInt(4) > 0) {
                bytes[0] = (byte) (1 + CODECS.indexOf(codec));
                bytes[1] = 1;
            }
            decodesOrFailsCleanly(codec, bytes);
        }
    }

    private static <T> void decodesOrFailsCleanly(Codec<T> codec, byte[] bytes) {
        try {
            T value = codec.decode(bytes);
            assertThat(codec.decode(codec.encode(value))).isEqualTo(value);
        } catch (CorruptDataException expected) {
            // the only acceptable failure
        }
    }
}
