package io.fleetwire.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MetricNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "0", "cpu.usage", "sensor.cpu_temp.temperature", "disk:/dev/sda1", "net-eth0.rx_bytes",
            "A-Za-z0-9_.:/-", "...", "/", "-"})
    void isValid_ofLettersDigitsAndDotUnderscoreDashColonSlash_isTrue(String name) {
        assertThat(MetricName.isValid(name)).isTrue();
        assertThat(new MetricName(name)).hasToString(name);
    }

    @Test
    void isValid_ofExactly128Characters_isTrue() {
        String name = "m".repeat(MetricName.MAX_LENGTH);

        assertThat(MetricName.isValid(name)).isTrue();
        assertThat(new MetricName(name).value()).isEqualTo(name);
    }

    @Test
    void isValid_ofMoreThan128Characters_isFalse() {
        assertThat(MetricName.isValid("m".repeat(MetricName.MAX_LENGTH + 1))).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "cpu usage", "cpu\tusage", "cpu\n", "\ncpu", "cpü", "ĉpu", "cpu*", "a,b", "a=b", "a#b",
            "a\\b", "a\"b", "\u0000", "温度", "a\u00a0b", "cpu.usage\u200b"})
    void isValid_ofAnyOtherCharacterOrEmptyOrNull_isFalseAndConstructorRejectsIt(String name) {
        assertThat(MetricName.isValid(name)).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> new MetricName(name))
                .withMessageStartingWith("invalid metric name");
    }

    @Test
    void equals_ofSameText_isTrue() {
        assertThat(new MetricName("cpu.usage")).isEqualTo(new MetricName("cpu.usage"))
                .isNotEqualTo(new MetricName("cpu.Usage"));
    }
}
