package io.chronofabric.ledger.verify;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 6962 / RFC 9162 Merkle tree hashing with SHA-256: leaf = SHA-256(0x00 || data),
 * node = SHA-256(0x01 || left || right), empty tree = SHA-256 of nothing. Thread-safe.
 */
public final class Rfc6962 {

    /** Length of every hash. */
    public static final int HASH_LENGTH = 32;

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    });

    private Rfc6962() {
    }

    public static byte[] leafHash(byte[] data) {
        return leafHash(data, 0, data.length);
    }

    public static byte[] leafHash(byte[] data, int offset, int length) {
        MessageDigest md = SHA256.get();
        md.update((byte) 0x00);
        md.update(data, offset, length);
        return md.digest();
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest md = SHA256.get();
        md.update((byte) 0x01);
        md.update(left);
        md.update(right);
        return md.digest();
    }

    public static byte[] emptyRoot() {
        return SHA256.get().digest();
    }

    /** Largest power of two strictly below {@code n} (n &gt; 1). */
    public static long splitPoint(long n) {
        if (n < 2) {
            throw new IllegalArgumentException("no split point for " + n + " leaves");
        }
        return Long.highestOneBit(n - 1);
    }
}
