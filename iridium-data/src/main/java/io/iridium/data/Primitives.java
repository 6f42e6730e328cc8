package io.iridium.data;

/** The built-in codecs of {@link Codec}: stateless, shared. */
final class Primitives {

    static final Codec<String> STRING = new Codec<>() {
        @Override
        public void write(String value, DataWriter out) {
            out.writeString(value);
        }

        @Override
        public String read(DataReader in) {
            return in.readString();
        }
    };

    static final Codec<Long> LONG = new Codec<>() {
        @Override
        public void write(Long value, DataWriter out) {
            out.writeSignedVarLong(value);
        }

        @Override
        public Long read(DataReader in) {
            return in.readSignedVarLong();
        }
    };

    static final Codec<byte[]> BYTES = new Codec<>() {
        @Override
        public void write(byte[] value, DataWriter out) {
            out.writeBytes(value);
        }

        @Override
        public byte[] read(DataReader in) {
            return in.readBytes();
        }
    };

    static final Codec<ReplicaId> REPLICA = new Codec<>() {
        @Override
        public void write(ReplicaId value, DataWriter out) {
            out.writeReplica(value);
        }

        @Override
        public ReplicaId read(DataReader in) {
            return in.readReplica();
        }
    };

    private Primitives() {
    }
}
