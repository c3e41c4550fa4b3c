package io.fleetwire.agent.internal.queue;

import java.util.SplittableRandom;

/** Payloads derived from their seq, so that what is read back can be checked without remembering it. */
final class Payloads {

    private Payloads() {
    }

    /** 16 to 1039 bytes, a pseudo-random function of {@code seq}. */
    static byte[] of(long seq) {
        return of(seq, 16 + (int) Math.floorMod(seq * 7919, 1024L));
    }

    static byte[] of(long seq, int size) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seq).nextBytes(bytes);
        return bytes;
    }

    /** Every fifth seq is reliable, the rest telemetry. */
    static Kind kindOf(long seq) {
        return seq % 5 == 0 ? Kind.RELIABLE : Kind.TELEMETRY;
    }
}
