package io.iridium.consensus.group;

import io.iridium.NodeId;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A group member's Raft identity: derived from its stable name, never from the node's
 * incarnation id. A restarted process draws a new {@link NodeId} on the fabric, but its Raft
 * identity (what votes and log positions refer to) must stay the same, so it is the first 128
 * bits of SHA-256 over the member's name. The fabric address is looked up by name when sending.
 */
public final class MemberIds {

    private MemberIds() {
    }

    /**
     * The Raft identity of the member called {@code name}.
     *
     * @param name the member's stable name (its node's {@code --name})
     * @return the identity, the same in every process
     */
    public static NodeId of(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a group member needs a name (start its node with --name)");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("iridium-raft-member:" + name)
                    .getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.wrap(digest);
            return new NodeId(b.getLong(), b.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
