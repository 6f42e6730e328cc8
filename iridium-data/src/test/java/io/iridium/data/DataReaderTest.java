package io.iridium.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class DataReaderTest {

    @Property
    void varLong_anyValue_roundTrips(@ForAll long value) {
        DataWriter out = new DataWriter().writeVarLong(value).writeSignedVarLong(value).writeLong(value);
        DataReader in = new DataReader(out.toByteArray());
        assertThat(in.readVarLong()).isEqualTo(value);
        assertThat(in.readSignedVarLong()).isEqualTo(value);
        assertThat(in.readLong()).isEqualTo(value);
        in.requireEnd();
    }

    @Test
    void readVarLong_paddedOrOverlong_isRejected() {
        assertThatThrownBy(() -> new DataReader(new byte[] {(byte) 0x81, 0x00}).readVarLong())
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("not minimal");
        byte[] eleven = new byte[11];
        java.util.Arrays.fill(eleven, (byte) 0xFF);
        assertThatThrownBy(() -> new DataReader(eleven).readVarLong()).isInstanceOf(CorruptDataException.class);
    }

    @Test
    void readCount_largerThanTheInputCouldHold_isRejectedBeforeAllocating() {
        byte[] bytes = new DataWriter().writeVarLong(Integer.MAX_VALUE).toByteArray();
        assertThatThrownBy(() -> new DataReader(bytes).readCount(1))
                .isInstanceOf(CorruptDataException.class).hasMessageContaining("cannot fit");
    }

    @Test
    void readString_invalidUtf8_isRejected() {
        byte[] bytes = new DataWriter().writeBytes(new byte[] {(byte) 0xC3, 0x28}).toByteArray();
        assertThatThrownBy(() -> new DataReader(bytes).readString()).isInstanceOf(CorruptDataException.class);
    }

    @Test
    void decode_trailingBytes_isRejected() {
        byte[] bytes = new DataWriter().writeString("a").writeByte(0).toByteArray();
        assertThatThrownBy(() -> Codec.utf8().decode(bytes)).isInstanceOf(CorruptDataException.class)
                .hasMessageContaining("trailing");
    }

    @Test
    void replicaId_ofNodeId_keepsAllBits() {
        io.iridium.NodeId node = new io.iridium.NodeId(-1, 42);
        assertThat(ReplicaId.of(node).toNodeId()).isEqualTo(node);
    }
}
