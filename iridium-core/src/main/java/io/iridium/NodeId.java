package io.iridium;

import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * The identity of one node incarnation: 128 random bits chosen when the node starts.
 *
 * <p>A restarted process draws a new identity, so the network never confuses a node that came
 * back with the one that failed: the old identity stays dead, the new one joins. Identities are
 * compared by value; {@link #toString()} gives the first eight hex digits, enough to tell nodes
 * apart in logs and tables.
 *
 * @param high the upper 64 bits
 * @param low  the lower 64 bits
 */
public record NodeId(long high, long low) implements Comparable<NodeId> {

    /** Draws a fresh identity from {@code random} (seeded in the simulator, secure in the runtime). */
    public static NodeId random(RandomGenerator random) {
        return new NodeId(random.nextLong(), random.nextLong());
    }

    /** Parses the 32-hex-digit form written by {@link #toHex()}. */
    public static NodeId parse(String hex) {
        if (hex == null || hex.length() != 32) {
            throw new IllegalArgumentException("a node id is 32 hex digits, got: " + hex);
        }
        HexFormat format = HexFormat.of();
        return new NodeId(format.fromHexDigitsToLong(hex, 0, 16), format.fromHexDigitsToLong(hex, 16, 32));
    }

    /** All 128 bits as 32 lower-case hex digits. */
    public String toHex() {
        HexFormat format = HexFormat.of();
        return format.toHexDigits(high) + format.toHexDigits(low);
    }

    @Override
    public int compareTo(NodeId other) {
        int byHigh = Long.compareUnsigned(high, other.high);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
    }

    @Override
    public String toString() {
        return toHex().substring(0, 8);
    }
}
