package io.fleetwire.agent.internal.telemetry;

import io.fleetwire.protocol.Message;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Temperatures and fans straight from Linux hwmon ({@code /sys/class/hwmon/hwmonN}): {@code tempK_input}
 * (millidegrees), {@code tempK_max}/{@code _crit}, {@code tempK_label}; {@code fanK_input} (RPM) with
 * {@code pwmK} (0–255) as speed. Reading a few small files is far cheaper than a library call, and
 * it is what seed 003's agent discovers. Missing or unreadable files are skipped.
 */
public final class Hwmon {

    private static final Pattern TEMP = Pattern.compile("temp(\\d+)_input");
    private static final Pattern FAN = Pattern.compile("fan(\\d+)_input");

    private final Path root;

    public Hwmon(Path root) {
        this.root = root;
    }

    public static Hwmon system() {
        return new Hwmon(Path.of("/sys/class/hwmon"));
    }

    public List<Message.Sensor> sensors() {
        List<Message.Sensor> out = new ArrayList<>();
        for (Path chip : chips()) {
            String chipName = read(chip.resolve("name"));
            for (String file : files(chip)) {
                Matcher m = TEMP.matcher(file);
                if (!m.matches()) {
                    continue;
                }
                Double value = number(chip.resolve(file));
                if (value == null) {
                    continue;
                }
                String n = m.group(1);
                String label = read(chip.resolve("temp" + n + "_label"));
                String id = sanitize((chipName == null ? chip.getFileName().toString() : chipName) + "_"
                        + (label == null ? "temp" + n : label));
                out.add(new Message.Sensor(id, chipName, label, value / 1000.0, milli(chip.resolve("temp" + n + "_max")),
                        milli(chip.resolve("temp" + n + "_crit"))));
            }
        }
        return out;
    }

    public List<Message.Fan> fans() {
        List<Message.Fan> out = new ArrayList<>();
        for (Path chip : chips()) {
            String chipName = read(chip.resolve("name"));
            for (String file : files(chip)) {
                Matcher m = FAN.matcher(file);
                if (!m.matches()) {
                    continue;
                }
                Double rpm = number(chip.resolve(file));
                if (rpm == null) {
                    continue;
                }
                String n = m.group(1);
                Double pwm = number(chip.resolve("pwm" + n));
                String label = read(chip.resolve("fan" + n + "_label"));
                String id = sanitize((chipName == null ? chip.getFileName().toString() : chipName) + "_fan" + n);
                out.add(new Message.Fan(id, label, pwm == null ? null : Math.round(pwm * 1000 / 255.0) / 10.0, rpm, null,
                        rpm > 0 ? "ok" : "stopped"));
            }
        }
        return out;
    }

    private List<Path> chips() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<String> files(Path chip) {
        try (Stream<Path> s = Files.list(chip)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String read(Path file) {
        try {
            String s = Files.readString(file).strip();
            return s.isEmpty() ? null : s;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Double number(Path file) {
        String s = read(file);
        if (s == null) {
            return null;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double milli(Path file) {
        Double v = number(file);
        return v == null ? null : v / 1000.0;
    }

    /** A sensor id the hub accepts: letters, digits and {@code _ . - : /}, at most 128. */
    static String sanitize(String s) {
        String clean = s.replaceAll("[^A-Za-z0-9_.:/-]", "_");
        return clean.length() > 128 ? clean.substring(0, 128) : clean;
    }
}
