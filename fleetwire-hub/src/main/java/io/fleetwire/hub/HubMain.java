package io.fleetwire.hub;

import io.fleetwire.hub.config.ConfigException;
import io.fleetwire.hub.config.HubConfig;

/** {@code ./fleetwire hub}: starts a hub from the environment and stops it gracefully on SIGTERM/SIGINT. */
public final class HubMain {

    private HubMain() {
    }

    /** Runs the hub in this JVM (used by tests that need a hub process they can kill). */
    public static void main(String[] args) {
        int code = run();
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Returns the process exit code on a start failure; on success runs until the JVM is told to stop. */
    public static int run() {
        HubConfig config;
        try {
            config = HubConfig.fromEnvironment();
        } catch (ConfigException e) {
            System.err.println("fleetwire hub: " + e.getMessage());
            return 2;
        }
        Hub hub;
        try {
            hub = Hub.start(config);
        } catch (RuntimeException e) {
            System.err.println("fleetwire hub: cannot start: " + e.getMessage());
            org.slf4j.LoggerFactory.getLogger(HubMain.class).debug("Start failure", e);
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(hub::close, "fleetwire-shutdown"));
        System.out.println("Fleetwire hub ready on port " + hub.port());
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
