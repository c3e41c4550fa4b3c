package io.fleetwire.sim.internal;

import io.fleetwire.protocol.Message;
import io.fleetwire.protocol.MessageCodec;
import io.fleetwire.sim.CommandListener;
import io.fleetwire.sim.CommandReceipt;
import io.fleetwire.sim.FleetOptions;
import io.fleetwire.sim.TelemetryGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** What every {@link DeviceSession} of one fleet shares. Thread-safe. */
public final class FleetContext {

    private static final Logger log = LoggerFactory.getLogger(FleetContext.class);
    /** At most this many warnings about refused messages are logged per fleet. */
    private static final int WARNINGS = 20;

    final FleetOptions options;
    final SocketTransport transport;
    final FleetCounters counters;
    final MessageCodec codec = new MessageCodec();
    final ConnectGate gate;
    final String helloText;
    private final List<CommandListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger warnings = new AtomicInteger();
    volatile boolean paused;

    public FleetContext(FleetOptions options, SocketTransport transport, FleetCounters counters) {
        this.options = options;
        this.transport = transport;
        this.counters = counters;
        this.gate = new ConnectGate(options.connectRate());
        // Every simulated machine has the same board, so one hello serves them all.
        this.helloText = codec.encode(new Message.Hello(Message.PROTOCOL_VERSION, "fleetwire-sim", version(),
                new TelemetryGenerator(0).capabilities()));
    }

    public void addListener(CommandListener listener) {
        listeners.add(listener);
    }

    public void pause(boolean pause) {
        this.paused = pause;
    }

    void received(CommandReceipt receipt) {
        for (CommandListener l : listeners) {
            try {
                l.received(receipt);
            } catch (RuntimeException e) {
                log.warn("A command listener failed: {}", e.toString());
            }
        }
    }

    void resultStored(CommandReceipt receipt, long atNanos) {
        for (CommandListener l : listeners) {
            try {
                l.resultStored(receipt, atNanos);
            } catch (RuntimeException e) {
                log.warn("A command listener failed: {}", e.toString());
            }
        }
    }

    /** Logs a warning, unless this fleet already logged {@value #WARNINGS} (the counters still count). */
    void warn(String format, Object... args) {
        int n = warnings.incrementAndGet();
        if (n <= WARNINGS) {
            log.warn(format, args);
        } else if (n == WARNINGS + 1) {
            log.warn("More warnings follow; not logged (see the simulator's counters)");
        }
    }

    private static String version() {
        String v = FleetContext.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }
}
