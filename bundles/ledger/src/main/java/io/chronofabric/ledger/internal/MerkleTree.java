package io.chronofabric.ledger.internal;

import io.chronofabric.ledger.verify.Rfc6962;
import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 6962 tree over the leaf hashes, in memory. Level k keeps the hash of every complete,
 * aligned subtree of 2^k leaves, so the root of any historical size and every proof take
 * O(log n) hash operations. About 64 bytes per entry. Not thread-safe (the ledger locks).
 */
final class MerkleTree {

    private final List<HashArray> levels = new ArrayList<>();

    MerkleTree() {
        levels.add(new HashArray());
    }

    long size() {
        return levels.get(0).size();
    }

    void append(byte[] leafHash) {
        levels.get(0).add(leafHash);
        long index = size() - 1;
        int level = 0;
        // each completed right child makes its parent complete
        while ((index & 1) == 1) {
            HashArray below = levels.get(level);
            byte[] parent = Rfc6962.nodeHash(below.get(index - 1), below.get(index));
            level++;
            if (levels.size() <= level) {
                levels.add(new HashArray());
            }
            levels.get(level).add(parent);
            index >>= 1;
        }
    }

    byte[] leafHash(long index) {
        return levels.get(0).get(index);
    }

    /** MTH(D[lo:hi]). */
    byte[] hash(long lo, long hi) {
        long n = hi - lo;
        if (n == 0) {
            return Rfc6962.emptyRoot();
        }
        if (Long.bitCount(n) == 1 && lo % n == 0) {
            int level = Long.numberOfTrailingZeros(n);
            if (level < levels.size() && levels.get(level).size() > lo / n) {
                return levels.get(level).get(lo / n);
            }
        }
        long k = Rfc6962.splitPoint(n);
        return Rfc6962.nodeHash(hash(lo, lo + k), hash(lo + k, hi));
    }

    byte[] root(long treeSize) {
        return hash(0, treeSize);
    }

    /** PATH(m, D[0:n]) of RFC 9162 2.1.3.1, leaf level first. */
    List<byte[]> inclusionProof(long m, long n) {
        List<byte[]> path = new ArrayList<>();
        path(m, 0, n, path);
        return path;
    }

    private void path(long m, long lo, long hi, List<byte[]> out) {
        long n = hi - lo;
        if (n <= 1) {
            return;
        }
        long k = Rfc6962.splitPoint(n);
        if (m < k) {
            path(m, lo, lo + k, out);
            out.add(hash(lo + k, hi));
        } else {
            path(m - k, lo + k, hi, out);
            out.add(hash(lo, lo + k));
        }
    }

    /** PROOF(m, D[0:n]) of RFC 9162 2.1.4.1. */
    List<byte[]> consistencyProof(long m, long n) {
        List<byte[]> proof = new ArrayList<>();
        if (m > 0 && m < n) {
            subproof(m, 0, n, true, proof);
        }
        return proof;
    }

    private void subproof(long m, long lo, long hi, boolean b, List<byte[]> out) {
        long n = hi - lo;
        if (m == n) {
            if (!b) {
                out.add(hash(lo, hi));
            }
            return;
        }
        long k = Rfc6962.splitPoint(n);
        if (m <= k) {
            subproof(m, lo, lo + k, b, out);
            out.add(hash(lo + k, hi));
        } else {
            subproof(m - k, lo + k, hi, false, out);
            out.add(hash(lo, lo + k));
        }
    }
}
