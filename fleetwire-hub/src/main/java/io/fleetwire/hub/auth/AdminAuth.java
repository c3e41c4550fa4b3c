package io.fleetwire.hub.auth;

import io.fleetwire.hub.api.ApiException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The admin API token. Given by {@code FLEETWIRE_ADMIN_TOKEN}, or generated on first start: printed
 * once, and only its SHA-256 kept in {@code <dataDir>/admin-token.sha256}. Delete that file to get a
 * new token on the next start.
 */
public final class AdminAuth implements Handler<RoutingContext> {

    private static final Logger log = LoggerFactory.getLogger(AdminAuth.class);
    /** Who the audit trail names for requests made with the admin token. */
    public static final String ACTOR = "admin";
    static final String HASH_FILE = "admin-token.sha256";

    private final byte[] hash;

    private AdminAuth(byte[] hash) {
        this.hash = hash;
    }

    public static AdminAuth load(Optional<String> configured, Path dataDir) {
        if (configured.isPresent()) {
            return new AdminAuth(Tokens.hash(configured.get()));
        }
        Path file = dataDir.resolve(HASH_FILE);
        try {
            if (Files.exists(file)) {
                return new AdminAuth(HexFormat.of().parseHex(Files.readString(file).trim()));
            }
            String token = Tokens.generate(Tokens.ADMIN);
            byte[] hash = Tokens.hash(token);
            Files.createDirectories(dataDir);
            Files.writeString(file, HexFormat.of().formatHex(hash) + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            // Printed once, on purpose to stdout, so it is not lost in a log pipeline.
            System.out.println();
            System.out.println("  Admin API token (shown once, keep it safe): " + token);
            System.out.println("  Use it as: Authorization: Bearer " + token);
            System.out.println();
            log.info("Generated a new admin token; its hash is in {}", file);
            return new AdminAuth(hash);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read or create the admin token in " + file + ": " + e.getMessage(), e);
        }
    }

    /** A guard that lets the admin through and hands every other request to {@code other}. */
    public Handler<RoutingContext> orElse(Handler<RoutingContext> other) {
        return ctx -> {
            if (matches(Tokens.bearer(ctx.request().getHeader("Authorization")))) {
                ctx.put(io.fleetwire.hub.api.Requests.ACTOR, ACTOR);
                ctx.next();
            } else {
                other.handle(ctx);
            }
        };
    }

    public boolean matches(String token) {
        return token != null && MessageDigest.isEqual(hash, Tokens.hash(token));
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (matches(Tokens.bearer(ctx.request().getHeader("Authorization")))) {
            ctx.put(io.fleetwire.hub.api.Requests.ACTOR, ACTOR);
            ctx.next();
        } else {
            ctx.fail(new ApiException.Unauthorized("a valid admin token is required (Authorization: Bearer <token>)"));
        }
    }
}
