package io.fleetwire.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link JsonTrees} reads and writes exactly what {@code ObjectMapper.readTree} and {@code JsonNode.toString()} do. */
class JsonTreesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
            "{}", "[]", "null", "true", "\"text\"", "0", "-12", "2147483648", "-9223372036854775809",
            "123456789012345678901234567890", "1.5", "-0.0", "1e300", "3.0E-5", "[1,2.25,\"x\",null,false,{\"a\":[]}]",
            "{\"a\":{\"b\":{\"c\":[1,{\"d\":\"é\\u0000\\\"\\n\"}]}},\"n\":12.75,\"z\":-1}",
            "{\"dup\":1,\"dup\":2}", "  {\"ws\" : [ 1 , 2 ] }  "})
    void parse_andWrite_matchObjectMapper(String json) throws IOException {
        JsonNode expected = MAPPER.readTree(json);

        JsonNode actual = JsonTrees.parse(json);

        assertThat(actual).isEqualTo(expected);
        assertThat(actual.getClass()).isEqualTo(expected.getClass());
        assertThat(JsonTrees.write(actual)).isEqualTo(expected.toString());
        assertThat(JsonTrees.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(expected);
    }

    @Test
    void numbers_keepTheirNodeTypes() throws IOException {
        JsonNode n = JsonTrees.parse("[1,4294967296,18446744073709551616,0.5]");

        assertThat(n.get(0).isInt()).isTrue();
        assertThat(n.get(1).isLong()).isTrue();
        assertThat(n.get(2).isBigInteger()).isTrue();
        assertThat(n.get(3).isDouble()).isTrue();
    }

    @Test
    void emptyInput_isMissing() throws IOException {
        assertThat(JsonTrees.parse("  ").isMissingNode()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} {}", "{\"a\":1}x", "[1,", "{\"a\":}", "nul", "{'a':1}"})
    void malformedOrTrailingInput_isRefused(String json) {
        assertThatThrownBy(() -> JsonTrees.parse(json)).isInstanceOf(IOException.class);
    }
}
