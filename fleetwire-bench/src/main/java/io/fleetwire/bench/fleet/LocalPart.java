package io.fleetwire.bench.fleet;

import io.fleetwire.sim.CommandListener;
import io.fleetwire.sim.Fleet;
import io.fleetwire.sim.FleetOptions;
import io.fleetwire.sim.FleetStats;
import io.fleetwire.sim.SimDevice;

import java.util.ArrayList;
import java.util.List;

/** Devices simulated in this process; the bench times commands through these. */
final class LocalPart implements FleetPart {

    private final FleetOptions options;
    private final List<Fleet> fleets = new ArrayList<>();
    private CommandListener listener;

    /** {@code options} name every device of the run; each {@link #start} takes a range of them. */
    LocalPart(FleetOptions options) {
        this.options = options;
    }

    @Override
    public synchronized void start(int from, int to) {
        List<SimDevice> devices = options.devices().subList(from, to);
        Fleet f = Fleet.start(options.withDevices(devices));
        if (listener != null) {
            f.onCommand(listener);
        }
        fleets.add(f);
    }

    /** Devices of this part that commands may be sent to. */
    synchronized List<SimDevice> devices() {
        return fleets.stream().flatMap(f -> f.options().devices().stream()).toList();
    }

    synchronized void onCommand(CommandListener l) {
        this.listener = l;
        fleets.forEach(f -> f.onCommand(l));
    }

    @Override
    public synchronized int connected() {
        return fleets.stream().mapToInt(Fleet::connected).sum();
    }

    @Override
    public synchronized FleetStats stats() {
        return fleets.stream().map(Fleet::stats).reduce(FleetStats::plus).orElse(Fleets.EMPTY);
    }

    @Override
    public synchronized void pauseTelemetry() {
        fleets.forEach(Fleet::pauseTelemetry);
    }

    @Override
    public synchronized void resumeTelemetry() {
        fleets.forEach(Fleet::resumeTelemetry);
    }

    @Override
    public synchronized void dropAll() {
        fleets.forEach(Fleet::dropAll);
    }

    @Override
    public synchronized void close() {
        fleets.forEach(Fleet::close);
        fleets.clear();
    }
}
