package io.fleetwire.testkit;

/** Telemetry frames for tests, shaped like seed 003's data. */
public final class Telemetry {

    private Telemetry() {
    }

    /** A v1 telemetry message with one sample at {@code tsMillis} holding cpu and a sensor and fan. */
    public static String message(long seq, long tsMillis, double cpu) {
        return """
                {"type":"telemetry","seq":%d,"samples":[{"ts":%d,"metrics":{"cpu.usage":%s,"mem.used":42.5},
                 "sensors":[{"id":"cpu_temp","type":"cpu","temperature":45.2,"maxTemp":85,"critTemp":95}],
                 "fans":[{"id":"cpu_fan","speed":60,"rpm":1200,"targetSpeed":60,"status":"ok"}],
                 "systemHealth":{"cpuUsage":%s,"memoryUsage":45.2,"agentUptime":3600}}]}"""
                .formatted(seq, tsMillis, cpu, cpu);
    }

    /** Seed 003's message, verbatim but for the timestamp. */
    public static String seed003(String agentId, long tsMillis) {
        return """
                {"type":"data","data":{"agentId":"%s","timestamp":%d,
                 "sensors":[{"id":"cpu_temp","temperature":45.2,"type":"cpu","max_temp":85,"crit_temp":95}],
                 "fans":[{"id":"cpu_fan","speed":60,"rpm":1200,"targetSpeed":60,"status":"ok"}],
                 "systemHealth":{"cpuUsage":25.3,"memoryUsage":45.2,"agentUptime":3600}}}"""
                .formatted(agentId, tsMillis);
    }
}
