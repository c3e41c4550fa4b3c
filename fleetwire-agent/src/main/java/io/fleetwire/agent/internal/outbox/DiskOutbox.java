package io.fleetwire.agent.internal.outbox;

import io.fleetwire.agent.internal.queue.DiskQueue;
import io.fleetwire.agent.internal.queue.DiskQueueConfig;
import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import io.fleetwire.protocol.ProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The agent's default {@link Outbox}: every message is a record of the crash-safe {@link DiskQueue}
 * (the encoded frame, seq included), so nothing queued survives only in memory: a kill -9 or a
 * power cut loses nothing {@link #append} returned for.
 */
public final class DiskOutbox implements Outbox {

    private static final Logger log = LoggerFactory.getLogger(DiskOutbox.class);

    private final DiskQueue queue;
    private final MessageCodec codec = new MessageCodec();

    public DiskOutbox(DiskQueueConfig config) {
        this.queue = DiskQueue.open(config);
    }

    @Override
    public long append(Outbox.Kind kind, LongFunction<Message> message) {
        io.fleetwire.agent.internal.queue.Kind k = kind == Outbox.Kind.TELEMETRY
                ? io.fleetwire.agent.internal.queue.Kind.TELEMETRY : io.fleetwire.agent.internal.queue.Kind.RELIABLE;
        return queue.append(k, seq -> codec.encode(message.apply(seq)).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void ack(long seq) {
        queue.ack(seq);
    }

    @Override
    public List<Outbox.Entry> pending(long afterSeq, int max) {
        List<Outbox.Entry> out = new ArrayList<>();
        for (io.fleetwire.agent.internal.queue.Entry e : queue.pending(afterSeq, max)) {
            try {
                out.add(new Outbox.Entry(e.seq(), codec.decode(new String(e.payload(), StandardCharsets.UTF_8))));
            } catch (ProtocolException ex) {
                // Written by this codec and checked by CRC: only a codec change between versions gets here.
                log.warn("Queued message {} can no longer be read ({}); dropping it", e.seq(), ex.getMessage());
                queue.ack(e.seq());
            }
        }
        return out;
    }

    @Override
    public Outbox.Health health() {
        io.fleetwire.agent.internal.queue.Stats s = queue.stats();
        return new Outbox.Health(s.entries(), s.droppedTelemetry(), s.corruptRecordsSkipped());
    }

    @Override
    public void budgetBytes(long bytes) {
        queue.budgetBytes(bytes);
    }

    public DiskQueue queue() {
        return queue;
    }

    @Override
    public void close() {
        queue.close();
    }
}
