package io.fleetwire.bench.fleet;

import io.fleetwire.sim.FleetStats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Devices simulated by a {@link SimWorker} child process, driven over its stdin and stdout. */
final class WorkerPart implements FleetPart {

    private final Process process;
    private final PrintWriter commands;
    private final BufferedReader answers;

    private WorkerPart(Process process) {
        this.process = process;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts a worker on this JVM's classpath, simulating as {@code o} says; its log goes to {@code log}. */
    static WorkerPart start(io.fleetwire.sim.FleetOptions o, Path devicesFile, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:+UseParallelGC", "-cp", System.getProperty("java.class.path"), SimWorker.class.getName(),
                o.hub().toString(), devicesFile.toString(), Integer.toString(o.connectRate()), Boolean.toString(o.deflate()),
                Long.toString(o.telemetryInterval() == null ? 0 : o.telemetryInterval().toMillis()),
                Integer.toString(o.inFlightLimit()), Integer.toString(o.maxUnacked())));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        WorkerPart w = new WorkerPart(p);
        String ready = w.answers.readLine();
        if (!"ready".equals(ready)) {
            p.destroyForcibly();
            throw new IOException("the simulator worker did not start (said " + ready + "); its log: " + log);
        }
        return w;
    }

    private synchronized String ask(String command) throws IOException {
        commands.println(command);
        String answer = answers.readLine();
        if (answer == null) {
            throw new IOException("the simulator worker exited (exit " + (process.isAlive() ? "?" : process.exitValue()) + ")");
        }
        if (answer.startsWith("error ")) {
            throw new IOException("the simulator worker refused '" + command + "': " + answer.substring(6));
        }
        return answer;
    }

    @Override
    public void start(int from, int to) throws IOException {
        ask("start " + from + " " + to);
    }

    @Override
    public int connected() throws IOException {
        return Integer.parseInt(ask("connected"));
    }

    @Override
    public FleetStats stats() throws IOException {
        return StatsLine.decode(ask("stats"));
    }

    @Override
    public void pauseTelemetry() throws IOException {
        ask("pause");
    }

    @Override
    public void resumeTelemetry() throws IOException {
        ask("resume");
    }

    @Override
    public void dropAll() throws IOException {
        ask("drop");
    }

    @Override
    public void close() {
        try {
            ask("quit");
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            // gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.destroyForcibly();
        }
    }
}
