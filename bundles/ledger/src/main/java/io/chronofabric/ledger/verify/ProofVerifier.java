package io.chronofabric.ledger.verify;

import java.security.MessageDigest;
import java.util.List;

/**
 * Inclusion and consistency proof verification exactly as RFC 9162 sections 2.1.3.2 and
 * 2.1.4.2. Each method returns normally when the proof holds and throws
 * {@link ProofException} naming what did not; none needs the log itself. Thread-safe.
 */
public final class ProofVerifier {

    private ProofVerifier() {
    }

    /** Thrown when a proof does not verify; the message says why. */
    public static final class ProofException extends Exception {
        private static final long serialVersionUID = 1L;

        public ProofException(String message) {
            super(message);
        }
    }

    /** The root an inclusion proof leads to. */
    public static byte[] rootFromInclusionProof(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> path)
            throws ProofException {
        if (leafIndex < 0 || leafIndex >= treeSize) {
            throw new ProofException("leaf index " + leafIndex + " is outside a tree of size " + treeSize);
        }
        requireHash(leafHash, "leaf hash");
        long fn = leafIndex;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            requireHash(p, "proof element");
            if (sn == 0) {
                throw new ProofException("inclusion proof has " + path.size() + " elements, more than a tree of size "
                        + treeSize + " needs");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = Rfc6962.nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = Rfc6962.nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new ProofException("inclusion proof has " + path.size() + " elements, fewer than a tree of size "
                    + treeSize + " needs for leaf " + leafIndex);
        }
        return r;
    }

    public static void verifyInclusion(long leafIndex, long treeSize, byte[] leafHash, List<byte[]> path, byte[] root)
            throws ProofException {
        requireHash(root, "root");
        byte[] computed = rootFromInclusionProof(leafIndex, treeSize, leafHash, path);
        if (!MessageDigest.isEqual(computed, root)) {
            throw new ProofException("inclusion proof for leaf " + leafIndex + " leads to a different root than the one for size " + treeSize);
        }
    }

    public static void verifyConsistency(long size1, long size2, List<byte[]> path, byte[] root1, byte[] root2)
            throws ProofException {
        if (size1 < 0 || size2 < size1) {
            throw new ProofException("size " + size1 + " cannot be a prefix of size " + size2);
        }
        if (size1 == size2) {
            if (!path.isEmpty()) {
                throw new ProofException("a proof between equal sizes must be empty, got " + path.size() + " elements");
            }
            if (!MessageDigest.isEqual(root1, root2)) {
                throw new ProofException("equal sizes " + size1 + " with different roots");
            }
            return;
        }
        if (size1 == 0) {
            if (!path.isEmpty()) {
                throw new ProofException("a proof from the empty tree must be empty, got " + path.size() + " elements");
            }
            return;
        }
        if (path.isEmpty()) {
            throw new ProofException("empty consistency proof between sizes " + size1 + " and " + size2);
        }
        requireHash(root1, "first root");
        requireHash(root2, "second root");
        java.util.ArrayList<byte[]> p = new java.util.ArrayList<>(path);
        for (byte[] h : p) {
            requireHash(h, "proof element");
        }
        if (Long.bitCount(size1) == 1) {
            p.add(0, root1);
        }
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = p.get(0);
        byte[] sr = p.get(0);
        for (int i = 1; i < p.size(); i++) {
            byte[] c = p.get(i);
            if (sn == 0) {
                throw new ProofException("consistency proof has more elements than sizes " + size1 + " and " + size2 + " need");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = Rfc6962.nodeHash(c, fr);
                sr = Rfc6962.nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = Rfc6962.nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new ProofException("consistency proof has fewer elements than sizes " + size1 + " and " + size2 + " need");
        }
        if (!MessageDigest.isEqual(fr, root1)) {
            throw new ProofException("consistency proof does not lead to the root of size " + size1);
        }
        if (!MessageDigest.isEqual(sr, root2)) {
            throw new ProofException("consistency proof does not lead to the root of size " + size2);
        }
    }

    private static void requireHash(byte[] h, String what) throws ProofException {
        if (h == null || h.length != Rfc6962.HASH_LENGTH) {
            throw new ProofException(what + " is not a " + Rfc6962.HASH_LENGTH + "-byte hash");
        }
    }
}
