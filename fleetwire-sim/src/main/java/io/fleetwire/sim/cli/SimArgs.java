package io.fleetwire.sim.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options of {@code ./fleetwire sim}, parsed and validated. {@code --name value} and {@code --name=value}
 * both work; flags take no value.
 *
 * @param interval null = the hub's telemetry interval
 * @param duration null = until stopped (Ctrl-C, SIGTERM)
 */
record SimArgs(URI hub, int devices, String adminToken, Duration interval, int connectRate, Duration duration,
               boolean deflate, Path state, boolean quiet, int eventLoops, boolean help) {

    static final Path DEFAULT_STATE = Path.of("fleetwire-sim-devices.json");
    private static final Set<String> VALUED = Set.of("hub", "devices", "admin-token", "interval-seconds", "connect-rate",
            "duration", "state", "event-loops");
    private static final Set<String> FLAGS = Set.of("deflate", "quiet", "help");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    /** A bad command line; the message says what to fix. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    static SimArgs parse(String[] args, Map<String, String> env) {
        Map<String, String> v = new java.util.HashMap<>();
        Set<String> flags = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h")) {
                a = "--help";
            }
            if (!a.startsWith("--") || a.length() == 2) {
                throw new UsageException("unexpected argument '" + a + "' (options start with --)");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw new UsageException("--" + name + " takes no value");
                }
                flags.add(name);
            } else if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args[++i];
                }
                if (v.put(name, value) != null) {
                    throw new UsageException("--" + name + " is given twice");
                }
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        if (flags.contains("help")) {
            return new SimArgs(URI.create("http://127.0.0.1:8080"), 1, null, null, 500, null, false, DEFAULT_STATE,
                    false, 2, true);
        }
        URI hub = hub(v.getOrDefault("hub", "http://127.0.0.1:8080"));
        if (!v.containsKey("devices")) {
            throw new UsageException("--devices is required (how many devices to simulate)");
        }
        int devices = integer("devices", v.get("devices"), 1, 1_000_000);
        String token = v.containsKey("admin-token") ? v.get("admin-token") : env.get("FLEETWIRE_ADMIN_TOKEN");
        if (token != null && token.isBlank()) {
            throw new UsageException("the admin token is empty");
        }
        Duration interval = v.containsKey("interval-seconds")
                ? Duration.ofSeconds(integer("interval-seconds", v.get("interval-seconds"), 1, 86_400)) : null;
        int rate = v.containsKey("connect-rate") ? integer("connect-rate", v.get("connect-rate"), 1, 1_000_000) : 500;
        Duration duration = v.containsKey("duration") ? duration(v.get("duration")) : null;
        Path state = v.containsKey("state") ? Path.of(nonBlank("state", v.get("state"))) : DEFAULT_STATE;
        int loops = v.containsKey("event-loops") ? integer("event-loops", v.get("event-loops"), 1, 64) : 2;
        return new SimArgs(hub, devices, token, interval, rate, duration, flags.contains("deflate"), state,
                flags.contains("quiet"), loops, false);
    }

    private static URI hub(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (java.net.URISyntaxException e) {
            throw new UsageException("--hub is not a URL: " + text);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!Set.of("http", "https", "ws", "wss").contains(scheme) || uri.getHost() == null) {
            throw new UsageException("--hub must be an http(s):// or ws(s):// URL with a host, e.g. http://127.0.0.1:8080: " + text);
        }
        return uri;
    }

    private static int integer(String name, String text, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, got '" + text + "'");
        }
        if (n < min || n > max) {
            throw new UsageException("--" + name + " must be " + min + " … " + max + ", got " + n);
        }
        return n;
    }

    /** {@code none}, or a positive count with an optional unit: {@code 500ms}, {@code 60s} (the default unit), {@code 5m}, {@code 2h}. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("none")) {
            return null;
        }
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            throw new UsageException("--duration must be like 60s, 5m, 2h, 500ms or none, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero()) {
            throw new UsageException("--duration must be positive (or none), got '" + text + "'");
        }
        return d;
    }

    private static String nonBlank(String name, String text) {
        if (text.isBlank()) {
            throw new UsageException("--" + name + " is empty");
        }
        return text;
    }
}
