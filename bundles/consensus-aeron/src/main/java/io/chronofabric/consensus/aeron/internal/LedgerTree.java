package io.chronofabric.consensus.aeron.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The replicated ledger's state on one node: entries and their RFC 6962 leaf hashes, appended by
 * the clustered service's thread in log order, readable from any thread (a volatile size
 * publishes each entry). Keeps the perfect subtree roots of the current size (a binary counter)
 * so the root after an append costs O(log n) hashes; the root at an older size is recomputed.
 */
final class LedgerTree {

    private static final byte[] EMPTY_ROOT = sha256(new byte[0]);

    private volatile byte[][] entries = new byte[1024][];
    private volatile byte[][] leaves = new byte[1024][];
    private volatile long size;
    // the service thread's: roots of the perfect subtrees, largest first, and their heights
    private final List<byte[]> stack = new ArrayList<>();
    private final List<Integer> heights = new ArrayList<>();

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    static byte[] leafHash(byte[] entry) {
        return sha256(new byte[] {0}, entry);
    }

    static byte[] nodeHash(byte[] left, byte[] right) {
        return sha256(new byte[] {1}, left, right);
    }

    long size() {
        return size;
    }

    /** Writer only: appends and returns the root of the new size. */
    byte[] append(byte[] entry) {
        int n = (int) size;
        if (n == entries.length) {
            entries = Arrays.copyOf(entries, n * 2);
            leaves = Arrays.copyOf(leaves, n * 2);
        }
        byte[] leaf = leafHash(entry);
        entries[n] = entry;
        leaves[n] = leaf;
        size = n + 1;
        // merge equal-height perfect subtrees, like a binary counter
        byte[] h = leaf;
        int height = 0;
        while (!heights.isEmpty() && heights.get(heights.size() - 1) == height) {
            byte[] left = stack.remove(stack.size() - 1);
            heights.remove(heights.size() - 1);
            h = nodeHash(left, h);
            height++;
        }
        stack.add(h);
        heights.add(height);
        return currentRoot();
    }

    /** Writer only. */
    byte[] currentRoot() {
        if (stack.isEmpty()) {
            return EMPTY_ROOT.clone();
        }
        byte[] r = stack.get(stack.size() - 1);
        for (int i = stack.size() - 2; i >= 0; i--) {
            r = nodeHash(stack.get(i), r);
        }
        return r;
    }

    /** Writer only: empties the tree (before a snapshot is loaded). */
    void reset() {
        entries = new byte[1024][];
        leaves = new byte[1024][];
        size = 0;
        stack.clear();
        heights.clear();
    }

    byte[] entry(long index) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("No ledger entry " + index + ": size is " + size);
        }
        return entries[(int) index].clone();
    }

    /** Any thread: RFC 6962 MTH of the first {@code n} entries. */
    byte[] rootHash(long n) {
        long s = size;
        if (n < 0 || n > s) {
            throw new IllegalArgumentException("No ledger root at size " + n + ": size is " + s);
        }
        return n == 0 ? EMPTY_ROOT.clone() : mth(leaves, 0, (int) n);
    }

    private static byte[] mth(byte[][] leaves, int from, int n) {
        if (n == 1) {
            return leaves[from];
        }
        int k = Integer.highestOneBit(n - 1); // largest power of two < n
        return nodeHash(mth(leaves, from, k), mth(leaves, from + k, n - k));
    }
}
