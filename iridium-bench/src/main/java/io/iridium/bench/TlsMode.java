package io.iridium.bench;

import java.util.Locale;

/**
 * Which Iridium rows a run has: with TLS (its default, and the one the ratio lines use), without
 * (the core's dev-mode-only plaintext connections, for a like-for-like row against the unencrypted
 * peers), or both side by side.
 */
public enum TlsMode {
    ON, OFF, BOTH;

    /** {@code on}, {@code off} or {@code both}, as {@code --tls} takes it. */
    public static TlsMode parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "on" -> ON;
            case "off" -> OFF;
            case "both" -> BOTH;
            default -> throw new IllegalArgumentException("--tls must be on, off or both, got '" + text + "'");
        };
    }
}
