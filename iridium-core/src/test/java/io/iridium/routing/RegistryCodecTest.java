package io.iridium.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.iridium.Endpoint;
import io.iridium.NodeId;
import io.iridium.routing.RegistryMessage.Digest;
import io.iridium.routing.RegistryMessage.Pull;
import io.iridium.routing.RegistryMessage.Update;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RegistryCodecTest {

    static final NodeId A = new NodeId(1, 2);
    static final NodeId B = new NodeId(-5, 7);
    static final Advertisement AD = Advertisement.of(B, new Endpoint("10.0.0.2", 7946), 42,
            Map.of("databases", 16, "caché", 0), Set.of("orders.>", "metrics.*.cpu", "ünï"));

    static List<RegistryMessage> samples() {
        TreeMap<NodeId, Long> versions = new TreeMap<>(Map.of(A, 3L, B, Long.MAX_VALUE));
        return List.of(
                Digest.whole(A, Digest.Kind.SYNC, versions),
                Digest.whole(A, Digest.Kind.CATCH_UP, Map.of()),
                new Digest(A, Digest.Kind.REPLY, 1, 3, new NodeId(0, 5), new NodeId(1, 2), new TreeMap<>(Map.of(A, 0L))),
                new Update(A, true, List.of(AD)),
                new Update(A, false, List.of(AD, Advertisement.of(A, new Endpoint("h", 1), 0, Map.of(), Set.of()))),
                new Update(A, false, List.of()),
                new Pull(A, List.of(A, B)),
                new Pull(A, List.of()));
    }

    static RegistryMessage decodeOrMalformed(byte[] bytes) {
        try {
            return RegistryCodec.decode(bytes);
        } catch (MalformedRegistryMessageException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return null;
        } catch (Throwable other) {
            throw new AssertionError("decode threw " + other + " for " + Arrays.toString(bytes), other);
        }
    }

    @Test
    void encodeThenDecode_everyMessageType_isIdentity() throws MalformedRegistryMessageException {
        for (RegistryMessage message : samples()) {
            assertThat(RegistryCodec.decode(RegistryCodec.encode(message))).isEqualTo(message);
        }
    }

    @Test
    void decode_truncatedAtEveryLength_isMalformed() {
        for (RegistryMessage message : samples()) {
            byte[] bytes = RegistryCodec.encode(message);
            for (int length = 0; length < bytes.length; length++) {
                byte[] prefix = Arrays.copyOf(bytes, length);
                assertThatThrownBy(() -> RegistryCodec.decode(prefix))
                        .as("%s cut at %d", message, length)
                        .isInstanceOf(MalformedRegistryMessageException.class);
            }
        }
    }

    @Test
    void decode_trailingByte_isMalformed() {
        byte[] bytes = RegistryCodec.encode(samples().get(0));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> RegistryCodec.decode(longer)).hasMessageContaining("trailing");
    }

    @Test
    void encodedSize_matchesTheEncoding() {
        byte[] one = RegistryCodec.encode(new Update(A, false, List.of(AD)));
        assertThat(one.length).isEqualTo(RegistryCodec.UPDATE_OVERHEAD + RegistryCodec.encodedSize(AD));
        byte[] digest = RegistryCodec.encode(Digest.whole(A, Digest.Kind.SYNC, Map.of(A, 300L)));
        assertThat(digest.length).isEqualTo(RegistryCodec.DIGEST_OVERHEAD + RegistryCodec.digestEntrySize(300));
        byte[] pull = RegistryCodec.encode(new Pull(A, List.of(A, B)));
        assertThat(pull.length).isEqualTo(RegistryCodec.PULL_OVERHEAD + 2 * RegistryCodec.PULL_ENTRY_BYTES);
    }

    @Test
    void decode_invalidContent_namesTheProblem() {
        assertThat(reason(new byte[] {9})).contains("unknown version 9");
        assertThat(reason(new byte[] {1, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})).contains("unknown message type 7");
        assertThat(reason(null)).contains("no payload");
        assertThat(reason(new byte[RegistryCodec.MAX_MESSAGE_BYTES + 1])).contains("exceeds");

        byte[] digest = RegistryCodec.encode(Digest.whole(A, Digest.Kind.SYNC, Map.of()));
        digest[18] = 3;
        assertThat(reason(digest)).contains("unknown digest kind 3");

        // An advertisement whose pattern became invalid on the way: "orders.>" → "orders >".
        byte[] update = RegistryCodec.encode(new Update(A, false, List.of(AD)));
        int at = indexOf(update, "orders.>".getBytes());
        update[at + 6] = ' ';
        assertThat(reason(update)).contains("whitespace");

        // Patterns out of order (swap two equal-length patterns' first bytes would reorder them).
        Advertisement twoPatterns = Advertisement.of(B, new Endpoint("h", 1), 1, Map.of(), Set.of("aa", "bb"));
        byte[] swapped = RegistryCodec.encode(new Update(A, false, List.of(twoPatterns)));
        int first = indexOf(swapped, "aa".getBytes());
        swapped[first] = 'c';
        swapped[first + 1] = 'c';
        assertThat(reason(swapped)).contains("not strictly ascending");

        // A count larger than the bytes that follow.
        byte[] pull = RegistryCodec.encode(new Pull(A, List.of(A)));
        pull[18] = (byte) 0xFF;
        assertThat(reason(pull)).contains("cannot fit");
    }

    @Test
    void decode_digestOwnerOutsideItsRange_isMalformed() {
        byte[] bytes = RegistryCodec.encode(new Digest(A, Digest.Kind.SYNC, 0, 2, new NodeId(0, 0), new NodeId(1, 2),
                new TreeMap<>(Map.of(new NodeId(1, 2), 1L))));
        bytes[bytes.length - 2] = 3; // owner (1, 2) → (1, 3), above high
        assertThat(reason(bytes)).contains("outside");
    }

    @Test
    void encode_tooManyEntries_isABug() {
        List<NodeId> owners = java.util.Collections.nCopies(RegistryCodec.MAX_COUNT + 1, A);
        assertThatThrownBy(() -> RegistryCodec.encode(new Pull(A, owners))).isInstanceOf(IllegalArgumentException.class);
    }

    private static String reason(byte[] bytes) {
        try {
            RegistryCodec.decode(bytes);
        } catch (MalformedRegistryMessageException e) {
            return e.getMessage();
        }
        return fail("decoded without complaint");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
