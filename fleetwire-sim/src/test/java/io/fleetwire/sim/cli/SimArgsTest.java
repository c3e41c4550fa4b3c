package io.fleetwire.sim.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimArgsTest {

    private static SimArgs parse(String... args) {
        return SimArgs.parse(args, Map.of());
    }

    @Test
    void defaults_areTheDocumentedOnes() {
        SimArgs a = parse("--devices", "10");
        assertThat(a.hub()).isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThat(a.devices()).isEqualTo(10);
        assertThat(a.connectRate()).isEqualTo(500);
        assertThat(a.interval()).isNull();
        assertThat(a.duration()).isNull();
        assertThat(a.state()).isEqualTo(Path.of("fleetwire-sim-devices.json"));
        assertThat(a.deflate()).isFalse();
        assertThat(a.quiet()).isFalse();
        assertThat(a.adminToken()).isNull();
    }

    @Test
    void everyOption_inBothSpellings() {
        SimArgs a = parse("--hub=http://h:9000", "--devices", "5000", "--admin-token", "fwa_x", "--interval-seconds=2",
                "--connect-rate", "1000", "--duration", "60s", "--deflate", "--state", "/tmp/s.json", "--quiet",
                "--event-loops", "4");
        assertThat(a.hub()).isEqualTo(URI.create("http://h:9000"));
        assertThat(a.devices()).isEqualTo(5000);
        assertThat(a.adminToken()).isEqualTo("fwa_x");
        assertThat(a.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(a.connectRate()).isEqualTo(1000);
        assertThat(a.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(a.deflate()).isTrue();
        assertThat(a.state()).isEqualTo(Path.of("/tmp/s.json"));
        assertThat(a.quiet()).isTrue();
        assertThat(a.eventLoops()).isEqualTo(4);
    }

    @Test
    void adminToken_fromTheEnvironment_unlessGiven() {
        assertThat(SimArgs.parse(new String[]{"--devices", "1"}, Map.of("FLEETWIRE_ADMIN_TOKEN", "fwa_env")).adminToken())
                .isEqualTo("fwa_env");
        assertThat(SimArgs.parse(new String[]{"--devices", "1", "--admin-token", "fwa_arg"},
                Map.of("FLEETWIRE_ADMIN_TOKEN", "fwa_env")).adminToken()).isEqualTo("fwa_arg");
    }

    @Test
    void durations() {
        assertThat(SimArgs.duration("none")).isNull();
        assertThat(SimArgs.duration("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(SimArgs.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(SimArgs.duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(SimArgs.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void badInput_isRefusedWithAMessageNamingTheProblem() {
        assertBad("--devices is required", "--hub", "http://x:1");
        assertBad("--devices must be a whole number", "--devices", "many");
        assertBad("--devices must be 1", "--devices", "0");
        assertBad("--devices must be 1", "--devices", "-5");
        assertBad("unknown option --device", "--device", "5");
        assertBad("--devices needs a value", "--devices");
        assertBad("--devices is given twice", "--devices", "1", "--devices", "2");
        assertBad("unexpected argument 'extra'", "--devices", "1", "extra");
        assertBad("--hub must be an http(s)", "--devices", "1", "--hub", "ftp://x");
        assertBad("--hub must be an http(s)", "--devices", "1", "--hub", "localhost:8080");
        assertBad("--hub is not a URL", "--devices", "1", "--hub", "http://a b");
        assertBad("--duration must be like", "--devices", "1", "--duration", "soon");
        assertBad("--duration must be like", "--devices", "1", "--duration", "-1s");
        assertBad("--duration must be positive", "--devices", "1", "--duration", "0s");
        assertBad("--interval-seconds must be 1", "--devices", "1", "--interval-seconds", "0");
        assertBad("--connect-rate must be 1", "--devices", "1", "--connect-rate", "0");
        assertBad("--quiet takes no value", "--devices", "1", "--quiet=yes");
        assertBad("--state is empty", "--devices", "1", "--state", " ");
        assertBad("the admin token is empty", "--devices", "1", "--admin-token", "");
    }

    private static void assertBad(String message, String... args) {
        assertThatThrownBy(() -> parse(args)).isInstanceOf(SimArgs.UsageException.class).hasMessageContaining(message);
    }

    @Test
    void run_withBadArguments_exitsWith2_andSaysWhy() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SimMain.run(new String[]{"--devices", "ten"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--devices must be a whole number").contains("--help");
    }

    @Test
    void run_overTheOpenFileLimit_exitsWith2() {
        long max = SimMain.maxOpenFiles();
        org.junit.jupiter.api.Assumptions.assumeTrue(max > 0 && max < 900_000);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SimMain.run(new String[]{"--devices", String.valueOf(max)}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("open files");
    }

    @Test
    void help_exitsWith0() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(SimMain.run(new String[]{"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--devices N").contains("--connect-rate");
    }
}
