package io.fleetwire.hub.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secrets: 32 random bytes, base64url, with a prefix telling what they open ({@code fwd_} device,
 * {@code fwe_} enrollment, {@code fwa_} admin). Only their SHA-256 is stored. A fast hash is right
 * here: the tokens have 256 bits of entropy, so there is nothing to brute-force.
 */
public final class Tokens {

    public static final String DEVICE = "fwd_";
    public static final String ENROLLMENT = "fwe_";
    public static final String ADMIN = "fwa_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    public static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bearer token of an Authorization header value, or null. */
    public static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 8
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() || token.length() > 512 ? null : token;
    }
}
