package io.iridium.relay.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Test helper: bytes written as in the specification's §12, e.g.
 * {@code 04 AC02 03 "svc" 04 "ping" E807} — hex tokens (any even number of digits) and quoted
 * UTF-8 strings, separated by spaces; plus encoding helpers.
 */
public final class WireBytes {
    private WireBytes() {}

    public static byte[] of(String spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < spec.length()) {
            char c = spec.charAt(i);
            if (c == ' ') {
                i++;
            } else if (c == '"') {
                int close = spec.indexOf('"', i + 1);
                out.writeBytes(spec.substring(i + 1, close).getBytes(StandardCharsets.UTF_8));
                i = close + 1;
            } else {
                int end = spec.indexOf(' ', i);
                end = end < 0 ? spec.length() : end;
                out.writeBytes(HexFormat.of().parseHex(spec.substring(i, end)));
                i = end;
            }
        }
        return out.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    public static byte[] encode(ClientFrame frame) {
        ByteArraySink sink = new ByteArraySink(64);
        RelayEncoder.encode(frame, sink);
        return sink.toByteArray();
    }

    public static byte[] encode(RelayFrame frame) {
        ByteArraySink sink = new ByteArraySink(64);
        RelayEncoder.encode(frame, sink);
        return sink.toByteArray();
    }
}
