package io.fleetwire.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MessageCodec#decode} (the streaming decoder for telemetry and data, the tree path for the rest)
 * gives exactly the verdict of {@link MessageCodec#decodeTree} (the tree path alone): an equal message, or
 * a refusal with the same code, text and ref. Over valid frames, every field of them replaced by each of
 * many values, removed, or joined by unknown and duplicate fields, the limits on each side, and random
 * text mutations (fixed seed); as text and as UTF-8 bytes.
 */
class StreamingDecoderTest {

    private final MessageCodec codec = new MessageCodec();

    /** What decoding gave: a message, or the refusal's parts. */
    record Verdict(Message message, ErrorCode code, String text, String refType, Long refSeq) {
        static Verdict of(Supplier<Message> decode) {
            try {
                return new Verdict(decode.get(), null, null, null, null);
            } catch (ProtocolException e) {
                return new Verdict(null, e.code(), e.getMessage(), e.refType(), e.refSeq());
            }
        }
    }

    @Test
    void validTelemetryAndData_areReadByTheStreamingDecoder_asTheTreePathReadsThem() throws Exception {
        for (String frame : StreamingVariants.bases(codec)) {
            Message streamed = StreamingDecoder.decode(new JsonFactory().createParser(frame));
            assertThat(streamed).as(frame).isNotNull().isEqualTo(codec.decodeTree(frame));
            byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
            assertThat(codec.decode(bytes, 0, bytes.length)).as(frame).isEqualTo(streamed);
        }
    }

    @Test
    void decode_givesTheTreePathsVerdict_onEveryVariant() {
        List<String> disagreements = new ArrayList<>();
        int checked = 0;
        int accepted = 0;
        int streamed = 0;
        for (String frame : StreamingVariants.all(codec)) {
            Verdict tree = Verdict.of(() -> codec.decodeTree(frame));
            Verdict text = Verdict.of(() -> codec.decode(frame));
            byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
            Verdict utf8 = Verdict.of(() -> codec.decode(bytes, 0, bytes.length));
            checked++;
            if (!tree.equals(text) || !tree.equals(utf8)) {
                disagreements.add(MessageCodec.clip(frame) + "\n  tree " + tree + "\n  text " + text + "\n  utf8 " + utf8);
            }
            if (tree.message() != null) {
                accepted++;
                if (streams(frame)) {
                    streamed++;
                }
            }
        }
        System.out.printf("%d variants: %d accepted (%d of them streamed), %d refused%n", checked, accepted, streamed,
                checked - accepted);
        assertThat(disagreements).as("of " + checked + " variants").isEmpty();
        assertThat(checked).isGreaterThan(5_000);
        // Most accepted variants must take the streaming path, or this test would prove little.
        assertThat(streamed).as(streamed + " of " + accepted + " accepted variants streamed").isGreaterThan(accepted * 3 / 4);
    }

    @Test
    void decodeOfBytes_givesTheVerdictOfTheTextTheyHold_alsoForInvalidUtf8() {
        byte[][] odd = {{(byte) 0xC0, (byte) 0x80}, {(byte) 0xC1, (byte) 0x81}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xC3, (byte) 0xA9}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80},
                {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {0}};
        List<String> disagreements = new ArrayList<>();
        for (String frame : StreamingVariants.bases(codec)) {
            byte[] base = frame.getBytes(StandardCharsets.UTF_8);
            for (byte[] insert : odd) {
                for (int at : new int[] {0, 1, base.length / 3, base.length / 2, base.length - 1}) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.write(base, 0, at);
                    out.writeBytes(insert);
                    out.write(base, at, base.length - at);
                    byte[] bytes = out.toByteArray();
                    Verdict tree = Verdict.of(() -> codec.decodeTree(new String(bytes, StandardCharsets.UTF_8)));
                    Verdict utf8 = Verdict.of(() -> codec.decode(bytes, 0, bytes.length));
                    if (!tree.equals(utf8)) {
                        disagreements.add(MessageCodec.clip(frame) + " + " + java.util.HexFormat.of().formatHex(insert) + " at " + at);
                    }
                }
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void decodeOfBytes_readsASliceOfTheArray() {
        String frame = StreamingVariants.bases(codec).get(0);
        byte[] inner = frame.getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[inner.length + 10];
        System.arraycopy(inner, 0, padded, 5, inner.length);
        padded[4] = '}';
        padded[inner.length + 5] = '{';
        assertThat(codec.decode(padded, 5, inner.length)).isEqualTo(codec.decodeTree(frame));
    }

    private static boolean streams(String frame) {
        try {
            return Objects.nonNull(StreamingDecoder.decode(new JsonFactory().createParser(frame)));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
