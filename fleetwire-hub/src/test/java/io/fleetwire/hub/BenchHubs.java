package io.fleetwire.hub;

import io.fleetwire.testkit.ApiClient;

import java.nio.file.Path;

/** Hub processes for measurements, with limits raised so the client is the only throttle. */
public final class BenchHubs {

    private BenchHubs() {
    }

    /** A running hub process. */
    public interface Handle extends AutoCloseable {
        ApiClient api();

        String wsUrl();

        long pid();

        @Override
        void close();
    }

    public static Handle start(Path dataDir) {
        HubProcess p = HubProcess.start(dataDir, null);
        return new Handle() {
            public ApiClient api() {
                return p.api();
            }

            public String wsUrl() {
                return p.wsUrl();
            }

            public long pid() {
                return p.pid();
            }

            public void close() {
                p.close();
            }
        };
    }
}
