package io.fleetwire.agent.internal.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fleetwire.agent.CommandOutcome;
import io.fleetwire.agent.CommandRequest;
import io.fleetwire.agent.internal.telemetry.Hwmon;
import io.fleetwire.protocol.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fan control through hwmon (seed 003): {@code set_fan_speed} puts a fan in manual mode
 * ({@code pwmN_enable = 1}) and writes {@code pwmN}; {@code apply_fan_profile} drives fans from a
 * temperature curve, re-evaluated every {@link #PROFILE_PERIOD}. A fan whose pwm is not writable is
 * refused clearly. Hardware safety: when the hub has been unreachable longer than the safety
 * timeout, every fan this agent took over goes back to the mode it had before (normally automatic)
 * and any profile stops. Thread-safe (synchronized); the profile and safety run on one daemon thread.
 */
public final class FanControl implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FanControl.class);
    static final Duration PROFILE_PERIOD = Duration.ofSeconds(2);
    private static final Pattern FAN_ID = Pattern.compile("(.+)_fan(\\d+)");

    private final Path root;
    private final Hwmon hwmon;
    private final Duration safetyTimeout;
    private final BooleanSupplier hubReachable;
    /** pwm_enable file → the value it had before this agent took the fan over. */
    private final Map<Path, String> takenOver = new LinkedHashMap<>();
    private Profile profile;
    private long unreachableSince = -1;
    /** Started when this agent first takes a fan over: until then there is nothing to watch or release. */
    private Thread loop;
    private volatile boolean running = true;

    record Profile(String name, String sensorId, List<String> fanIds, List<double[]> points) {
    }

    public FanControl(Path hwmonRoot, Duration safetyTimeout, BooleanSupplier hubReachable) {
        this.root = hwmonRoot;
        this.hwmon = new Hwmon(hwmonRoot);
        this.safetyTimeout = safetyTimeout;
        this.hubReachable = hubReachable;
    }

    /** Called with the lock held, by every command that may take a fan over. */
    private void startLoop() {
        if (loop == null && running) {
            loop = Thread.ofPlatform().name("fleetwire-fans").daemon().start(this::run);
        }
    }

    public synchronized CommandOutcome setFanSpeed(CommandRequest r) throws IOException {
        startLoop();
        profile = null;
        String fanId = r.params().path("fanId").asText();
        int percent = r.params().path("percent").asInt();
        String problem = write(fanId, percent);
        return problem == null
                ? CommandOutcome.succeeded(JsonNodeFactory.instance.objectNode().put("fanId", fanId).put("percent", percent))
                : CommandOutcome.failed(problem);
    }

    public synchronized CommandOutcome applyProfile(CommandRequest r) throws IOException {
        startLoop();
        List<double[]> points = new ArrayList<>();
        for (JsonNode p : r.params().path("points")) {
            points.add(new double[]{p.path("temperature").asDouble(), p.path("percent").asDouble()});
        }
        points.sort((a, b) -> Double.compare(a[0], b[0]));
        List<String> fans = new ArrayList<>();
        r.params().path("fanIds").forEach(f -> fans.add(f.asText()));
        if (fans.isEmpty()) {
            hwmon.fans().forEach(f -> fans.add(f.id()));
        }
        if (fans.isEmpty()) {
            return CommandOutcome.failed("this device has no fans that hwmon reports");
        }
        Profile p = new Profile(r.params().path("name").asText(), r.params().path("sensorId").asText(null), fans, points);
        String problem = applyOnce(p);
        if (problem != null) {
            return CommandOutcome.failed(problem);
        }
        profile = p;
        return CommandOutcome.succeeded(JsonNodeFactory.instance.objectNode().put("profile", p.name()).put("fans", fans.size()));
    }

    /** Percent for a temperature on a curve: linear between points, flat beyond the ends. */
    static double curve(List<double[]> points, double temperature) {
        if (temperature <= points.getFirst()[0]) {
            return points.getFirst()[1];
        }
        for (int i = 1; i < points.size(); i++) {
            double[] a = points.get(i - 1);
            double[] b = points.get(i);
            if (temperature <= b[0]) {
                return a[1] + (b[1] - a[1]) * (temperature - a[0]) / (b[0] - a[0]);
            }
        }
        return points.getLast()[1];
    }

    private String applyOnce(Profile p) throws IOException {
        Double temperature = null;
        for (Message.Sensor s : hwmon.sensors()) {
            if (s.temperature() != null && (p.sensorId() == null ? true : s.id().equals(p.sensorId()))) {
                temperature = temperature == null ? s.temperature() : Math.max(temperature, s.temperature());
            }
        }
        if (temperature == null) {
            return p.sensorId() == null ? "no temperature sensor to follow" : "no sensor '" + p.sensorId() + "'";
        }
        int percent = (int) Math.round(curve(p.points(), temperature));
        for (String fan : p.fanIds()) {
            String problem = write(fan, percent);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** Puts a fan in manual mode at {@code percent}; the reason it could not, or null. */
    private String write(String fanId, int percent) throws IOException {
        Matcher m = FAN_ID.matcher(fanId);
        Path chip = m.matches() ? chipNamed(m.group(1)) : null;
        if (chip == null || !Files.exists(chip.resolve("pwm" + m.group(2)))) {
            return "no fan '" + fanId + "' on this device";
        }
        Path pwm = chip.resolve("pwm" + m.group(2));
        Path enable = chip.resolve("pwm" + m.group(2) + "_enable");
        if (!Files.isWritable(pwm) || (Files.exists(enable) && !Files.isWritable(enable))) {
            return "fan '" + fanId + "' cannot be controlled: " + pwm + " is not writable (needs root, or the driver keeps it automatic)";
        }
        if (Files.exists(enable) && !takenOver.containsKey(enable)) {
            takenOver.put(enable, Files.readString(enable).strip());
        }
        if (Files.exists(enable)) {
            Files.writeString(enable, "1\n");
        }
        Files.writeString(pwm, Math.round(percent * 255 / 100.0) + "\n");
        return null;
    }

    private Path chipNamed(String name) throws IOException {
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (var s = Files.list(root)) {
            for (Path chip : s.sorted().toList()) {
                Path n = chip.resolve("name");
                String chipName = Files.exists(n) ? Files.readString(n).strip() : chip.getFileName().toString();
                if (chipName.equals(name)) {
                    return chip;
                }
            }
        }
        return null;
    }

    /** Gives every fan back to the mode it had before this agent took it over. */
    synchronized void releaseAll(String why) {
        if (takenOver.isEmpty()) {
            return;
        }
        log.warn("Returning {} fans to their own control: {}", takenOver.size(), why);
        profile = null;
        takenOver.forEach((enable, original) -> {
            try {
                Files.writeString(enable, original + "\n");
            } catch (IOException e) {
                log.error("Could not return {} to mode {}: {}", enable, original, e.toString());
            }
        });
        takenOver.clear();
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(PROFILE_PERIOD);
            } catch (InterruptedException e) {
                return;
            }
            tick(System.nanoTime());
        }
    }

    synchronized void tick(long now) {
        if (hubReachable.getAsBoolean()) {
            unreachableSince = -1;
        } else if (unreachableSince < 0) {
            unreachableSince = now;
        } else if (now - unreachableSince >= safetyTimeout.toNanos()) {
            releaseAll("the hub has been unreachable for over " + safetyTimeout.toSeconds() + " s");
            return;
        }
        if (profile != null) {
            try {
                String problem = applyOnce(profile);
                if (problem != null) {
                    log.warn("Fan profile {} stopped: {}", profile.name(), problem);
                    releaseAll("fan profile failed");
                }
            } catch (IOException e) {
                log.warn("Fan profile {} stopped: {}", profile.name(), e.toString());
                releaseAll("fan profile failed");
            }
        }
    }

    @Override
    public void close() {
        running = false;
        Thread t;
        synchronized (this) {
            t = loop;
        }
        if (t != null) {
            t.interrupt();
        }
        releaseAll("agent stopping");
    }
}
