package io.fleetwire.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ErrorCodeTest {

    private static final Set<ErrorCode> RETRYABLE = EnumSet.of(ErrorCode.RATE_LIMITED, ErrorCode.OVERLOADED, ErrorCode.INTERNAL);

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void fromWire_ofWireName_givesTheSameCode(ErrorCode code) {
        assertThat(ErrorCode.fromWire(code.wireName())).isSameAs(code);
    }

    @Test
    void wireNames_areTheProtocolsSnakeCaseNames() {
        Map<ErrorCode, String> expected = Map.of(
                ErrorCode.BAD_JSON, "bad_json",
                ErrorCode.UNKNOWN_TYPE, "unknown_type",
                ErrorCode.INVALID_MESSAGE, "invalid_message",
                ErrorCode.FORBIDDEN, "forbidden",
                ErrorCode.NOT_FOUND, "not_found",
                ErrorCode.RATE_LIMITED, "rate_limited",
                ErrorCode.OVERLOADED, "overloaded",
                ErrorCode.INTERNAL, "internal");

        assertThat(ErrorCode.values()).hasSize(expected.size());
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(code.wireName()).as("%s", code).isEqualTo(expected.get(code));
        }
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName).distinct()).hasSize(expected.size());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"BAD_JSON", "Bad_Json", "bad-json", "bad_json ", "teapot", "INTERNAL"})
    void fromWire_ofAnyOtherName_throwsNamingIt(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> ErrorCode.fromWire(name))
                .withMessage("unknown error code: " + name);
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void retryable_isTrueOnlyForRateLimitedOverloadedAndInternal(ErrorCode code) {
        assertThat(code.retryable()).isEqualTo(RETRYABLE.contains(code));
    }
}
