package io.fleetwire.sim;

import io.fleetwire.sim.internal.DeviceSession;
import io.fleetwire.sim.internal.FleetContext;
import io.fleetwire.sim.internal.FleetCounters;
import io.fleetwire.sim.internal.SocketTransport;
import io.netty.util.concurrent.Future;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Many simulated devices in one process, each with its own WebSocket to the hub, all served by a few shared
 * Netty event loops ({@link FleetOptions#eventLoops()}): no thread per device.
 *
 * <pre>{@code
 * List<SimDevice> devices = SimDevices.createOrLoad(hub, adminToken, 1_000, Path.of("devices.json"), n -> { });
 * try (Fleet fleet = Fleet.start(FleetOptions.builder(hub, devices).build())) {
 *     fleet.onCommand(receipt -> latencies.record(receipt.receivedAtNanos() - sentAt.get(receipt.commandId())));
 *     fleet.awaitConnected(Duration.ofSeconds(30));
 *     ...
 *     FleetStats stats = fleet.stats();
 * }
 * }</pre>
 *
 * What each device does (docs/protocol.md): waits for the hub's {@code welcome}, sends {@code hello} with
 * its sensors, fans and commands, then one {@code telemetry} message (one sample, {@link TelemetryGenerator})
 * per interval, starting at a random phase so devices do not fire together. Every seq'd message is kept until
 * the hub acks it and re-sent after a reconnect (or, with backoff, a retryable error; or after 60 s without any ack), so nothing is
 * lost. JSON pings are answered, WebSocket pings by the framing layer. Commands are acknowledged at once and
 * answered through the agent library's {@link io.fleetwire.agent.CommandHandler} contract; a
 * {@code command_cancel} before the run stops it. A lost socket reconnects with jittered exponential backoff;
 * an upgrade refused with a {@code Retry-After} waits what it says (plus up to 1 s of jitter); after a close 1001 (hub going away) or {@link #dropAll()} promptly, with jitter; after a 401 or a 4003 the
 * device stops (its token is no longer valid). Connection attempts of the whole fleet are paced by
 * {@link FleetOptions#connectRate()}.
 *
 * <p>Thread-safe. Listeners run on event loops and must not block.
 */
public final class Fleet implements AutoCloseable {

    private final FleetOptions options;
    private final SocketTransport transport;
    private final FleetCounters counters = new FleetCounters();
    private final FleetContext context;
    private final List<DeviceSession> sessions;
    private final long startNanos = System.nanoTime();
    private volatile boolean closed;

    private Fleet(FleetOptions options) {
        this.options = options;
        this.transport = new SocketTransport(options.hub(), options.deflate(), options.eventLoops());
        this.context = new FleetContext(options, transport, counters);
        List<DeviceSession> list = new ArrayList<>(options.devices().size());
        int i = 0;
        for (SimDevice d : options.devices()) {
            list.add(new DeviceSession(d, i++, transport.nextLoop(), context));
        }
        this.sessions = List.copyOf(list);
    }

    /** Creates the fleet and starts connecting every device (in the background, paced by the connect rate). */
    public static Fleet start(FleetOptions options) {
        Fleet fleet = new Fleet(options);
        fleet.sessions.forEach(DeviceSession::start);
        return fleet;
    }

    public FleetOptions options() {
        return options;
    }

    /** Number of simulated devices. */
    public int size() {
        return sessions.size();
    }

    /** Devices whose socket is open and welcomed right now. */
    public int connected() {
        return counters.connected();
    }

    /** Waits until every device is connected; false if {@code timeout} passed first. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return awaitConnected(size(), timeout);
    }

    /** Waits until at least {@code count} devices are connected; false if {@code timeout} passed first. */
    public boolean awaitConnected(int count, Duration timeout) throws InterruptedException {
        return await(() -> counters.connected() >= count, timeout);
    }

    /**
     * Waits until no message of any device waits for its ack (telemetry, command receipts and results):
     * everything sent so far is committed. With telemetry running this is rarely true for long; pause it
     * first ({@link #pauseTelemetry()}). False if {@code timeout} passed first.
     */
    public boolean awaitAllAcked(Duration timeout) throws InterruptedException {
        return await(() -> counters.outstanding() == 0, timeout);
    }

    /** An immutable snapshot of counters and latency histograms, see {@link FleetStats}. */
    public FleetStats stats() {
        return counters.snapshot(System.nanoTime() - startNanos, size());
    }

    /** Registers a listener told when a device first receives a command and when its result is stored. */
    public void onCommand(CommandListener listener) {
        context.addListener(java.util.Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Aborts every device's socket at once (TCP reset, no close frame), as a crashed network or hub would
     * look from the hub's side; each device reconnects after a random delay in {@code [0, backoffBase)}
     * (then paced by the connect rate) and re-sends what was not acked. Returns at once.
     */
    public void dropAll() {
        sessions.forEach(DeviceSession::drop);
    }

    /** Stops producing telemetry (sockets stay open; messages already sent are still acked and re-sent). */
    public void pauseTelemetry() {
        context.pause(true);
    }

    /** Produces telemetry again, each device on its own schedule. */
    public void resumeTelemetry() {
        context.pause(false);
    }

    /**
     * Stops every device: no more telemetry or reconnects, open sockets closed with 1000 (each waits up to
     * 1 s for the hub's close frame), then the event loops. Messages not yet acked stay un-acked (see
     * {@link FleetStats#telemetryUnacked()}); call {@link #pauseTelemetry()} and {@link #awaitAllAcked} first
     * to end with none. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        context.pause(true);
        List<Future<?>> closing = new ArrayList<>(sessions.size());
        sessions.forEach(s -> closing.add(s.close()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Future<?> f : closing) {
            f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        transport.close();
    }

    private static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
