package io.fleetwire.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.fleetwire.protocol.TestMessages.COMMAND_ID;
import static io.fleetwire.protocol.TestMessages.decodeRejected;
import static io.fleetwire.protocol.TestMessages.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandMessagesTest {

    private final MessageCodec codec = new MessageCodec();

    @Test
    void encode_ofCommand_writesIdNameParamsExpiryAndAttempt() {
        JsonNode wire = json(codec.encode(TestMessages.command()));
        assertThat(wire.path("type").asText()).isEqualTo("command");
        assertThat(wire.path("id").asText()).isEqualTo(COMMAND_ID.toString());
        assertThat(wire.path("name").asText()).isEqualTo("set_fan_speed");
        assertThat(wire.path("params").path("percent").asInt()).isEqualTo(70);
        assertThat(wire.path("expiresAt").asLong()).isEqualTo(TestMessages.T0.plusSeconds(300).toEpochMilli());
        assertThat(wire.path("attempt").asInt()).isEqualTo(1);
    }

    @Test
    void decode_ofResultWithoutSeqOrOutput_givesNulls() {
        Message m = codec.decode("{\"type\":\"command_result\",\"id\":\"" + COMMAND_ID + "\",\"status\":\"failed\",\"error\":\"no fan\"}");
        assertThat(m).isEqualTo(new Message.CommandResult(null, COMMAND_ID, CommandStatus.FAILED, null, "no fan"));
    }

    @Test
    void decode_ofResultWithSeq_keepsSeqAndOutput() {
        Message m = codec.decode("{\"type\":\"command_result\",\"seq\":9,\"id\":\"" + COMMAND_ID
                + "\",\"status\":\"succeeded\",\"output\":\"done\"}");
        assertThat(m).isInstanceOfSatisfying(Message.CommandResult.class, r -> {
            assertThat(r.seq()).isEqualTo(9L);
            assertThat(r.output().asText()).isEqualTo("done");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"pending", "sent", "delivered", "expired", "cancelled", "SUCCEEDED", "ok", ""})
    void decode_ofResultWithAStatusThatIsNotAnOutcome_isRefusedNamingTheStatus(String status) {
        ProtocolException e = decodeRejected(codec, "{\"type\":\"command_result\",\"seq\":3,\"id\":\"" + COMMAND_ID
                + "\",\"status\":\"" + status + "\"}");
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(e.getMessage()).contains("'status'");
        assertThat(e.refSeq()).isEqualTo(3L);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"command_ack\"}",
            "{\"type\":\"command_ack\",\"id\":\"not-a-uuid\"}",
            "{\"type\":\"command_ack\",\"id\":42}",
            "{\"type\":\"command_ack\",\"id\":\"6b0f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e\",\"seq\":-1}",
            "{\"type\":\"command_ack\",\"id\":\"6b0f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e\",\"seq\":\"1\"}",
            "{\"type\":\"command_result\",\"id\":\"6b0f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e\"}",
            "{\"type\":\"command_result\",\"id\":\"6b0f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e\",\"status\":\"failed\",\"error\":7}",
            "{\"type\":\"command_cancel\",\"id\":\"\"}",
            "{\"type\":\"command\",\"id\":\"6b0f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e\",\"name\":\"Lock\",\"expiresAt\":1,\"attempt\":1}",
            "{\"type\":\"command\",\"id\":\"6b0f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e\",\"name\":\"lock\",\"params\":[],\"expiresAt\":1,\"attempt\":1}",
            "{\"type\":\"command\",\"id\":\"6b0f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e\",\"name\":\"lock\",\"expiresAt\":1,\"attempt\":0}",
            "{\"type\":\"command\",\"id\":\"6b0f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e\",\"name\":\"lock\",\"attempt\":1}"})
    void decode_ofMalformedCommandMessages_isRefusedAsInvalid(String frame) {
        assertThat(decodeRejected(codec, frame).code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    }

    @Test
    void decode_ofOverlongResultError_isRefused() {
        String error = "x".repeat(MessageCodec.MAX_RESULT_ERROR + 1);
        assertThat(decodeRejected(codec, "{\"type\":\"command_result\",\"id\":\"" + COMMAND_ID
                + "\",\"status\":\"failed\",\"error\":\"" + error + "\"}").getMessage()).contains("'error'");
    }

    @Test
    void commandResult_refusesAStatusThatIsNotAnOutcome() {
        assertThatThrownBy(() -> new Message.CommandResult(1L, COMMAND_ID, CommandStatus.DELIVERED, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delivered");
    }
}
