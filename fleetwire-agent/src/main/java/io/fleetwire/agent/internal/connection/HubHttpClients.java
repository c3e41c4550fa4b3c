package io.fleetwire.agent.internal.connection;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;

/**
 * {@link HttpClient} builders for talking to the hub. For a plain {@code http://} or {@code ws://}
 * hub the client gets an SSL context that is never used instead of the JDK's default one: the
 * JDK's {@code HttpClient} otherwise calls {@code SSLContext.getDefault()} when it is built, which
 * loads the whole TLS stack (some 400 classes) and parses the JDK's trust store, all kept for the
 * life of the agent (agent footprint, docs/benchmarks.md). A {@code https://} or {@code wss://} hub
 * gets the default context, as before.
 */
public final class HubHttpClients {

    private HubHttpClients() {
    }

    /** A builder for requests to {@code target}; TLS only when {@code target} needs it. */
    public static HttpClient.Builder builder(URI target) {
        HttpClient.Builder b = HttpClient.newBuilder();
        if (!needsTls(target)) {
            b.sslContext(NoTls.CONTEXT).sslParameters(new SSLParameters());
        }
        return b;
    }

    static boolean needsTls(URI target) {
        String scheme = target.getScheme();
        return !"http".equalsIgnoreCase(scheme) && !"ws".equalsIgnoreCase(scheme);
    }

    /** An SSL context that refuses to be used: a plain-HTTP client never asks it for anything but parameters. */
    private static final class NoTls extends SSLContextSpi {

        static final SSLContext CONTEXT = new SSLContext(new NoTls(), null, "none") {
        };

        private static IllegalStateException refused() {
            return new IllegalStateException("TLS requested from a client built for a plain-HTTP hub");
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
            throw refused();
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return new SSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return new SSLParameters();
        }
    }
}
