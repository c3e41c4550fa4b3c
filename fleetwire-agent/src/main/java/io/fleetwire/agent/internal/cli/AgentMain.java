package io.fleetwire.agent.internal.cli;

import io.fleetwire.agent.HubAgent;
import io.fleetwire.agent.internal.handlers.LinuxHandlers;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./fleetwire agent --hub URL --token TOKEN [--state-dir DIR] [--allow TYPE,…]}: runs the
 * agent on this machine until it is stopped (SIGTERM / Ctrl-C) or the hub refuses its token.
 * By default only harmless commands may run (buzz, broadcast_message, lock, unlock, history_request); {@code --allow}
 * replaces that list, e.g. to permit {@code reboot} or fan control ({@code set_fan_speed},
 * {@code apply_fan_profile}: fans return to automatic when the hub is unreachable for 5 minutes).
 */
public final class AgentMain {

    /** The exit code after a software update made a new version current: the supervisor starts it. */
    public static final int EXIT_UPDATE = 75;

    static final Set<String> DEFAULT_ALLOWED = Set.of("buzz", "broadcast_message", "lock", "unlock", "history_request");

    private AgentMain() {
    }

    /** Parsed options, or the reason they are wrong. */
    /** {@code token} or {@code enroll} may be null (not both, unless a token was kept from an enrollment). */
    record Options(URI hub, String token, String enroll, Path stateDir, Set<String> allowed, Path installDir, Path plugins) {
    }

