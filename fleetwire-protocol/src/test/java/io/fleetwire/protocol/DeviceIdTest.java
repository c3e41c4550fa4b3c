package io.fleetwire.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class DeviceIdTest {

    private static final String CANONICAL = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

    @Test
    void parse_ofCanonicalUuid_givesThatUuidAndPrintsItBack() {
        DeviceId id = DeviceId.parse(CANONICAL);

        assertThat(id.value()).isEqualTo(UUID.fromString(CANONICAL));
        assertThat(id).hasToString(CANONICAL);
        assertThat(DeviceId.parse(id.toString())).isEqualTo(id);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"1", "3f2504e0", "3f2504e0-4f89-41d3-9a0c", "1-1-1-1-1", "3f2504e0-4f89-41d3-9a0c-0305e82c330",
            "00000000-0000-0000-0000-00000000000"})
    void parse_ofNullOrTooShortText_throwsNamingTheInput(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> DeviceId.parse(text))
                .withMessage("not a device id: " + text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "3f2504e0-4f89-41d3-9a0c-0305e82c3301 ",
            " 3f2504e0-4f89-41d3-9a0c-0305e82c3301",
            "3f2504e0-4f89-41d3-9a0c-0305e82c33011",
            "{3f2504e0-4f89-41d3-9a0c-0305e82c3301}",
            "urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3301"})
    void parse_ofTooLongText_throwsNamingTheInput(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> DeviceId.parse(text))
                .withMessage("not a device id: " + text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "3f2504e0-4f89-41d3-9a0c-0305e82c330g",
            "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
            "3f2504e04f8941d39a0c0305e82c33010000",
            "3f2504e0_4f89_41d3_9a0c_0305e82c3301",
            "3f2504e0-4f89-41d3-9a0c-0305e82c33-1",
            "------------------------------------",
            "not-a-device-id-but-36-characters!!!"})
    void parse_ofThirtySixCharactersThatAreNotAUuid_throwsNamingTheInput(String text) {
        assertThat(text).hasSize(36);
        assertThatIllegalArgumentException().isThrownBy(() -> DeviceId.parse(text))
                .withMessage("not a device id: " + text);
    }

    @Test
    void constructor_ofNullValue_throwsNullPointerException() {
        assertThatNullPointerException().isThrownBy(() -> new DeviceId(null));
    }

    @Test
    void random_givesDistinctIdsThatSurviveParsing() {
        Set<DeviceId> ids = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            DeviceId id = DeviceId.random();
            assertThat(DeviceId.parse(id.toString())).isEqualTo(id);
            ids.add(id);
        }
        assertThat(ids).hasSize(1_000);
    }
}
