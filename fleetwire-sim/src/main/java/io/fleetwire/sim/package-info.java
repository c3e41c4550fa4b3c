/**
 * The fleet simulator's library API: many simulated devices from one process, for load tests and the
 * benchmark suite.
 *
 * <ul>
 *   <li>{@link io.fleetwire.sim.SimDevices} creates devices through the hub's admin REST API (or loads
 *       them from a state file) and gives their ids and tokens;</li>
 *   <li>{@link io.fleetwire.sim.Fleet#start(FleetOptions)} connects them all over a few shared Netty
 *       event loops (no thread per device); each speaks device protocol v1 (docs/protocol.md):
 *       {@code hello}, telemetry shaped like seed 003 ({@link io.fleetwire.sim.TelemetryGenerator}) at the
 *       hub's interval, acks tracked and un-acked messages re-sent after reconnecting, commands answered
 *       through the agent library's {@link io.fleetwire.agent.CommandHandler} contract;</li>
 *   <li>{@link io.fleetwire.sim.Fleet#stats()} gives an immutable {@link io.fleetwire.sim.FleetStats}
 *       snapshot: counters, bytes on the wire, HdrHistogram copies of latencies.</li>
 * </ul>
 *
 * Internals live in {@code io.fleetwire.sim.internal}; the {@code ./fleetwire sim} command in
 * {@code io.fleetwire.sim.cli}.
 */
package io.fleetwire.sim;
