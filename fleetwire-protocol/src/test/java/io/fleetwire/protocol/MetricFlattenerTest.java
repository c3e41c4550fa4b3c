package io.fleetwire.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class MetricFlattenerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant TS = Instant.parse("2025-01-01T00:00:00Z");

    private static Message.Sample sample(Map<String, Double> metrics, List<Message.Sensor> sensors,
                                         List<Message.Fan> fans, Map<String, Double> systemHealth,
                                         ObjectNode details) {
        return new Message.Sample(TS, metrics, sensors, fans, systemHealth, details);
    }

    private static Message.Sample metricsOnly(Map<String, Double> metrics) {
        return sample(metrics, List.of(), List.of(), Map.of(), JSON.createObjectNode());
    }

    private static Message.Sample detailsOnly(String detailsJson) throws Exception {
        return sample(Map.of(), List.of(), List.of(), Map.of(), (ObjectNode) JSON.readTree(detailsJson));
    }

    private static Message.Sensor sensor(String id, Double temperature) {
        return new Message.Sensor(id, "cpu", "CPU", temperature, 90.0, 100.0);
    }

    private static Message.Fan fan(String id, Double speed, Double rpm, Double targetSpeed) {
        return new Message.Fan(id, "Fan", speed, rpm, targetSpeed, "ok");
    }

    @Test
    void flatten_emptySample_givesNoMetrics() {
        assertThat(MetricFlattener.flatten(metricsOnly(Map.of()))).isEmpty();
    }

    @Test
    void flatten_keepsMetricsAsSent() {
        TreeMap<String, Double> out = MetricFlattener.flatten(metricsOnly(Map.of("cpu.usage", 12.5, "mem.used", 1024.0)));

        assertThat(out).containsExactly(entry("cpu.usage", 12.5), entry("mem.used", 1024.0));
    }

    @Test
    void flatten_prefixesSystemHealthEntries() {
        Message.Sample s = sample(Map.of(), List.of(), List.of(),
                Map.of("cpuLoad", 0.75, "memoryUsage", 40.0), JSON.createObjectNode());

        assertThat(MetricFlattener.flatten(s))
                .containsExactly(entry("systemHealth.cpuLoad", 0.75), entry("systemHealth.memoryUsage", 40.0));
    }

    @Test
    void flatten_namesSensorTemperaturesBySensorId_andSkipsAbsentTemperatures() {
        Message.Sample s = sample(Map.of(), List.of(sensor("cpu0", 55.5), sensor("gpu", 61.0), sensor("nvme", null)),
                List.of(), Map.of(), JSON.createObjectNode());

        assertThat(MetricFlattener.flatten(s))
                .containsExactly(entry("sensor.cpu0.temperature", 55.5), entry("sensor.gpu.temperature", 61.0));
    }

    @Test
    void flatten_sensorMaxAndCritTemperatures_areNotStored() {
        Message.Sample s = sample(Map.of(), List.of(sensor("cpu0", 55.5)), List.of(), Map.of(),
                JSON.createObjectNode());

        assertThat(MetricFlattener.flatten(s)).containsOnlyKeys("sensor.cpu0.temperature");
    }

    @Test
    void flatten_namesFanReadingsByFanId() {
        Message.Sample s = sample(Map.of(), List.of(), List.of(fan("cpu_fan", 60.0, 2400.0, 65.0)), Map.of(),
                JSON.createObjectNode());

        assertThat(MetricFlattener.flatten(s)).containsExactly(
                entry("fan.cpu_fan.rpm", 2400.0),
                entry("fan.cpu_fan.speed", 60.0),
                entry("fan.cpu_fan.targetSpeed", 65.0));
    }

    @Test
    void flatten_skipsAbsentFanFields() {
        Message.Sample s = sample(Map.of(), List.of(),
                List.of(fan("a", null, 1200.0, null), fan("b", 30.0, null, null), fan("c", null, null, null)),
                Map.of(), JSON.createObjectNode());

        assertThat(MetricFlattener.flatten(s))
                .containsExactly(entry("fan.a.rpm", 1200.0), entry("fan.b.speed", 30.0));
    }

    @Test
    void flatten_batteryAndSystem_numericAndBooleanFieldsBecomeMetrics_othersAreSkipped() throws Exception {
        Message.Sample s = detailsOnly("""
                {"battery": {"percent": 87, "charging": true, "present": false, "health": "good",
                             "voltage": 12.25, "cells": [1, 2], "meta": {"x": 1}, "absent": null},
                 "system":  {"uptime": 3600, "hostname": "box-1", "virtualized": true}}
                """);

        assertThat(MetricFlattener.flatten(s)).containsExactly(
                entry("battery.charging", 1.0),
                entry("battery.percent", 87.0),
                entry("battery.present", 0.0),
                entry("battery.voltage", 12.25),
                entry("system.uptime", 3600.0),
                entry("system.virtualized", 1.0));
    }

    @Test
    void flatten_batteryThatIsNotAnObject_isIgnored() throws Exception {
        Message.Sample s = detailsOnly("{\"battery\": 87, \"system\": [1, 2, 3]}");

        assertThat(MetricFlattener.flatten(s)).isEmpty();
    }

    @Test
    void flatten_networkEntries_areNamedByTheirName() throws Exception {
        Message.Sample s = detailsOnly("""
                {"network": [
                   {"name": "eth0", "rxBytes": 100, "txBytes": 200, "up": true, "mac": "aa:bb"},
                   {"name": "wlan0", "rxBytes": 5}
                ]}
                """);

        assertThat(MetricFlattener.flatten(s)).containsExactly(
                entry("network.eth0.rxBytes", 100.0),
                entry("network.eth0.txBytes", 200.0),
                entry("network.eth0.up", 1.0),
                entry("network.wlan0.rxBytes", 5.0));
    }

    @Test
    void flatten_diskEntries_areNamedByNameOrElseId() throws Exception {
        Message.Sample s = detailsOnly("""
                {"disks": [
                   {"name": "sda", "usedPercent": 41.5},
                   {"id": "nvme0", "usedPercent": 10}
                ]}
                """);

        assertThat(MetricFlattener.flatten(s)).containsExactly(
                entry("disks.nvme0.usedPercent", 10.0),
                entry("disks.sda.usedPercent", 41.5));
    }

    @Test
    void flatten_networkEntriesWithoutATextName_orNotObjects_areSkipped() throws Exception {
        Message.Sample s = detailsOnly("""
                {"network": [
                   {"rxBytes": 1},
                   {"name": 7, "rxBytes": 2},
                   {"name": null, "rxBytes": 3},
                   42,
                   "eth9",
                   {"name": "lo", "rxBytes": 4}
                ]}
                """);

        assertThat(MetricFlattener.flatten(s)).containsExactly(entry("network.lo.rxBytes", 4.0));
    }

    @Test
    void flatten_networkThatIsNotAnArray_isIgnored() throws Exception {
        Message.Sample s = detailsOnly("{\"network\": {\"name\": \"eth0\", \"rxBytes\": 100}}");

        assertThat(MetricFlattener.flatten(s)).isEmpty();
    }

    @Test
    void flatten_ignoresProcessesAndOtherDetails() throws Exception {
        Message.Sample s = detailsOnly("""
                {"processes": [{"name": "java", "pid": 42, "cpu": 12.5}],
                 "gpu": {"load": 99},
                 "os": {"version": 14}}
                """);

        assertThat(MetricFlattener.flatten(s)).isEmpty();
    }

    @Test
    void flatten_replacesIllegalCharactersInNamesWithUnderscore() throws Exception {
        Message.Sample s = sample(Map.of(),
                List.of(sensor("CPU Package #1", 70.0)),
                List.of(fan("fan (rear)", null, 900.0, null)),
                Map.of(),
                (ObjectNode) JSON.readTree("{\"network\": [{\"name\": \"Wi-Fi 2\", \"rx bytes\": 9, \"tx\u00e9\": 1}]}"));

        TreeMap<String, Double> out = MetricFlattener.flatten(s);

        assertThat(out).containsExactly(
                entry("fan.fan__rear_.rpm", 900.0),
                entry("network.Wi-Fi_2.rx_bytes", 9.0),
                entry("network.Wi-Fi_2.tx_", 1.0),
                entry("sensor.CPU_Package__1.temperature", 70.0));
        assertThat(out.keySet()).allMatch(MetricName::isValid, "every name is a valid MetricName");
    }

    @Test
    void flatten_keepsAllowedPunctuationInNames() {
        Message.Sample s = sample(Map.of(), List.of(sensor("coretemp-isa:0000/core_0", 50.0)), List.of(), Map.of(),
                JSON.createObjectNode());

        assertThat(MetricFlattener.flatten(s)).containsOnlyKeys("sensor.coretemp-isa:0000/core_0.temperature");
    }

    @Test
    void flatten_truncatesLongNamesTo128Characters() {
        String id = "x".repeat(300);
        Message.Sample s = sample(Map.of(), List.of(sensor(id, 1.0)), List.of(), Map.of(), JSON.createObjectNode());

        TreeMap<String, Double> out = MetricFlattener.flatten(s);

        String expected = ("sensor." + id).substring(0, MetricName.MAX_LENGTH);
        assertThat(out).containsExactly(entry(expected, 1.0));
        assertThat(out.firstKey()).hasSize(128);
    }

    @Test
    void flatten_truncatesAndSanitizesLongNamesWithIllegalCharacters() {
        String id = "a b".repeat(100);
        Message.Sample s = sample(Map.of(), List.of(sensor(id, 1.0)), List.of(), Map.of(), JSON.createObjectNode());

        String name = MetricFlattener.flatten(s).firstKey();

        assertThat(name).hasSize(MetricName.MAX_LENGTH).startsWith("sensor.a_ba_b").doesNotContain(" ");
        assertThat(MetricName.isValid(name)).isTrue();
    }

    @Test
    void sanitize_leavesValidNamesAlone_andReplacesEachIllegalCharacter() {
        assertThat(MetricFlattener.sanitize("cpu.usage")).isEqualTo("cpu.usage");
        assertThat(MetricFlattener.sanitize("a b\tc")).isEqualTo("a_b_c");
        assertThat(MetricFlattener.sanitize("temp\u00b0C")).isEqualTo("temp_C");
        assertThat(MetricFlattener.sanitize("")).isEqualTo("_");
    }

    @Test
    void flatten_returnsNamesInSortedOrder() throws Exception {
        Message.Sample s = sample(
                Map.of("zeta", 1.0, "alpha", 2.0),
                List.of(sensor("b", 3.0)),
                List.of(fan("a", 4.0, null, null)),
                Map.of("load", 5.0),
                (ObjectNode) JSON.readTree("{\"battery\": {\"percent\": 6}}"));

        TreeMap<String, Double> out = MetricFlattener.flatten(s);

        List<String> keys = new ArrayList<>(out.keySet());
        assertThat(keys).containsExactly(
                "alpha", "battery.percent", "fan.a.speed", "sensor.b.temperature", "systemHealth.load", "zeta");
        assertThat(keys).isSorted();
    }

    @Test
    void flatten_combinesEverySourceIntoOneMap() throws Exception {
        Message.Sample s = sample(
                Map.of("cpu.usage", 10.0),
                List.of(sensor("cpu", 50.0)),
                List.of(fan("f1", 40.0, 1000.0, 45.0)),
                Map.of("score", 0.9),
                (ObjectNode) JSON.readTree("""
                        {"battery": {"percent": 80}, "system": {"uptime": 5},
                         "network": [{"name": "eth0", "rxBytes": 7}], "disks": [{"name": "sda", "free": 3}],
                         "processes": [{"name": "p", "cpu": 1}]}
                        """));

        assertThat(MetricFlattener.flatten(s)).containsOnlyKeys(
                "cpu.usage", "sensor.cpu.temperature", "fan.f1.rpm", "fan.f1.speed", "fan.f1.targetSpeed",
                "systemHealth.score", "battery.percent", "system.uptime", "network.eth0.rxBytes", "disks.sda.free");
    }
}
