package io.fleetwire.bench.fleet;

import io.fleetwire.sim.CommandListener;
import io.fleetwire.sim.FleetOptions;
import io.fleetwire.sim.FleetStats;
import io.fleetwire.sim.SimDevice;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The bench's simulated devices across processes: device {@code i} lives in process
 * {@code i / perProcess}, process 0 being this one (where commands are timed) and the others
 * {@link SimWorker}s. This machine lets a process hold at most ~19k sockets, so a run of 19k devices
 * needs two. {@link #grow} connects the devices in steps, so the hub can be measured at each.
 */
public final class Fleets implements AutoCloseable {

    static final FleetStats EMPTY = new FleetStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            new Histogram(60_000_000_000L, 3), new Histogram(60_000_000_000L, 3), new Histogram(60_000_000_000L, 3));

    private final FleetOptions options;
    private final Path devicesFile;
    private final int perProcess;
    private final Path logDir;
    private final LocalPart local;
    private final List<FleetPart> parts = new ArrayList<>();
    private int started;

    /**
     * @param options     every device of the run (the bench's {@code devicesFile}, in its order) and how to simulate them
     * @param devicesFile the {@code SimDevices} state file the workers load the same list from
     * @param perProcess  devices per process
     * @param logDir      where workers' logs go
     */
    public Fleets(FleetOptions options, Path devicesFile, int perProcess, Path logDir) {
        this.options = options;
        this.devicesFile = devicesFile;
        this.perProcess = perProcess;
        this.logDir = logDir;
        this.local = new LocalPart(options);
        parts.add(local);
    }

    /** Starts devices up to {@code total} (from where the last call stopped), each in its process. */
    public void grow(int total) throws Exception {
        if (total > options.devices().size() || total < started) {
            throw new IllegalArgumentException("cannot grow from " + started + " to " + total + " of " + options.devices().size());
        }
        while (started < total) {
            int process = started / perProcess;
            int end = Math.min(total, (process + 1) * perProcess);
            while (parts.size() <= process) {
                parts.add(WorkerPart.start(options, devicesFile, logDir.resolve("sim-worker-" + parts.size() + ".log")));
            }
            parts.get(process).start(started, end);
            started = end;
        }
    }

    /** Processes simulating devices (this one included). */
    public int processes() {
        return parts.size();
    }

    public int started() {
        return started;
    }

    /** The devices simulated in this process, which commands can be timed on. */
    public List<SimDevice> localDevices() {
        return local.devices();
    }

    public void onCommand(CommandListener listener) {
        local.onCommand(listener);
    }

    public int connected() throws Exception {
        int n = 0;
        for (FleetPart p : parts) {
            n += p.connected();
        }
        return n;
    }

    public FleetStats stats() throws Exception {
        FleetStats s = EMPTY;
        for (FleetPart p : parts) {
            s = s.plus(p.stats());
        }
        return s;
    }

    public boolean awaitConnected(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (connected() < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    /** Waits until no telemetry is waiting for its ack (pause telemetry first for this to end). */
    public boolean awaitAllAcked(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stats().telemetryUnacked() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    public void pauseTelemetry() throws Exception {
        for (FleetPart p : parts) {
            p.pauseTelemetry();
        }
    }

    public void resumeTelemetry() throws Exception {
        for (FleetPart p : parts) {
            p.resumeTelemetry();
        }
    }

    public void dropAll() throws Exception {
        for (FleetPart p : parts) {
            p.dropAll();
        }
    }

    @Override
    public void close() {
        parts.forEach(FleetPart::close);
    }
}
