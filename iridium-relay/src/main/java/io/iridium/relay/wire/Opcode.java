package io.iridium.relay.wire;

/**
 * The opcodes of v1.0-draft2: one octet at the start of every packet. Both directions share the
 * numbers; the fields that follow differ by direction (see {@link ClientFrame} and {@link RelayFrame}).
 */
public final class Opcode {
    public static final int INIT = 0x00;
    public static final int DENY = 0x01;
    public static final int CLOSE = 0x02;
    public static final int BROADCAST = 0x03;
    public static final int REQUEST = 0x04;
    public static final int REPLY = 0x05;
    public static final int SUBSCRIBE = 0x06;
    public static final int UNSUBSCRIBE = 0x07;
    public static final int PUBLISH = 0x08;
    public static final int TUN_INIT = 0x09;
    public static final int TUN_CONFIRM = 0x0A;
    public static final int TUN_ALLOW = 0x0B;
    public static final int TUN_TRANSFER = 0x0C;
    public static final int TUN_CLOSE = 0x0D;

    private Opcode() {}
}
