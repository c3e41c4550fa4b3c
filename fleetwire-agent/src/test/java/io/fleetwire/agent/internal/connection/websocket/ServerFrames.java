package io.fleetwire.agent.internal.connection.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Server-side framing for tests: unmasked frames out, masked client frames in. */
final class ServerFrames {

    private ServerFrames() {
    }

    /** A server frame (unmasked) with the given FIN bit, opcode and payload. */
    static byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        int n = payload.length;
        if (n < 126) {
            out.write(n);
        } else if (n <= 0xFFFF) {
            out.write(126);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) n >>> (8 * i)));
            }
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** A close frame with a code and reason. */
    static byte[] close(int code, String reason) {
        byte[] r = reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return frame(true, 0x8, p);
    }

    /** One frame as a client sent it: {opcode, payload unmasked}; fails unless masked. */
    record ClientFrame(int opcode, boolean fin, byte[] payload) {
        int closeCode() {
            return (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
        }

        String text() {
            return new String(payload, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static ClientFrame readClientFrame(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int b0 = d.readUnsignedByte();
        int b1 = d.readUnsignedByte();
        if ((b1 & 0x80) == 0) {
            throw new IOException("client frame not masked");
        }
        long n = b1 & 0x7F;
        if (n == 126) {
            n = d.readUnsignedShort();
        } else if (n == 127) {
            n = d.readLong();
        }
        byte[] mask = new byte[4];
        d.readFully(mask);
        byte[] payload = new byte[(int) n];
        d.readFully(payload);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        return new ClientFrame(b0 & 0x0F, (b0 & 0x80) != 0, payload);
    }
}
