package io.fleetwire.agent.internal.connection.websocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Frames in memory: what the client writes (RFC 6455 §5.2, masked) and what it accepts from a server. */
class FrameCodecTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 65_535, 65_536, 200_000})
    void clientFrames_areMaskedWithTheRightLengthEncoding(int length) {
        byte[] payload = new byte[length];
        new Random(length).nextBytes(payload);

        byte[] frame = FrameWriter.encode(Opcode.TEXT, payload, 0x11223344);

        assertThat(frame[0] & 0xFF).as("FIN + text").isEqualTo(0x81);
        assertThat(frame[1] & 0x80).as("mask bit").isEqualTo(0x80);
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        assertThat(frame).hasSize(header + 4 + length);
        int lengthField = frame[1] & 0x7F;
        long decoded = lengthField < 126 ? lengthField : lengthField == 126
                ? (frame[2] & 0xFF) << 8 | frame[3] & 0xFF
                : java.nio.ByteBuffer.wrap(frame, 2, 8).getLong();
        assertThat(decoded).isEqualTo(length);
        assertThat(Arrays.copyOfRange(frame, header, header + 4)).containsExactly(0x11, 0x22, 0x33, 0x44);
        byte[] unmasked = new byte[length];
        for (int i = 0; i < length; i++) {
            unmasked[i] = (byte) (frame[header + 4 + i] ^ frame[header + (i & 3)]);
        }
        assertThat(unmasked).isEqualTo(payload);
    }

    @Test
    void writer_usesAFreshMaskForEveryFrame() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out, new Random(7));

        w.write(Opcode.TEXT, "a".getBytes());
        w.write(Opcode.TEXT, "a".getBytes());

        byte[] b = out.toByteArray();
        assertThat(Arrays.copyOfRange(b, 2, 6)).isNotEqualTo(Arrays.copyOfRange(b, 9, 13));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 125, 126, 65_535, 65_536})
    void reader_readsServerFramesOfEveryLengthEncoding(int length) throws Exception {
        byte[] payload = new byte[length];
        new Random(length).nextBytes(payload);

        Frame f = read(ServerFrames.frame(false, 0x2, payload), 1 << 20);

        assertThat(f.opcode()).isEqualTo(Opcode.BINARY);
        assertThat(f.fin()).isFalse();
        assertThat(f.payload()).isEqualTo(payload);
    }

    @Test
    void reader_refusesAMaskedServerFrame() {
        byte[] masked = FrameWriter.encode(Opcode.TEXT, "x".getBytes(), 1);

        assertRefused(masked, CloseStatus.PROTOCOL_ERROR);
    }

    @Test
    void reader_refusesReservedBitsAndOpcodes() {
        assertRefused(new byte[]{(byte) 0xC1, 0}, CloseStatus.PROTOCOL_ERROR);
        assertRefused(new byte[]{(byte) 0x83, 0}, CloseStatus.PROTOCOL_ERROR);
        assertRefused(new byte[]{(byte) 0x8B, 0}, CloseStatus.PROTOCOL_ERROR);
    }

    @Test
    void reader_refusesFragmentedOrLongControlFrames() {
        assertRefused(ServerFrames.frame(false, 0x9, new byte[1]), CloseStatus.PROTOCOL_ERROR);
        assertRefused(ServerFrames.frame(true, 0x9, new byte[126]), CloseStatus.PROTOCOL_ERROR);
    }

    @Test
    void reader_refusesAFrameOverTheLimit_beforeReadingItsPayload() {
        byte[] header = {(byte) 0x81, 127, 0, 0, 0, 0, 0x7F, 0, 0, 0};

        assertThatThrownBy(() -> read(header, 1_000)).isInstanceOf(WebSocketProtocolException.class)
                .extracting(e -> ((WebSocketProtocolException) e).closeCode()).isEqualTo(CloseStatus.TOO_BIG);
    }

    @Test
    void reader_reportsATruncatedFrameAsTheEndOfTheStream() {
        byte[] whole = ServerFrames.frame(true, 0x1, "hello".getBytes());

        assertThatThrownBy(() -> read(Arrays.copyOf(whole, 4), 100)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> read(new byte[0], 100)).isInstanceOf(EOFException.class);
    }

    private static Frame read(byte[] bytes, int max) throws Exception {
        return new FrameReader(new ByteArrayInputStream(bytes), max).read();
    }

    private static void assertRefused(byte[] bytes, int code) {
        assertThatThrownBy(() -> read(bytes, 1 << 20)).isInstanceOf(WebSocketProtocolException.class)
                .extracting(e -> ((WebSocketProtocolException) e).closeCode()).isEqualTo(code);
    }
}
