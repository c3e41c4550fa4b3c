package io.fleetwire.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

    @Test
    void quick_usesSmallNumbers_andTheFullRunLargerOnes() throws Exception {
        BenchOptions quick = BenchOptions.parse(new String[]{"--quick"});
        assertThat(quick.devices()).isEqualTo(200);
        assertThat(quick.telemetry().toSeconds()).isEqualTo(20);
        assertThat(quick.intervalSeconds()).isEqualTo(1);
        assertThat(quick.out()).isEqualTo(Path.of("fleetwire-bench-quick.md"));
        assertThat(quick.peer()).as("CI's smoke run leaves the Mosquitto peer out").isFalse();
        assertThat(BenchOptions.parse(new String[]{"--quick", "--peer"}).peer()).isTrue();
        assertThat(BenchOptions.parse(new String[]{"--no-peer"}).peer()).isFalse();
        BenchOptions full = BenchOptions.parse(new String[]{"--devices", "10000", "--seconds", "120", "--deflate", "--out", "r.md"});
        assertThat(full.devices()).isEqualTo(10_000);
        assertThat(full.telemetry().toSeconds()).isEqualTo(120);
        assertThat(full.intervalSeconds()).isEqualTo(3);
        assertThat(full.deflate()).isTrue();
        assertThat(full.out()).isEqualTo(Path.of("r.md"));
        assertThat(full.peer()).isTrue();
        assertThat(full.steps()).containsExactly(10_000);
        assertThat(full.ingestDevices()).isEqualTo(1_000);
        BenchOptions docs = BenchOptions.parse(new String[]{"--devices", "19000", "--steps", "5000,10000,19000"});
        assertThat(docs.out()).as("a full run without --out rewrites docs/benchmarks.md").isNull();
        assertThat(docs.steps()).containsExactly(5_000, 10_000, 19_000);
        assertThat(quick.ingestDevices()).isEqualTo(100);
        assertThat(quick.ingest().toSeconds()).isEqualTo(5);
        assertThat(quick.bandwidthDevices()).isEqualTo(50);
        assertThat(quick.bandwidthWindow().toSeconds()).isEqualTo(12);
        BenchOptions bw = BenchOptions.parse(new String[]{"--bandwidth-devices", "300", "--bandwidth-seconds", "60"});
        assertThat(bw.bandwidthDevices()).isEqualTo(300);
        assertThat(bw.bandwidthWindow().toSeconds()).isEqualTo(60);
        assertThat(BenchOptions.parse(new String[0]).bandwidthDevices()).isEqualTo(500);
    }

    @Test
    void badSteps_areRefusedWithTheReason() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--devices", "100", "--steps", "50,40,100"}))
                .hasMessageContaining("must go up");
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--devices", "100", "--steps", "50,90"}))
                .hasMessageContaining("must end at --devices (100)");
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--devices", "100", "--steps", "50,,100"}))
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--devices", "100", "--ingest-devices", "101"}))
                .hasMessageContaining("at most --devices");
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--per-process", "5"})).hasMessageContaining("between 100 and 18000");
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--bandwidth-devices", "0"})).hasMessageContaining("between 1 and 5000");
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--bandwidth-seconds", "3"})).hasMessageContaining("between 6 and 3600");
    }

    @Test
    void theGeneratedPartOfTheDocs_isReplaced_andTheRestKept() {
        String doc = "# Benchmarks\n\nintro\n\n" + BenchMain.BEGIN + "\n\nold figures\n\n" + BenchMain.END + "\n\n## Agent footprint\nkept\n";
        String out = BenchMain.replaceGenerated(doc, "new figures\n");
        assertThat(out).startsWith("# Benchmarks\n\nintro\n\n" + BenchMain.BEGIN).contains("new figures")
                .doesNotContain("old figures").endsWith(BenchMain.END + "\n\n## Agent footprint\nkept\n");
        assertThat(BenchMain.replaceGenerated(out, "newer\n")).contains("newer").doesNotContain("new figures");
        assertThat(BenchMain.replaceGenerated("# Benchmarks\n", "first\n"))
                .isEqualTo("# Benchmarks\n\n" + BenchMain.BEGIN + "\n\nfirst\n\n" + BenchMain.END + "\n");
    }

    @Test
    void badArguments_areRefusedWithTheReason() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--devices", "0"})).hasMessageContaining("between 1 and 19000");
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--devices", "20000"})).hasMessageContaining("between 1 and 19000");
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--devices", "many"})).hasMessageContaining("whole number");
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--seconds"})).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--seconds", "--quick"})).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--fast"})).hasMessageContaining("unknown option '--fast'");
    }

    @Test
    void run_withBadArguments_exits2_andStartsNothing() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BenchMain.run(new String[]{"--interval-seconds", "0"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--interval-seconds must be between 1 and 60").doesNotContain("starting a hub");
    }
}
