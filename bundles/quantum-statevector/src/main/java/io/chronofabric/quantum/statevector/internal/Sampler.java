package io.chronofabric.quantum.statevector.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Measurement by sampling: {@code shots} uniform numbers from a {@link SplittableRandom} seeded
 * with the run's seed, sorted, then one pass over the state's cumulative distribution assigns
 * each to its basis state (inverse transform sampling; O(2^n + shots log shots) time, no array
 * of 2^n probabilities). The same state, shots and seed give the same counts.
 */
final class Sampler {

    private Sampler() {
    }

    static Map<String, Long> sample(double[] re, double[] im, int qubits, Plan plan, int shots, long seed) {
        Map<String, Long> counts = new TreeMap<>();
        if (shots == 0) {
            return counts;
        }
        double[] u = new double[shots];
        SplittableRandom random = new SplittableRandom(seed);
        for (int s = 0; s < shots; s++) {
            u[s] = random.nextDouble();
        }
        Arrays.sort(u);
        int size = re.length;
        double total = 0;
        for (int i = 0; i < size; i++) {
            total += re[i] * re[i] + im[i] * im[i];
        }
        for (int k = 0; k < shots; k++) {
            u[k] *= total; // sorted order is kept
        }
        int[] outcomeIndex = new int[Math.min(shots, size)];
        int[] outcomeCount = new int[outcomeIndex.length];
        int outcomes = 0;
        int s = 0;
        double cumulative = 0;
        int lastNonZero = 0;
        for (int i = 0; i < size && s < shots; i++) {
            double p = re[i] * re[i] + im[i] * im[i];
            if (p == 0) {
                continue;
            }
            lastNonZero = i;
            cumulative += p;
            int first = s;
            while (s < shots && u[s] < cumulative) {
                s++;
            }
            if (s > first) {
                outcomeIndex[outcomes] = i;
                outcomeCount[outcomes] = s - first;
                outcomes++;
            }
        }
        if (s < shots) {
            // rounding left the cumulative sum a hair below 1: the rest belongs to the last state with weight
            if (outcomes > 0 && outcomeIndex[outcomes - 1] == lastNonZero) {
                outcomeCount[outcomes - 1] += shots - s;
            } else {
                outcomeIndex[outcomes] = lastNonZero;
                outcomeCount[outcomes] = shots - s;
                outcomes++;
            }
        }
        for (int o = 0; o < outcomes; o++) {
            counts.merge(key(outcomeIndex[o], qubits, plan), (long) outcomeCount[o], Long::sum);
        }
        return counts;
    }

    /** The classical register for a basis state, most significant bit first. */
    static String key(int basis, int qubits, Plan plan) {
        if (!plan.measures) {
            char[] c = new char[qubits];
            for (int b = 0; b < qubits; b++) {
                c[qubits - 1 - b] = ((basis >>> b) & 1) == 1 ? '1' : '0';
            }
            return new String(c);
        }
        int bits = plan.bitSource.length;
        char[] c = new char[bits];
        for (int b = 0; b < bits; b++) {
            int q = plan.bitSource[b];
            c[bits - 1 - b] = q >= 0 && ((basis >>> q) & 1) == 1 ? '1' : '0';
        }
        return new String(c);
    }
}
