package io.iridium.consensus.machine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Binary encodings of {@link Envelope}s (log entry data), {@link Query}s and {@link Result}s
 * (sent between a member and its clients). Big-endian, strings as modified UTF-8 with a 2-byte
 * length, byte arrays with a 4-byte length.
 *
 * <pre>
 *   envelope: version (1) │ clientId (8) │ sequence (8) │ timestamp (8) │ command
 *   command:  tag (1) │ fields      tag 1 put key value · 2 delete key · 3 cas key hasExpected
 *                                   [expected] value · 4 acquire lock ttl · 5 release lock ·
 *                                   6 keep-alive · 7 add counter delta
 *   query:    tag (1) │ fields      1 get key · 2 range prefix limit · 3 counter name · 4 lock name
 *   result:   tag (1) │ fields      one tag per {@link Result} record, in declaration order
 * </pre>
 *
 * <p>Decoders throw {@link IllegalArgumentException} on malformed input, never anything else.
 */
public final class MachineCodec {

    private static final int VERSION = 1;
    private static final int MAX_ARRAY = 64 << 20;

    private MachineCodec() {
    }

    /**
     * Encodes an envelope for the log.
     *
     * @param envelope the envelope
     * @return its bytes
     */
    public static byte[] encodeEnvelope(Envelope envelope) {
        return write(out -> {
            out.writeByte(VERSION);
            out.writeLong(envelope.clientId());
            out.writeLong(envelope.sequence());
            out.writeLong(envelope.timestamp());
            switch (envelope.command()) {
                case Command.Put p -> {
                    out.writeByte(1);
                    out.writeUTF(p.key());
                    bytes(out, p.value());
                }
                case Command.Delete d -> {
                    out.writeByte(2);
                    out.writeUTF(d.key());
                }
                case Command.CompareAndSet c -> {
                    out.writeByte(3);
                    out.writeUTF(c.key());
                    out.writeBoolean(c.expected() != null);
                    if (c.expected() != null) {
                        bytes(out, c.expected());
                    }
                    bytes(out, c.value());
                }
                case Command.Acquire a -> {
                    out.writeByte(4);
                    out.writeUTF(a.lock());
                    out.writeLong(a.ttlMillis());
                }
                case Command.Release r -> {
                    out.writeByte(5);
                    out.writeUTF(r.lock());
                }
                case Command.KeepAlive k -> out.writeByte(6);
                case Command.Add a -> {
                    out.writeByte(7);
                    out.writeUTF(a.counter());
                    out.writeLong(a.delta());
                }
            }
        });
    }

