package io.fleetwire.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.EnumSet;
import java.util.Set;

import static io.fleetwire.protocol.CommandStatus.CANCELLED;
import static io.fleetwire.protocol.CommandStatus.DELIVERED;
import static io.fleetwire.protocol.CommandStatus.EXPIRED;
import static io.fleetwire.protocol.CommandStatus.FAILED;
import static io.fleetwire.protocol.CommandStatus.PENDING;
import static io.fleetwire.protocol.CommandStatus.SENT;
import static io.fleetwire.protocol.CommandStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandStatusTest {

    @Test
    void transitions_areExactlyTheLifecycleOfIssue3() {
        assertThat(PENDING.next()).containsExactlyInAnyOrder(SENT, EXPIRED, CANCELLED);
        assertThat(SENT.next()).containsExactlyInAnyOrder(SENT, DELIVERED, EXPIRED, CANCELLED);
        assertThat(DELIVERED.next()).containsExactlyInAnyOrder(SUCCEEDED, FAILED);
        for (CommandStatus done : EnumSet.of(SUCCEEDED, FAILED, EXPIRED, CANCELLED)) {
            assertThat(done.next()).as(done + " is final").isEmpty();
            assertThat(done.isFinal()).isTrue();
        }
        assertThat(PENDING.isFinal()).isFalse();
    }

    @Test
    void deliveredCommand_canNoLongerBeCancelledOrExpire() {
        assertThat(DELIVERED.canMoveTo(CANCELLED)).isFalse();
        assertThat(DELIVERED.canMoveTo(EXPIRED)).isFalse();
        assertThatThrownBy(() -> DELIVERED.moveTo(CANCELLED))
                .isInstanceOf(IllegalStateException.class).hasMessage("a command cannot go from delivered to cancelled");
    }

    @Test
    void noStateLeadsBackToPending_andResultsNeedDeliveryFirst() {
        for (CommandStatus s : CommandStatus.values()) {
            assertThat(s.canMoveTo(PENDING)).isFalse();
        }
        assertThat(SENT.canMoveTo(SUCCEEDED)).isFalse();
        assertThat(PENDING.canMoveTo(FAILED)).isFalse();
    }

    @Test
    void everyWalkFromPending_endsInAFinalStateWithinFourDistinctSteps() {
        Set<CommandStatus> reachable = EnumSet.of(PENDING);
        for (int i = 0; i < 4; i++) {
            Set<CommandStatus> more = EnumSet.noneOf(CommandStatus.class);
            reachable.forEach(s -> more.addAll(s.next()));
            reachable.addAll(more);
        }
        assertThat(reachable).containsExactlyInAnyOrder(CommandStatus.values());
    }

    @ParameterizedTest
    @EnumSource(CommandStatus.class)
    void wireName_roundTrips(CommandStatus status) {
        assertThat(CommandStatus.fromWire(status.wireName())).isEqualTo(status);
        assertThat(status.wireName()).isEqualTo(status.name().toLowerCase());
    }

    @Test
    void fromWire_rejectsUnknownNames() {
        assertThatThrownBy(() -> CommandStatus.fromWire("done")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("done");
    }
}
