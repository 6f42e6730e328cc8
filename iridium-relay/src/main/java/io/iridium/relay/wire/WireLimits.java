package io.iridium.relay.wire;

/**
 * Upper bounds on the lengths a decoder accepts, checked as soon as a length is read and before
 * anything is allocated for it (the reference relay has none, so one forged length could make it
 * allocate gigabytes).
 *
 * @param maxNameBytes    magic, version, cluster and topic strings
 * @param maxPayloadBytes messages, requests, replies and events, and a tunnel message's announced size
 * @param maxTextBytes    fault and close reasons
 * @param maxChunkBytes   one tunnel chunk ({@value #CHUNK_LIMIT} in the protocol)
 */
public record WireLimits(int maxNameBytes, int maxPayloadBytes, int maxTextBytes, int maxChunkBytes) {

    /** The tunnel chunk limit of v1.0-draft2, announced in TUN_INIT and TUN_CONFIRM. */
    public static final int CHUNK_LIMIT = 65_536;

    /** 1 KiB names, 16 MiB payloads, 64 KiB reasons, 64 KiB chunks. */
    public static final WireLimits DEFAULT = new WireLimits(1_024, 16 << 20, 64 << 10, CHUNK_LIMIT);

    public WireLimits {
        if (maxNameBytes < 1 || maxPayloadBytes < 1 || maxTextBytes < 1 || maxChunkBytes < 1) {
            throw new IllegalArgumentException("every wire limit must be at least 1 byte");
        }
    }
}