    static Options parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got '" + a + "'");
            }
            String name = a.substring(2);
            if (!Set.of("hub", "token", "token-file", "enroll", "state-dir", "allow", "install-dir", "plugins").contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            values.put(name, args[++i]);
        }
        if (!values.containsKey("hub")) {
            throw new IllegalArgumentException("--hub is required");
        }
        if (values.containsKey("token-file")) {
            if (values.containsKey("token")) {
                throw new IllegalArgumentException("give --token or --token-file, not both");
            }
            values.put("token", readTokenFile(Path.of(values.get("token-file"))));
        }
        if (values.containsKey("token") && values.containsKey("enroll")) {
            throw new IllegalArgumentException("give --token or --enroll, not both");
        }
        URI hub;
        try {
            hub = URI.create(values.get("hub"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--hub is not a URL: " + values.get("hub"));
        }
        Path state = Path.of(values.getOrDefault("state-dir", System.getProperty("user.home") + "/.fleetwire-agent"));
        Set<String> allowed = values.containsKey("allow") ? list(values.get("allow")) : policyAllowList(state);
        Path install = values.containsKey("install-dir") ? Path.of(values.get("install-dir")) : null;
        Path plugins = values.containsKey("plugins") ? Path.of(values.get("plugins")) : state.resolve("plugins");
        return new Options(hub, values.get("token"), values.get("enroll"), state, allowed, install, plugins);
    }

    /** The first line of the file: keeps the token out of the process list ({@code ps} shows --token). */
    private static String readTokenFile(Path file) {
        try {
            String token = java.nio.file.Files.readAllLines(file).stream().findFirst().orElse("").trim();
            if (token.isEmpty()) {
                throw new IllegalArgumentException("--token-file " + file + " is empty");
            }
            return token;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read --token-file " + file + ": " + e.getMessage());
        }
    }

    private static Set<String> list(String csv) {
        return Set.copyOf(Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }

    /**
     * The local security policy, the only setting the hub cannot change (issue #4): {@code allow=} in
     * {@code <state dir>/policy.properties}, else {@link #DEFAULT_ALLOWED}.
     */
    static Set<String> policyAllowList(Path stateDir) {
        Path file = stateDir.resolve("policy.properties");
        if (!java.nio.file.Files.exists(file)) {
            return DEFAULT_ALLOWED;
        }
        java.util.Properties p = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(file)) {
            p.load(in);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        String allow = p.getProperty("allow");
        return allow == null ? DEFAULT_ALLOWED : list(allow);
    }

    /** Adds the plug-ins found on the classpath and in {@code dir}; a bad one is reported and left out. */
    static void addPlugins(HubAgent.Builder b, Path dir, PrintStream out, PrintStream err) {
        var found = io.fleetwire.agent.internal.plugin.PluginLoader.load(AgentMain.class.getClassLoader(), dir);
        found.problems().forEach(p -> err.println("agent: plug-in not loaded: " + p));
        for (io.fleetwire.agent.CommandPlugin p : found.plugins()) {
            try {
                b.plugin(p);
                out.println("agent: plug-in " + p.getClass().getName() + " runs '" + p.type() + "' commands");
            } catch (RuntimeException e) {
                err.println("agent: plug-in not loaded: " + e.getMessage());
            }
        }
    }

    /** The entry point of the standalone jar ({@code java -jar fleetwire-agent.jar …}). */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs until stopped; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && args[0].equals("--version")) {
            out.println("fleetwire-agent " + io.fleetwire.agent.internal.AgentVersion.VALUE);
            return 0;
        }
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println("""
                    Usage: ./fleetwire agent --hub http://HOST:8080 (--token DEVICE_TOKEN | --token-file FILE | --enroll ENROLLMENT_TOKEN)
                                             [--state-dir DIR] [--allow TYPE,...]
                   ./fleetwire agent --version

                      --token-file a file whose first line is the device token (unlike --token, not visible in ps)

                      --enroll     register this machine (hostname, OS, sensors, fans) and keep the device token in
                                   the state directory; later starts need neither option
                      --state-dir  where started command ids and the hub's settings are kept (default ~/.fleetwire-agent)
                      --allow      command types this device runs; overrides allow= in <state dir>/policy.properties
                                   (default: buzz,broadcast_message,lock,unlock,history_request)
                      --install-dir  the layout made by packaging/linux/install.sh (the run script passes it);
                                   without it software_update is refused
                      --plugins    a directory of plug-in jars (default <state dir>/plugins); their command types
                                   run only when the allow-list names them""");
            return 0;
        }
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("fleetwire agent: " + e.getMessage() + " (see --help)");
            return 2;
        }
        String token = o.token();
        if (token == null) {
            try {
                token = io.fleetwire.agent.internal.enroll.Enrollment.storedToken(o.stateDir()).orElse(null);
                // install.sh --enroll leaves the enrollment token in the state dir for the first start.
                String enroll = o.enroll() != null ? o.enroll()
                        : io.fleetwire.agent.internal.enroll.Enrollment.storedEnrollmentToken(o.stateDir()).orElse(null);
                if (token == null && enroll != null) {
                    token = io.fleetwire.agent.internal.enroll.Enrollment.enroll(io.fleetwire.agent.internal.HubUris.http(o.hub()),
                            enroll, o.stateDir(),
                            io.fleetwire.agent.internal.telemetry.Hwmon.system(), LinuxHandlers.all().keySet());
                    out.println("agent: enrolled; the device token is kept in " + o.stateDir());
                }
            } catch (RuntimeException e) {
                err.println("fleetwire agent: " + e.getMessage());
                return 1;
            }
            if (token == null) {
                err.println("fleetwire agent: give --token DEVICE_TOKEN or --enroll ENROLLMENT_TOKEN (nothing kept in "
                        + o.stateDir() + " yet)");
                return 2;
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger exitCode = new java.util.concurrent.atomic.AtomicInteger(-1);
        HubAgent.Builder b = HubAgent.builder().hub(o.hub()).token(token).stateDir(o.stateDir()).allowCommands(o.allowed())
                .listener((from, to, why) -> {
                    out.println("agent: " + to + " (" + why + ")");
                    if (to == io.fleetwire.agent.ConnectionState.FAILED) {
                        stopped.countDown();
                    }
                });
        LinuxHandlers.all().forEach(b::handler);
        if (o.installDir() != null) {
            b.selfUpdate(o.installDir(), () -> {
                exitCode.compareAndSet(-1, EXIT_UPDATE);
                stopped.countDown();
            });
        } else {
            b.handler("software_update", io.fleetwire.agent.internal.update.SoftwareUpdate.NOT_INSTALLED);
        }
        java.util.concurrent.atomic.AtomicReference<HubAgent> self = new java.util.concurrent.atomic.AtomicReference<>();
        io.fleetwire.agent.internal.handlers.FanControl fans = new io.fleetwire.agent.internal.handlers.FanControl(
                java.nio.file.Path.of("/sys/class/hwmon"), java.time.Duration.ofMinutes(5),
                () -> self.get() != null && self.get().state() == io.fleetwire.agent.ConnectionState.OPEN);
        b.handler("set_fan_speed", fans::setFanSpeed).handler("apply_fan_profile", fans::applyProfile);
        io.fleetwire.agent.internal.handlers.SshAccess ssh = io.fleetwire.agent.internal.handlers.SshAccess.system();
        b.handler("ssh_access", ssh::grant);
        addPlugins(b, o.plugins(), out, err);
        b.telemetry(io.fleetwire.agent.internal.telemetry.SystemSampler.forThisMachine(io.fleetwire.agent.internal.telemetry.Hwmon.system()));
        // Telemetry history: per-minute aggregates in <state dir>/history, answered by history_request (7 days, 16 MiB).
        b.history(true);
        HubAgent agent;
        try {
            agent = b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("fleetwire agent: " + e.getMessage());
            return 2;
        }
        self.set(agent);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            fans.close();
            stopped.countDown();
        }));
        agent.start();
        // Expired SSH grants go at start and every minute, whoever granted them and whenever: on this
        // thread, which otherwise only waits for the agent to stop (one thread fewer; agent footprint).
        try {
            do {
                try {
                    ssh.sweep(io.fleetwire.agent.internal.handlers.SshAccess.localUsers());
                } catch (RuntimeException e) {
                    System.err.println("agent: sweeping expired SSH grants failed: " + e);
                }
            } while (!stopped.await(1, java.util.concurrent.TimeUnit.MINUTES));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        agent.close();
        fans.close();
        if (exitCode.get() == EXIT_UPDATE) {
            out.println("agent: a new version is installed; exiting (" + EXIT_UPDATE + ") so that it starts");
            return EXIT_UPDATE;
        }
        return agent.state() == io.fleetwire.agent.ConnectionState.FAILED ? 1 : 0;
    }
}
