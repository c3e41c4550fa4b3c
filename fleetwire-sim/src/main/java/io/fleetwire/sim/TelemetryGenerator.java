package io.fleetwire.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetwire.protocol.Message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Telemetry of one simulated machine, shaped like seed 003's agents: 20 temperature sensors and 5 voltages
 * (25 sensor values), 4 fans with speed, rpm and target speed, and system health (CPU, memory, disk, agent
 * uptime). Values drift: CPU load and memory follow mean-reverting random walks, temperatures follow the load
 * with lag and noise, fans follow a temperature curve (or the speed a {@code set_fan_speed} command set),
 * voltages wobble around their nominal value. Each {@link #next(Instant)} is one step. Deterministic for a seed.
 *
 * <p>A sample flattens (docs/protocol.md §8) into 41 stored values: {@code sensor.<id>.temperature} ×20,
 * {@code volt.*} ×5 (in {@code metrics}), {@code fan.<id>.speed/rpm/targetSpeed} ×12,
 * {@code systemHealth.*} ×4. Not thread-safe: one generator per device, used from one thread at a time.
 */
public final class TelemetryGenerator {

    /** A temperature sensor of the simulated board: idle temperature, extra degrees at full load, limits. */
    record SensorSpec(String id, String type, String name, double idle, double perLoad, double max, double crit) {
    }

    static final List<SensorSpec> SENSORS = List.of(
            new SensorSpec("cpu_package", "cpu", "Package id 0", 38, 42, 85, 100),
            new SensorSpec("cpu_core_0", "cpu", "Core 0", 36, 44, 85, 100),
            new SensorSpec("cpu_core_1", "cpu", "Core 1", 36, 44, 85, 100),
            new SensorSpec("cpu_core_2", "cpu", "Core 2", 35, 44, 85, 100),
            new SensorSpec("cpu_core_3", "cpu", "Core 3", 35, 44, 85, 100),
            new SensorSpec("cpu_core_4", "cpu", "Core 4", 36, 43, 85, 100),
            new SensorSpec("cpu_core_5", "cpu", "Core 5", 36, 43, 85, 100),
            new SensorSpec("cpu_core_6", "cpu", "Core 6", 35, 43, 85, 100),
            new SensorSpec("cpu_core_7", "cpu", "Core 7", 35, 43, 85, 100),
            new SensorSpec("acpitz_1", "acpi", "acpitz temp1", 30, 12, 90, 105),
            new SensorSpec("acpitz_2", "acpi", "acpitz temp2", 29, 10, 90, 105),
            new SensorSpec("nvme_composite", "nvme", "Composite", 34, 14, 80, 85),
            new SensorSpec("nvme_sensor_1", "nvme", "Sensor 1", 33, 13, 80, 85),
            new SensorSpec("gpu_edge", "gpu", "edge", 40, 25, 95, 105),
            new SensorSpec("gpu_junction", "gpu", "junction", 43, 32, 105, 115),
            new SensorSpec("board_systin", "motherboard", "SYSTIN", 31, 8, 75, 90),
            new SensorSpec("board_cputin", "motherboard", "CPUTIN", 33, 18, 80, 95),
            new SensorSpec("board_auxtin", "motherboard", "AUXTIN0", 30, 6, 75, 90),
            new SensorSpec("dimm_0", "memory", "SPD DIMM 0", 32, 9, 85, 95),
            new SensorSpec("wifi", "network", "iwlwifi_1", 35, 5, 90, 100));

    /** Voltage rails reported in {@code metrics}: name and nominal volts. */
    static final List<Map.Entry<String, Double>> VOLTAGES = List.of(
            Map.entry("volt.vcore", 1.20), Map.entry("volt.3v3", 3.30), Map.entry("volt.5v", 5.00),
            Map.entry("volt.12v", 12.00), Map.entry("volt.vbat", 3.05));

    /** A fan: id, name, top speed. */
    record FanSpec(String id, String name, double maxRpm) {
    }

    static final List<FanSpec> FANS = List.of(
            new FanSpec("cpu_fan", "CPU fan", 2200), new FanSpec("sys_fan_1", "Chassis fan 1", 1500),
            new FanSpec("sys_fan_2", "Chassis fan 2", 1500), new FanSpec("gpu_fan", "GPU fan", 3200));

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final SplittableRandom random;
    private final double[] temps = new double[SENSORS.size()];
    private final double[] volts = new double[VOLTAGES.size()];
    private final double[] fanSpeed = new double[FANS.size()];
    /** Manual speed per fan set by {@code set_fan_speed}; NaN = follow the curve. */
    private final double[] fanManual = new double[FANS.size()];
    private final double loadMean;
    private double cpu;
    private double memory;
    private double disk;
    private final long uptimeOffsetSeconds;
    private long firstTsMillis = -1;
    private String profile = "default";

    public TelemetryGenerator(long seed) {
        this.random = new SplittableRandom(seed);
        this.loadMean = 8 + random.nextDouble() * 35;
        this.cpu = loadMean;
        this.memory = 25 + random.nextDouble() * 45;
        this.disk = 20 + random.nextDouble() * 60;
        this.uptimeOffsetSeconds = random.nextLong(60, 30L * 86_400);
        for (int i = 0; i < temps.length; i++) {
            temps[i] = target(SENSORS.get(i)) + random.nextGaussian();
        }
        for (int i = 0; i < volts.length; i++) {
            volts[i] = VOLTAGES.get(i).getValue();
        }
        for (int i = 0; i < fanSpeed.length; i++) {
            fanManual[i] = Double.NaN;
            fanSpeed[i] = curve(temps[0]);
        }
    }

    /** Advances the machine by one step and returns its sample at {@code ts}. */
    public Message.Sample next(Instant ts) {
        if (firstTsMillis < 0) {
            firstTsMillis = ts.toEpochMilli();
        }
        // Load: mean-reverting walk with rare bursts; memory follows slowly; disk creeps up.
        cpu += 0.15 * (loadMean - cpu) + random.nextGaussian() * 5;
        if (random.nextInt(50) == 0) {
            cpu += 30 + random.nextDouble() * 40;
        }
        cpu = clamp(cpu, 0.5, 100);
        memory = clamp(memory + 0.02 * (50 - memory) + random.nextGaussian() * 0.4, 5, 98);
        disk = clamp(disk + random.nextDouble() * 0.002, 1, 99.9);

        List<Message.Sensor> sensors = new ArrayList<>(SENSORS.size());
        for (int i = 0; i < temps.length; i++) {
            SensorSpec s = SENSORS.get(i);
            temps[i] = clamp(temps[i] + 0.3 * (target(s) - temps[i]) + random.nextGaussian() * 0.4, 15, s.crit());
            sensors.add(new Message.Sensor(s.id(), s.type(), s.name(), round1(temps[i]), s.max(), s.crit()));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int i = 0; i < volts.length; i++) {
            double nominal = VOLTAGES.get(i).getValue();
            volts[i] = clamp(volts[i] + 0.2 * (nominal - volts[i]) + random.nextGaussian() * nominal * 0.004,
                    nominal * 0.95, nominal * 1.05);
            metrics.put(VOLTAGES.get(i).getKey(), Math.round(volts[i] * 1000) / 1000.0);
        }
        List<Message.Fan> fans = new ArrayList<>(FANS.size());
        for (int i = 0; i < fanSpeed.length; i++) {
            FanSpec f = FANS.get(i);
            double target = Double.isNaN(fanManual[i]) ? curve(i == 3 ? temps[13] : temps[0]) : fanManual[i];
            fanSpeed[i] = clamp(fanSpeed[i] + 0.5 * (target - fanSpeed[i]), 0, 100);
            double rpm = fanSpeed[i] < 1 ? 0 : clamp(f.maxRpm() * fanSpeed[i] / 100 + random.nextGaussian() * 12, 0, f.maxRpm() * 1.05);
            fans.add(new Message.Fan(f.id(), f.name(), (double) Math.round(fanSpeed[i]), (double) Math.round(rpm),
                    (double) Math.round(target), "ok"));
        }
        Map<String, Double> health = new LinkedHashMap<>();
        health.put("cpuUsage", round1(cpu));
        health.put("memoryUsage", round1(memory));
        health.put("diskUsage", round1(disk));
        health.put("agentUptime", (double) (uptimeOffsetSeconds + Math.max(0, ts.toEpochMilli() - firstTsMillis) / 1000));
        return new Message.Sample(Instant.ofEpochMilli(ts.toEpochMilli()), metrics, sensors, fans, health, JSON.objectNode());
    }

    /** The {@code capabilities} of this machine's {@code hello}: OS, sensors, fans and the commands it answers. */
    public ObjectNode capabilities() {
        ObjectNode caps = JSON.objectNode();
        caps.putObject("os").put("name", "Linux").put("version", "6.1").put("simulated", true);
        ArrayNode sensors = caps.putArray("sensors");
        for (SensorSpec s : SENSORS) {
            sensors.addObject().put("id", s.id()).put("type", s.type()).put("name", s.name())
                    .put("maxTemp", s.max()).put("critTemp", s.crit());
        }
        ArrayNode fans = caps.putArray("fans");
        for (FanSpec f : FANS) {
            fans.addObject().put("id", f.id()).put("name", f.name()).put("maxRpm", f.maxRpm()).put("controllable", true);
        }
        ArrayNode commands = caps.putArray("commands");
        io.fleetwire.sim.internal.SimCommandHandlers.NAMES.forEach(commands::add);
        return caps;
    }

    /**
     * Sets one fan to a fixed speed (a {@code set_fan_speed} command). Returns the rpm it will settle at,
     * or -1 when this machine has no such fan.
     */
    public double setFanSpeed(String fanId, double percent) {
        for (int i = 0; i < FANS.size(); i++) {
            if (FANS.get(i).id().equals(fanId)) {
                fanManual[i] = clamp(percent, 0, 100);
                return Math.round(FANS.get(i).maxRpm() * fanManual[i] / 100);
            }
        }
        return -1;
    }

    /** Hands every fan back to the temperature curve, named {@code profile} (an {@code apply_fan_profile} command). */
    public void applyFanProfile(String name) {
        java.util.Arrays.fill(fanManual, Double.NaN);
        profile = name;
    }

    /** The fan profile in use. */
    public String fanProfile() {
        return profile;
    }

    /** Ids of this machine's fans. */
    public static List<String> fanIds() {
        return FANS.stream().map(FanSpec::id).toList();
    }

    private double target(SensorSpec s) {
        return s.idle() + s.perLoad() * cpu / 100;
    }

    /** Default fan curve: 30 % up to 40 °C, linear to 100 % at 80 °C. */
    private static double curve(double temperature) {
        return clamp(30 + (temperature - 40) * 70 / 40, 30, 100);
    }

    private static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(max, v));
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