    /**
     * Decodes an envelope.
     *
     * @param data the bytes from {@link #encodeEnvelope}
     * @return the envelope
     * @throws IllegalArgumentException when the bytes are malformed
     */
    public static Envelope decodeEnvelope(byte[] data) {
        return read(data, in -> {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown command encoding version " + version);
            }
            long client = in.readLong();
            long sequence = in.readLong();
            long timestamp = in.readLong();
            int tag = in.readUnsignedByte();
            Command command = switch (tag) {
                case 1 -> new Command.Put(in.readUTF(), bytes(in));
                case 2 -> new Command.Delete(in.readUTF());
                case 3 -> {
                    String key = in.readUTF();
                    byte[] expected = in.readBoolean() ? bytes(in) : null;
                    yield new Command.CompareAndSet(key, expected, bytes(in));
                }
                case 4 -> new Command.Acquire(in.readUTF(), in.readLong());
                case 5 -> new Command.Release(in.readUTF());
                case 6 -> new Command.KeepAlive();
                case 7 -> new Command.Add(in.readUTF(), in.readLong());
                default -> throw new IllegalArgumentException("unknown command tag " + tag);
            };
            return new Envelope(client, sequence, timestamp, command);
        });
    }

    /**
     * Encodes a query.
     *
     * @param query the query
     * @return its bytes
     */
    public static byte[] encodeQuery(Query query) {
        return write(out -> {
            switch (query) {
                case Query.Get g -> {
                    out.writeByte(1);
                    out.writeUTF(g.key());
                }
                case Query.Range r -> {
                    out.writeByte(2);
                    out.writeUTF(r.prefix());
                    out.writeInt(r.limit());
                }
                case Query.CounterValue c -> {
                    out.writeByte(3);
                    out.writeUTF(c.counter());
                }
                case Query.LockInfo l -> {
                    out.writeByte(4);
                    out.writeUTF(l.lock());
                }
            }
        });
    }

    /**
     * Decodes a query.
     *
     * @param data the bytes from {@link #encodeQuery}
     * @return the query
     * @throws IllegalArgumentException when the bytes are malformed
     */
    public static Query decodeQuery(byte[] data) {
        return read(data, in -> {
            int tag = in.readUnsignedByte();
            return switch (tag) {
                case 1 -> new Query.Get(in.readUTF());
                case 2 -> new Query.Range(in.readUTF(), in.readInt());
                case 3 -> new Query.CounterValue(in.readUTF());
                case 4 -> new Query.LockInfo(in.readUTF());
                default -> throw new IllegalArgumentException("unknown query tag " + tag);
            };
        });
    }

    /**
     * Encodes a result.
     *
     * @param result the result
     * @return its bytes
     */
    public static byte[] encodeResult(Result result) {
        return write(out -> {
            switch (result) {
                case Result.Written w -> {
                    out.writeByte(1);
                    out.writeLong(w.revision());
                }
                case Result.Deleted d -> {
                    out.writeByte(2);
                    out.writeBoolean(d.existed());
                    out.writeLong(d.revision());
                }
                case Result.Swapped s -> {
                    out.writeByte(3);
                    out.writeBoolean(s.swapped());
                    out.writeLong(s.revision());
                }
                case Result.Found f -> {
                    out.writeByte(4);
                    out.writeBoolean(f.entry().isPresent());
                    if (f.entry().isPresent()) {
                        keyValue(out, f.entry().get());
                    }
                    out.writeLong(f.revision());
                }
                case Result.Listed l -> {
                    out.writeByte(5);
                    out.writeInt(l.entries().size());
                    for (KeyValue kv : l.entries()) {
                        keyValue(out, kv);
                    }
                    out.writeBoolean(l.more());
                    out.writeLong(l.revision());
                }
                case Result.Granted g -> {
                    out.writeByte(6);
                    out.writeLong(g.token());
                    out.writeLong(g.expiresAt());
                }
                case Result.Queued q -> {
                    out.writeByte(7);
                    out.writeInt(q.position());
                }
                case Result.Released r -> {
                    out.writeByte(8);
                    out.writeBoolean(r.held());
                }
                case Result.Renewed r -> {
                    out.writeByte(9);
                    out.writeInt(r.leases());
                }
                case Result.Count c -> {
                    out.writeByte(10);
                    out.writeLong(c.value());
                }
                case Result.LockHeld h -> {
                    out.writeByte(11);
                    out.writeBoolean(h.holder().isPresent());
                    out.writeLong(h.holder().orElse(0L));
                    out.writeLong(h.token());
                    out.writeLong(h.expiresAt());
                    out.writeInt(h.waiters());
                }
                case Result.Rejected r -> {
                    out.writeByte(12);
                    out.writeUTF(r.reason());
                }
            }
        });
    }

    /**
     * Decodes a result.
     *
     * @param data the bytes from {@link #encodeResult}
     * @return the result
     * @throws IllegalArgumentException when the bytes are malformed
     */
    public static Result decodeResult(byte[] data) {
        return read(data, in -> {
            int tag = in.readUnsignedByte();
            return switch (tag) {
                case 1 -> new Result.Written(in.readLong());
                case 2 -> new Result.Deleted(in.readBoolean(), in.readLong());
                case 3 -> new Result.Swapped(in.readBoolean(), in.readLong());
                case 4 -> {
                    Optional<KeyValue> entry = in.readBoolean() ? Optional.of(keyValue(in)) : Optional.empty();
                    yield new Result.Found(entry, in.readLong());
                }
                case 5 -> {
                    int n = in.readInt();
                    if (n < 0 || n > MAX_ARRAY) {
                        throw new IllegalArgumentException("a range of " + n + " keys");
                    }
                    List<KeyValue> entries = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        entries.add(keyValue(in));
                    }
                    yield new Result.Listed(entries, in.readBoolean(), in.readLong());
                }
                case 6 -> new Result.Granted(in.readLong(), in.readLong());
                case 7 -> new Result.Queued(in.readInt());
                case 8 -> new Result.Released(in.readBoolean());
                case 9 -> new Result.Renewed(in.readInt());
                case 10 -> new Result.Count(in.readLong());
                case 11 -> {
                    boolean held = in.readBoolean();
                    long holder = in.readLong();
                    yield new Result.LockHeld(held ? Optional.of(holder) : Optional.empty(), in.readLong(), in.readLong(),
                            in.readInt());
                }
                case 12 -> new Result.Rejected(in.readUTF());
                default -> throw new IllegalArgumentException("unknown result tag " + tag);
            };
        });
    }

    private static void keyValue(DataOutputStream out, KeyValue kv) throws IOException {
        out.writeUTF(kv.key());
        bytes(out, kv.value());
        out.writeLong(kv.createRevision());
        out.writeLong(kv.modRevision());
        out.writeLong(kv.version());
    }

    private static KeyValue keyValue(DataInputStream in) throws IOException {
        return new KeyValue(in.readUTF(), bytes(in), in.readLong(), in.readLong(), in.readLong());
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ARRAY || n > in.available()) {
            throw new IllegalArgumentException("a byte array of " + n + " bytes with " + in.available() + " left");
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);       // a byte array never fails
        }
        return bytes.toByteArray();
    }

    static <T> T read(byte[] data, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            T value = reader.read(in);
            if (in.available() > 0) {
                throw new IllegalArgumentException(in.available() + " trailing bytes");
            }
            return value;
        } catch (EOFException e) {
            throw new IllegalArgumentException("truncated: " + data.length + " bytes", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed: " + e.getMessage(), e);
        }
    }
}
