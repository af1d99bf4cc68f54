package io.chronofabric.clogic.adp.internal.bandit;

import java.util.SplittableRandom;

/**
 * The supermarket model (Mitzenmacher 2001): n FIFO servers with exponential(1) service, Poisson
 * arrivals at rate lambda n, each arrival joins the shortest of d sampled queues. Simulated event by
 * event (Gillespie); the mean sojourn time comes from Little's law: time-averaged jobs in the system
 * divided by the arrival rate.
 */
final class SupermarketSimulation {
    private SupermarketSimulation() { }

    static double meanSojourn(int n, int d, double lambda, double warmup, double horizon, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        PowerOfDChoices chooser = new PowerOfDChoices(d, seed + 1);
        int[] queue = new int[n];
        int[] busy = new int[n];      // indices of busy servers
        int[] position = new int[n];  // where a busy server is in busy[], -1 when idle
        java.util.Arrays.fill(position, -1);
        int busyCount = 0;
        long jobs = 0;
        double t = 0;
        double area = 0;
        double arrivalRate = lambda * n;
        while (t < warmup + horizon) {
            double rate = arrivalRate + busyCount;
            double dt = -Math.log(1 - random.nextDouble()) / rate;
            if (t + dt > warmup) {
                double from = Math.max(t, warmup);
                double to = Math.min(t + dt, warmup + horizon);
                if (to > from) {
                    area += jobs * (to - from);
                }
            }
            t += dt;
            if (random.nextDouble() * rate < arrivalRate) {
                int s = chooser.choose(queue);
                if (queue[s]++ == 0) {
                    position[s] = busyCount;
                    busy[busyCount++] = s;
                }
                jobs++;
            } else {
                int s = busy[random.nextInt(busyCount)];
                if (--queue[s] == 0) {
                    int p = position[s];
                    int last = busy[--busyCount];
                    busy[p] = last;
                    position[last] = p;
                    position[s] = -1;
                }
                jobs--;
            }
        }
        return area / horizon / arrivalRate;
    }
}
