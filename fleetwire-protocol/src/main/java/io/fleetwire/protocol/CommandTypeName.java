package io.fleetwire.protocol;

import java.util.regex.Pattern;

/**
 * What a command type name looks like, apart from {@link CommandTypes}: decoding a {@code command}
 * frame checks the name, and must not load the built-in schemas and their JSON schema validator
 * with it (agent footprint, docs/benchmarks.md).
 */
final class CommandTypeName {

    /** Lower-case letters, digits and {@code _}, starting with a letter; at most 64 characters. */
    static final Pattern PATTERN = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private CommandTypeName() {
    }

    static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }
}
