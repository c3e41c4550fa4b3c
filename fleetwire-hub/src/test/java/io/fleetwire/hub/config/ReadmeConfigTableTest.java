package io.fleetwire.hub.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's configuration table lists exactly the hub's settings, with their defaults. */
class ReadmeConfigTableTest {

    private static final Pattern ROW = Pattern.compile("^\\|\\s*`(FLEETWIRE_[A-Z0-9_]+)`\\s*\\|\\s*([^|]*?)\\s*\\|.*$");

    @Test
    void readmeConfigurationTable_matchesConfigKeys() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Map<String, String> table = new LinkedHashMap<>();
        for (String line : readme.split("\n")) {
            Matcher m = ROW.matcher(line.trim());
            if (m.matches()) {
                table.put(m.group(1), m.group(2));
            }
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKey.values()) {
            expected.put(key.env(), key.defaultValue().isEmpty() ? "(unset)" : "`" + key.defaultValue() + "`");
        }
        assertThat(table).as("README configuration table (variable → default)").containsExactlyEntriesOf(expected);
    }
}
