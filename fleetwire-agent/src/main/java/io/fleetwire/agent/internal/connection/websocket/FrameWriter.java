package io.fleetwire.agent.internal.connection.websocket;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;

/**
 * Writes client frames (RFC 6455 §5.3): always masked, with a fresh key from {@code random}, each
 * frame whole (FIN set) in one write. Not thread-safe: callers serialise writes.
 */
final class FrameWriter {

    private final OutputStream out;
    private final Random random;

    FrameWriter(OutputStream out, Random random) {
        this.out = out;
        this.random = random;
    }

    void write(Opcode opcode, byte[] payload) throws IOException {
        out.write(encode(opcode, payload, random.nextInt()));
        out.flush();
    }

    /** The frame's bytes with the given mask key. */
    static byte[] encode(Opcode opcode, byte[] payload, int maskKey) {
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] frame = new byte[header + 4 + n];
        frame[0] = (byte) (0x80 | opcode.code);
        if (n < 126) {
            frame[1] = (byte) (0x80 | n);
        } else if (n <= 0xFFFF) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (n >>> 8);
            frame[3] = (byte) n;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        byte[] mask = {(byte) (maskKey >>> 24), (byte) (maskKey >>> 16), (byte) (maskKey >>> 8), (byte) maskKey};
        System.arraycopy(mask, 0, frame, header, 4);
        int at = header + 4;
        for (int i = 0; i < n; i++) {
            frame[at + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        return frame;
    }
}
