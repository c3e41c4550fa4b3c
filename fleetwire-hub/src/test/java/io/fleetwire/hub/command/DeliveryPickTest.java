package io.fleetwire.hub.command;

import io.fleetwire.protocol.CommandId;
import io.fleetwire.protocol.CommandStatus;
import io.fleetwire.protocol.DeviceId;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link CommandDelivery#pick}: which open commands go out now, in memory. */
class DeliveryPickTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final Duration ACK = Duration.ofSeconds(10);
    private static final DeviceId DEVICE = DeviceId.random();

    private static Command cmd(long seq, CommandStatus status, Instant lastSent, Instant notBefore, Instant expires) {
        return new Command(new CommandId(new UUID(0, seq)), seq, DEVICE, null, "lock", new JsonObject(), status, expires, notBefore,
                status == CommandStatus.PENDING ? 0 : 1, "admin", NOW.minusSeconds(60), lastSent, lastSent, null, null,
                null, null, null, null, null, null, null, null);
    }

    private static Command pending(long seq) {
        return cmd(seq, CommandStatus.PENDING, null, null, NOW.plusSeconds(300));
    }

    private static Command sent(long seq, Instant lastSent) {
        return cmd(seq, CommandStatus.SENT, lastSent, null, NOW.plusSeconds(300));
    }

    private static Command delivered(long seq) {
        return cmd(seq, CommandStatus.DELIVERED, NOW.minusSeconds(5), null, NOW.plusSeconds(300));
    }

    private static List<CommandId> ids(long... seqs) {
        return java.util.Arrays.stream(seqs).mapToObj(s -> new CommandId(new UUID(0, s))).toList();
    }

    @Test
    void burst_sendsEveryPendingInOrder_andSkipsDeliveredOnes() {
        var open = List.of(delivered(1), pending(2), pending(3));
        assertThat(CommandDelivery.pick(open, false, false, NOW, ACK)).isEqualTo(ids(2, 3));
    }

    @Test
    void burst_resendsASentCommandOnlyAfterTheAckTimeout_unlessTheConnectionIsNew() {
        var fresh = sent(1, NOW.minusSeconds(3));
        var stale = sent(2, NOW.minusSeconds(10));
        assertThat(CommandDelivery.pick(List.of(fresh, stale), false, false, NOW, ACK)).isEqualTo(ids(2));
        assertThat(CommandDelivery.pick(List.of(fresh, stale), false, true, NOW, ACK)).isEqualTo(ids(1, 2));
    }

    @Test
    void burst_stopsAtTheFirstCommandARolloutHoldsBack_soOrderIsKept() {
        var held = cmd(2, CommandStatus.PENDING, null, NOW.plusSeconds(30), NOW.plusSeconds(330));
        assertThat(CommandDelivery.pick(List.of(pending(1), held, pending(3)), false, false, NOW, ACK)).isEqualTo(ids(1));
    }

    @Test
    void overdueCommands_areLeftToExpiry() {
        var overdue = cmd(1, CommandStatus.PENDING, null, null, NOW);
        assertThat(CommandDelivery.pick(List.of(overdue, pending(2)), false, false, NOW, ACK)).isEqualTo(ids(2));
    }

    @Test
    void sequential_sendsOnlyTheOldest_andNothingWhileOneIsRunning() {
        assertThat(CommandDelivery.pick(List.of(pending(1), pending(2)), true, false, NOW, ACK)).isEqualTo(ids(1));
        assertThat(CommandDelivery.pick(List.of(delivered(1), pending(2)), true, false, NOW, ACK)).isEmpty();
        assertThat(CommandDelivery.pick(List.of(sent(1, NOW.minusSeconds(1)), pending(2)), true, false, NOW, ACK)).isEmpty();
        assertThat(CommandDelivery.pick(List.of(sent(1, NOW.minusSeconds(1)), pending(2)), true, true, NOW, ACK)).isEqualTo(ids(1));
    }

    @Test
    void nothingOpen_sendsNothing() {
        assertThat(CommandDelivery.pick(List.of(), false, true, NOW, ACK)).isEmpty();
        assertThat(CommandDelivery.pick(List.of(), true, true, NOW, ACK)).isEmpty();
    }
}
