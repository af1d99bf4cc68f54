package io.chronofabric.benchmarks;

import io.chronofabric.api.core.LogicalTime;
import io.chronofabric.api.time.TimeSource;
import io.chronofabric.bus.internal.BusVsFloor;
import io.chronofabric.bus.internal.Waits;
import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The comparison suite: our bus against Felix EventAdmin (sendEvent, postEvent; default
 * configuration and Timeout=0) and the Aries Typed Event bus, each in a real Felix in this JVM, and
 * the raw JCTools hand-off, in
 * alternating rounds; one-way latency against the raw floor; the HLC against its baselines. Prints
 * a table and writes {@code benchmarks/target/results.json} and {@code results.svg}.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.chronofabric.benchmarks.Suite [rounds=5]</pre>
 */
public final class Suite {

    private Suite() {
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            run(args);
        } catch (Throwable e) {
            e.printStackTrace();
            status = 1;
        }
        // a failed run must not leave the JVM waiting on a non-daemon thread (the time source's discipline, a Felix)
        System.exit(status);
    }

    static void run(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int busMessages = 3_000_000;
        int eaMessages = 300_000;
        TimeSource time = new SystemTimeSource();
        // the bus's default wait strategy; every floor it is compared with waits the same way
        String wait = System.getProperty("suite.wait", "backoff");
        System.out.printf(Locale.ROOT, "ChronoFabric comparison suite, %s, %d cores, Java %s, %d rounds, wait strategy %s%n", Instant.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), rounds, wait);

        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (String k : List.of("raw JCTools MPSC hand-off", "ChronoFabric bus", "ChronoFabric bus bundles in Felix (whiteboard handler)",
                "ChronoFabric bus built directly, as in Felix (queue 8192, window 4096)",
                "ChronoFabric bus, same-thread handler", "ChronoFabric bus bundles in Felix, same-thread handler",
                "EventAdmin sendEvent (default)",
                "EventAdmin postEvent (default)", "EventAdmin sendEvent (Timeout=0)", "EventAdmin postEvent (Timeout=0)",
                "Aries Typed Event bus (deliver)")) {
            rates.put(k, new ArrayList<>());
        }
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        Map<String, Histogram> peerLatency = new LinkedHashMap<>();
        Map<String, List<Double>> peerShapes = new LinkedHashMap<>();
        try (EventAdminPeer eaDefault = new EventAdminPeer(false); EventAdminPeer eaZero = new EventAdminPeer(true);
                TypedEventPeer typed = new TypedEventPeer(); BusInFelix felixBus = new BusInFelix()) {
            // warm-up
            BusVsFloor.raw(busMessages / 5, Waits.of(wait));
            BusVsFloor.bus(busMessages / 5, wait, time);
            io.chronofabric.bus.internal.SameThread.throughput(busMessages / 5, 1, time);
            felixBus.throughput(busMessages / 5);
            felixBus.sameThreadThroughput(busMessages / 5);
            eaDefault.throughput(eaMessages / 5, true);
            eaDefault.throughput(eaMessages / 5, false);
            eaZero.throughput(eaMessages / 5, true);
            eaZero.throughput(eaMessages / 5, false);
            typed.throughput(eaMessages / 5);
            for (int r = 0; r < rounds; r++) {
                double raw = BusVsFloor.raw(busMessages, Waits.of(wait));
                double bus = BusVsFloor.bus(busMessages, wait, time);
                double direct = io.chronofabric.bus.internal.SameThread.throughput(busMessages, 1, time);
                // a third of the messages: the default queue (8192) allows a window of 4096 only, which runs slower
                double felix = felixBus.throughput(busMessages / 3);
                double felixLike = BusInFelix.direct(busMessages / 3, time);
                double felixDirect = felixBus.sameThreadThroughput(busMessages);
                double send = eaDefault.throughput(eaMessages, true);
                double post = eaDefault.throughput(eaMessages, false);
                double send0 = eaZero.throughput(eaMessages, true);
                double post0 = eaZero.throughput(eaMessages, false);
                double aries = typed.throughput(eaMessages);
                add(rates, "raw JCTools MPSC hand-off", raw);
                add(rates, "ChronoFabric bus", bus);
                add(rates, "ChronoFabric bus, same-thread handler", direct);
                add(rates, "ChronoFabric bus bundles in Felix (whiteboard handler)", felix);
                add(rates, "ChronoFabric bus built directly, as in Felix (queue 8192, window 4096)", felixLike);
                add(rates, "ChronoFabric bus bundles in Felix, same-thread handler", felixDirect);
                add(ratios, "bus bundles in Felix / bus built directly, same settings and window", felix / felixLike);
                add(ratios, "bus bundles in Felix / bus built directly (the Suite's 1P1C figure)", felix / bus);
                add(ratios, "bus bundles in Felix / raw floor", felix / raw);
                add(ratios, "same-thread in Felix / EventAdmin sendEvent (Timeout=0)", felixDirect / send0);
                add(rates, "EventAdmin sendEvent (default)", send);
                add(rates, "EventAdmin postEvent (default)", post);
                add(rates, "EventAdmin sendEvent (Timeout=0)", send0);
                add(rates, "EventAdmin postEvent (Timeout=0)", post0);
                add(rates, "Aries Typed Event bus (deliver)", aries);
                add(ratios, "bus / raw floor", bus / raw);
                add(ratios, "bus / EventAdmin sendEvent (default)", bus / send);
                add(ratios, "bus / EventAdmin postEvent (default)", bus / post);
                add(ratios, "bus / EventAdmin sendEvent (Timeout=0)", bus / send0);
                add(ratios, "bus same-thread / EventAdmin sendEvent (Timeout=0)", direct / send0);
                add(ratios, "bus / EventAdmin postEvent (Timeout=0)", bus / post0);
                add(ratios, "bus / Aries Typed Event bus", bus / aries);
                System.out.printf(Locale.ROOT, "round %d: raw %,.0f  bus %,.0f  bus in Felix %,.0f (directly, same settings %,.0f)  bus same-thread %,.0f (in Felix %,.0f)  EA send %,.0f  EA post %,.0f  EA send(T=0) %,.0f  EA post(T=0) %,.0f  Aries %,.0f msg/s%n",
                        r + 1, raw, bus, felix, felixLike, direct, felixDirect, send, post, send0, post0, aries);
            }
            peerLatency.put("EventAdmin sendEvent (default, same thread)", eaDefault.latency(50_000, true));
            peerLatency.put("EventAdmin postEvent (default)", eaDefault.latency(50_000, false));
            peerLatency.put("EventAdmin postEvent (Timeout=0)", eaZero.latency(50_000, false));
            peerLatency.put("Aries Typed Event bus (deliver)", typed.latency(50_000));
            add(peerShapes, "3P1C EventAdmin postEvent (default)", eaDefault.throughput(eaMessages, false, 3, 1));
            add(peerShapes, "1P4C EventAdmin postEvent (default)", eaDefault.throughput(eaMessages / 3, false, 1, 4));
            add(peerShapes, "3P1C EventAdmin postEvent (Timeout=0)", eaZero.throughput(eaMessages, false, 3, 1));
            add(peerShapes, "1P4C EventAdmin postEvent (Timeout=0)", eaZero.throughput(eaMessages / 3, false, 1, 4));
            add(peerShapes, "3P1C EventAdmin sendEvent (default)", eaDefault.throughput(eaMessages / 3, true, 3, 1));
            add(peerShapes, "1P4C EventAdmin sendEvent (default)", eaDefault.throughput(eaMessages / 6, true, 1, 4));
            add(peerShapes, "3P1C Aries Typed Event bus", typed.throughput(eaMessages, 3, 1));
            add(peerShapes, "1P4C Aries Typed Event bus", typed.throughput(eaMessages / 3, 1, 4));
        }
        System.out.println();
        System.out.println("THROUGHPUT, 1 publisher -> 1 subscriber (median of rounds, msg/s)");
        rates.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-66s %,14.0f%n", k, median(v)));
        System.out.println("RATIOS (median of per-round ratios, [min, max])");
        ratios.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-72s %8.2f  [%.2f, %.2f]%n", k, median(v), Collections.min(v),
                Collections.max(v)));

        // One-way latency in alternating rounds: each round measures the floors and the bus back to back,
        // so a noisy phase of the shared machine hits both sides of a ratio. The bus is measured with
        // its default wait strategy (park) against the parked hand-off, and busy-spinning against the
        // busy-spin hand-off and the busy-spin ping-pong (the floor's wait strategy is the bus's).
        Histogram rawLat = newLatencyHistogram();
        Histogram busLat = newLatencyHistogram();
        Histogram rawSpinLat = newLatencyHistogram();
        Histogram busSpinLat = newLatencyHistogram();
        Histogram pingPong = newLatencyHistogram();
        Histogram stamped = newLatencyHistogram();
        Histogram rawBackoffLat = newLatencyHistogram();
        Histogram busBackoffLat = newLatencyHistogram();
        Map<String, List<Double>> latencyRatios = new LinkedHashMap<>();
        for (int r = 0; r < 3; r++) {
            Histogram g = BusVsFloor.rawLatency(100_000, Waits.of("backoff"));
            Histogram h = BusVsFloor.busLatency(100_000, "backoff", time);
            rawBackoffLat.add(g);
            busBackoffLat.add(h);
            add(latencyRatios, "bus backoff / raw hand-off backoff", ratio(h, g));
            Histogram a = BusVsFloor.rawLatency(100_000, Waits.park());
            Histogram b = BusVsFloor.busLatency(100_000, "park", time);
            Histogram c = BusVsFloor.rawLatency(100_000, Waits.busySpin());
            Histogram d = BusVsFloor.busLatency(100_000, "busy-spin", time);
            Histogram e = toHistogram(io.chronofabric.bus.internal.Topologies.pingPongOneWayNanos(100_000));
            Histogram f = toHistogram(io.chronofabric.bus.internal.Topologies.pingPongStampedNanos(100_000));
            rawLat.add(a);
            busLat.add(b);
            rawSpinLat.add(c);
            busSpinLat.add(d);
            pingPong.add(e);
            stamped.add(f);
            add(latencyRatios, "bus park / raw hand-off park", ratio(b, a));
            add(latencyRatios, "bus busy-spin / raw hand-off busy spin", ratio(d, c));
            add(latencyRatios, "bus busy-spin / ping-pong stamped", ratio(d, f));
            add(latencyRatios, "bus busy-spin / ping-pong round trip / 2", ratio(d, e));
        }
        System.out.println("ONE-WAY LATENCY, one message in flight (ns, 3 alternating rounds)   p50      p99    p99.9");
        printLatency("raw JCTools hand-off (backoff)", rawBackoffLat);
        printLatency("ChronoFabric bus, backoff (default)", busBackoffLat);
        printLatency("raw JCTools hand-off (park)", rawLat);
        printLatency("ChronoFabric bus, park", busLat);
        printLatency("raw JCTools hand-off (busy spin)", rawSpinLat);
        printLatency("ChronoFabric bus, busy-spin", busSpinLat);
        printLatency("AtomicLong ping-pong, round trip / 2", pingPong);
        printLatency("AtomicLong ping-pong, stamped like the bus", stamped);
        peerLatency.forEach((k, h) -> printLatency(k, h));
        System.out.println("P50 RATIOS (median of per-round ratios, [min, max])");
        latencyRatios.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-44s %8.2f  [%.2f, %.2f]%n", k, median(v),
                Collections.min(v), Collections.max(v)));
        latencyRatios.forEach((k, v) -> ratios.put("p50 " + k, v));

        // more shapes, alternating A/B per round
        Map<String, List<Double>> shapes = new LinkedHashMap<>();
        for (int r = 0; r < 3; r++) {
            double raw3 = io.chronofabric.bus.internal.Topologies.raw3P1C(busMessages, wait);
            double bus3 = io.chronofabric.bus.internal.Topologies.bus3P1C(busMessages, time, wait);
            double raw4 = io.chronofabric.bus.internal.Topologies.raw1P4C(busMessages / 3, wait);
            double bus4 = io.chronofabric.bus.internal.Topologies.bus1P4C(busMessages / 3, time, wait);
            double raw4m = io.chronofabric.bus.internal.Topologies.raw1P4CMpsc(busMessages / 3, wait);
            double disruptor = io.chronofabric.bus.internal.Topologies.disruptor1P1C(busMessages);
            double bus1 = BusVsFloor.bus(busMessages, wait, time);
            add(shapes, "3P1C raw MPSC", raw3);
            add(shapes, "3P1C bus", bus3);
            add(shapes, "1P4C raw SPSC x4", raw4);
            add(shapes, "1P4C bus (4 dispatchers)", bus4);
            add(shapes, "1P4C raw MPSC x4 (the bus's queue kind)", raw4m);
            add(shapes, "1P1C Disruptor (BlockingWaitStrategy)", disruptor);
            add(shapes, "1P1C bus", bus1);
            add(ratios, "3P1C bus / raw", bus3 / raw3);
            add(ratios, "1P4C bus / raw", bus4 / raw4);
            add(ratios, "1P4C bus / raw MPSC x4", bus4 / raw4m);
            add(ratios, "1P1C bus / Disruptor", bus1 / disruptor);
        }
        shapes.putAll(peerShapes);
        System.out.println("MORE SHAPES (median of 3 rounds for ours and the floors, 1 run for the peers; messages published per second)");
        shapes.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-40s %,14.0f%n", k, median(v)));
        System.out.println("  ratios: 3P1C bus/raw " + fmt(median(ratios.get("3P1C bus / raw"))) + ", 1P4C bus/raw "
                + fmt(median(ratios.get("1P4C bus / raw"))) + " (MPSC x4 " + fmt(median(ratios.get("1P4C bus / raw MPSC x4")))
                + "), 1P1C bus/Disruptor " + fmt(median(ratios.get("1P1C bus / Disruptor"))));
        rates.putAll(shapes);

        // sparse rates: publish -> handler at 1k, 10k, 100k packets/s for every wait strategy, next to
        // the raw hand-off with the same strategy; then what an idle bus costs with each
        System.out.println();
        Map<String, Histogram> sparse = new LinkedHashMap<>();
        Map<String, Double> sparseFigures = new LinkedHashMap<>();
        if (!"false".equals(System.getProperty("suite.sparse"))) {
            List<io.chronofabric.bus.internal.SparseRate.RateResult> rateResults = new ArrayList<>();
            io.chronofabric.bus.internal.SparseRate.warmUp(time);
            for (String s : Waits.keys()) {
                for (int rate : List.of(1_000, 10_000, 100_000)) {
                    io.chronofabric.bus.internal.SparseRate.RateResult rr = io.chronofabric.bus.internal.SparseRate.measure(s, rate,
                            io.chronofabric.bus.internal.SparseRate.samplesFor(rate), time);
                    rateResults.add(rr);
                    sparse.put("sparse " + s + " " + rate + "/s bus", rr.bus());
                    sparse.put("sparse " + s + " " + rate + "/s floor", rr.floor());
                    add(ratios, "p50 sparse " + s + " " + rate + "/s bus / floor", rr.p50Ratio());
                    sparseFigures.put("sparse " + s + " " + rate + "/s bus CPU (% of a core)", rr.busCpuPercent());
                }
            }
            io.chronofabric.bus.internal.SparseRate.print(rateResults);
            List<io.chronofabric.bus.internal.SparseRate.IdleCpu> idle = new ArrayList<>();
            double idleSeconds = Double.parseDouble(System.getProperty("suite.idleSeconds", "10"));
            for (String s : Waits.keys()) {
                boolean spinning = s.equals("busy-spin") || s.equals("yield");
                idle.add(io.chronofabric.bus.internal.SparseRate.idleCpu(s, spinning ? Math.min(2, idleSeconds) : idleSeconds, time));
            }
            io.chronofabric.bus.internal.SparseRate.printIdle(idle);
            for (io.chronofabric.bus.internal.SparseRate.IdleCpu c : idle) {
                sparseFigures.put("idle CPU " + c.strategy() + ", bus threads (% of a core)", c.busThreadsPercent());
                sparseFigures.put("idle CPU " + c.strategy() + ", whole process (% of a core)", c.processPercent());
            }
        }

        Map<String, Double> hlc = hlc(time);
        System.out.println("HLC (ns per call, median of 5)");
        hlc.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-52s %8.1f%n", k, v));

        Map<String, Double> jmh = new LinkedHashMap<>();
        if (!"false".equals(System.getProperty("suite.jmh"))) {
            System.out.println();
            System.out.println("JMH (PublishBenchmark, SchedulerBenchmark; 1 fork, 2 x 1 s warm-up, 3 x 1 s measured, -prof gc)");
            jmh = jmh();
            jmh.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-52s %8.1f%n", k, v));
        }

        if (!Boolean.getBoolean("suite.busOnly")) {
            System.out.println();
            int sets = Integer.getInteger("suite.schedSets", 20);
            double runSeconds = Double.parseDouble(System.getProperty("suite.schedSeconds", "0.3"));
            double[] us = {0.8, 0.9, 1.0, 1.1};
            System.out.println("SCHEDULER (io.chronofabric.scheduler.internal.SchedulerStudy and SchedulerVsFifo overhead)");
            for (boolean background : new boolean[] {false, true}) {
                String condition = background ? "background load" : "quiet";
                List<io.chronofabric.scheduler.internal.SchedulerStudy.Row> rows =
                        io.chronofabric.scheduler.internal.SchedulerStudy.study(sets, runSeconds, us, background);
                io.chronofabric.scheduler.internal.SchedulerStudy.print(condition, sets, runSeconds, rows);
                for (io.chronofabric.scheduler.internal.SchedulerStudy.Row row : rows) {
                    String u = String.format(Locale.ROOT, "%.1f", row.u());
                    ratios.put("EDF miss ratio, " + condition + ", U=" + u, List.of(row.edf().mean(), row.edf().low(), row.edf().high()));
                    ratios.put("FIFO miss ratio, " + condition + ", U=" + u, List.of(row.fifo().mean(), row.fifo().low(), row.fifo().high()));
                }
            }
            io.chronofabric.scheduler.internal.SchedulerVsFifo.main(new String[] {"overhead"});
            System.out.println();
            System.out.println("LEDGER (io.chronofabric.ledger.internal.LedgerBench, 1M entries)");
            io.chronofabric.ledger.internal.LedgerBench.main(new String[] {"1000000"});
            System.out.println();
        }

        Path out = Path.of("benchmarks", "target");
        Files.createDirectories(out);
        Map<String, Histogram> latencies = new LinkedHashMap<>();
        latencies.put("raw JCTools hand-off (backoff)", rawBackoffLat);
        latencies.put("ChronoFabric bus (backoff)", busBackoffLat);
        latencies.put("raw JCTools hand-off (park)", rawLat);
        latencies.put("ChronoFabric bus (park)", busLat);
        latencies.put("raw JCTools hand-off (busy spin)", rawSpinLat);
        latencies.put("ChronoFabric bus (busy-spin)", busSpinLat);
        latencies.put("AtomicLong ping-pong (round trip / 2)", pingPong);
        latencies.put("AtomicLong ping-pong (stamped)", stamped);
        latencies.putAll(peerLatency);
        Map<String, Histogram> plotted = new LinkedHashMap<>(latencies);
        latencies.putAll(sparse);
        Map<String, Double> micro = new LinkedHashMap<>(hlc);
        micro.putAll(sparseFigures);
        jmh.forEach((k, v) -> micro.put("jmh " + k, v));
        Files.writeString(out.resolve("results.json"), json(rates, ratios, latencies, micro));
        Files.writeString(out.resolve("results.svg"), svg(rates, plotted));
        System.out.println("Wrote " + out.resolve("results.json") + " and " + out.resolve("results.svg"));
    }

    /**
     * Runs the JMH micro benchmarks in a forked JVM (same class path) with the GC profiler: time per
     * operation and bytes allocated per operation for a publish + take, hlc.now() and its baseline.
     */
    static Map<String, Double> jmh() throws Exception {
        org.openjdk.jmh.runner.options.Options options = new org.openjdk.jmh.runner.options.OptionsBuilder()
                .include(io.chronofabric.bus.internal.PublishBenchmark.class.getName())
                .include(io.chronofabric.scheduler.internal.SchedulerBenchmark.class.getName())
                .include(Boolean.getBoolean("suite.pieces") ? io.chronofabric.bus.internal.PublishPiecesBenchmark.class.getName() : "^$")
                .addProfiler(org.openjdk.jmh.profile.GCProfiler.class)
                .forks(1).warmupIterations(2).warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
                .measurementIterations(3).measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
                .build();
        Map<String, Double> out = new LinkedHashMap<>();
        for (org.openjdk.jmh.results.RunResult r : new org.openjdk.jmh.runner.Runner(options).run()) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            out.put(name + " (ns/op)", r.getPrimaryResult().getScore());
            org.openjdk.jmh.results.Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            if (alloc != null) {
                out.put(name + " (bytes allocated/op)", alloc.getScore());
            }
        }
        return out;
    }

    private static Histogram newLatencyHistogram() {
        return new Histogram(1, 60_000_000_000L, 3);
    }

    private static Histogram toHistogram(long[] nanos) {
        Histogram h = newLatencyHistogram();
        for (long v : nanos) {
            h.recordValue(Math.max(1, Math.min(v, 60_000_000_000L)));
        }
        return h;
    }

    private static void printLatency(String label, Histogram h) {
        System.out.printf(Locale.ROOT, "  %-60s %6d %8d %8d%n", label, h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9));
    }

    private static double ratio(Histogram a, Histogram b) {
        return a.getValueAtPercentile(50) / (double) Math.max(1, b.getValueAtPercentile(50));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static void add(Map<String, List<Double>> m, String k, double v) {
        m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }

    static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** HLC now(): single thread against currentTimeMillis + one CAS; two threads against AtomicLong and a synchronized HLC. */
    static Map<String, Double> hlc(TimeSource time) throws Exception {
        int n = 5_000_000;
        Map<String, List<Double>> m = new LinkedHashMap<>();
        HlcClockImpl hlc = new HlcClockImpl(time, 1, 500_000_000L);
        AtomicLong cas = new AtomicLong();
        SynchronizedHlc sync = new SynchronizedHlc(time);
        AtomicLong counter = new AtomicLong();
        for (int r = 0; r < 6; r++) {
            long sink = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += hlc.now().logical();
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long v = cas.get();
                cas.compareAndSet(v, System.currentTimeMillis());
                sink += v;
            }
            long t2 = System.nanoTime();
            if (r > 0) {
                add(m, "hlc.now(), 1 thread", (t1 - t0) / (double) n);
                add(m, "currentTimeMillis() + CAS, 1 thread (baseline)", (t2 - t1) / (double) n);
                add(m, "hlc.now(), 2 threads contended", twoThreads(() -> hlc.now()) );
                add(m, "AtomicLong.incrementAndGet(), 2 threads", twoThreads(counter::incrementAndGet));
                add(m, "synchronized HLC now(), 2 threads", twoThreads(sync::now));
                add(m, "hlc.nowInto() (no object, as the bus stamps), 2 threads", twoThreadsInto(hlc, time));
                add(m, "synchronized HLC, parts into an array, 2 threads", twoThreadsInto(sync, time));
            }
            if (sink == 42) {
                System.out.print("");
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, median(v)));
        out.put("ratio hlc.now() / baseline, 1 thread", out.get("hlc.now(), 1 thread") / out.get("currentTimeMillis() + CAS, 1 thread (baseline)"));
        return out;
    }

    private static double twoThreads(Runnable op) throws InterruptedException {
        int n = 2_000_000;
        Thread[] ts = new Thread[2];
        long t0 = System.nanoTime();
        for (int i = 0; i < 2; i++) {
            ts[i] = new Thread(() -> {
                for (int k = 0; k < n; k++) {
                    op.run();
                }
            });
            ts[i].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        return (System.nanoTime() - t0) / (double) (2L * n);
    }

    private static double twoThreadsInto(io.chronofabric.api.time.HlcClock clock, TimeSource time) throws InterruptedException {
        ThreadLocal<long[]> mine = ThreadLocal.withInitial(() -> new long[3]);
        return twoThreads(() -> clock.nowInto(time.nowNanos(), mine.get()));
    }

    private static double twoThreadsInto(SynchronizedHlc clock, TimeSource time) throws InterruptedException {
        ThreadLocal<long[]> mine = ThreadLocal.withInitial(() -> new long[3]);
        return twoThreads(() -> clock.nowInto(time.nowNanos(), mine.get()));
    }

    /** The obvious HLC with a lock, for comparison. */
    static final class SynchronizedHlc {
        private final TimeSource time;
        private long l;
        private long c;

        SynchronizedHlc(TimeSource time) {
            this.time = time;
        }

        synchronized LogicalTime now() {
            long pt = time.nowNanos();
            if (pt > l) {
                l = pt;
                c = 0;
            } else {
                c++;
            }
            return new LogicalTime(l, c, 1);
        }

        synchronized void nowInto(long pt, long[] out) {
            if (pt > l) {
                l = pt;
                c = 0;
            } else {
                c++;
            }
            out[0] = l;
            out[1] = c;
            out[2] = 1;
        }
    }

    static String json(Map<String, List<Double>> rates, Map<String, List<Double>> ratios, Map<String, Histogram> latencies,
            Map<String, Double> hlc) {
        StringBuilder sb = new StringBuilder("{\n  \"date\": \"" + Instant.now() + "\",\n  \"cores\": "
                + Runtime.getRuntime().availableProcessors() + ",\n  \"throughput_msg_per_s\": {");
        appendMedians(sb, rates);
        sb.append("},\n  \"ratios\": {");
        appendMedians(sb, ratios);
        sb.append("},\n  \"latency_ns\": {");
        String comma = "";
        for (Map.Entry<String, Histogram> e : latencies.entrySet()) {
            Histogram h = e.getValue();
            sb.append(comma).append("\n    \"").append(e.getKey()).append("\": {\"p50\": ").append(h.getValueAtPercentile(50))
                    .append(", \"p99\": ").append(h.getValueAtPercentile(99)).append(", \"p999\": ")
                    .append(h.getValueAtPercentile(99.9)).append("}");
            comma = ",";
        }
        sb.append("},\n  \"micro\": {");
        String sep = "";
        for (Map.Entry<String, Double> e : hlc.entrySet()) {
            sb.append(sep).append("\n    \"").append(e.getKey()).append("\": ").append(String.format(Locale.ROOT, "%.2f", e.getValue()));
            sep = ",";
        }
        return sb.append("\n  }\n}\n").toString();
    }

    private static void appendMedians(StringBuilder sb, Map<String, List<Double>> m) {
        String sep = "";
        for (Map.Entry<String, List<Double>> e : m.entrySet()) {
            sb.append(sep).append("\n    \"").append(e.getKey()).append("\": {\"median\": ")
                    .append(String.format(Locale.ROOT, "%.3f", median(e.getValue()))).append(", \"min\": ")
                    .append(String.format(Locale.ROOT, "%.3f", Collections.min(e.getValue()))).append(", \"max\": ")
                    .append(String.format(Locale.ROOT, "%.3f", Collections.max(e.getValue()))).append("}");
            sep = ",";
        }
    }

    /** Horizontal bars of median throughput on a log scale. */
    static String svg(Map<String, List<Double>> rates, Map<String, Histogram> latencies) {
        int width = 900;
        int barH = 28;
        int top = 40;
        int left = 300;
        int height = top + rates.size() * (barH + 10) + 60 + latencies.size() * 3 * (barH / 2 + 4) + 40;
        double maxLog = 0;
        for (List<Double> v : rates.values()) {
            maxLog = Math.max(maxLog, Math.log10(median(v)));
        }
        double minLog = 3; // 1k msg/s at the left edge
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"13\">\n");
        sb.append("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Throughput, 1 publisher to 1 subscriber (msg/s, log scale, median)</text>\n");
        int y = top;
        for (Map.Entry<String, List<Double>> e : rates.entrySet()) {
            double v = median(e.getValue());
            double w = (width - left - 120) * Math.max(0, (Math.log10(v) - minLog) / (maxLog - minLog));
            String color = e.getKey().startsWith("ChronoFabric") ? "#1f77b4" : e.getKey().startsWith("raw") ? "#7f7f7f" : "#ff7f0e";
            sb.append("<text x=\"10\" y=\"").append(y + 19).append("\">").append(e.getKey()).append("</text>\n");
            sb.append("<rect x=\"").append(left).append("\" y=\"").append(y).append("\" width=\"").append(String.format(Locale.ROOT, "%.1f", w))
                    .append("\" height=\"").append(barH).append("\" fill=\"").append(color).append("\"/>\n");
            sb.append("<text x=\"").append(String.format(Locale.ROOT, "%.1f", left + w + 6)).append("\" y=\"").append(y + 19).append("\">")
                    .append(String.format(Locale.ROOT, "%,.0f", v)).append("</text>\n");
            y += barH + 10;
        }
        y += 30;
        sb.append("<text x=\"10\" y=\"").append(y).append("\" font-size=\"15\" font-weight=\"bold\">One-way latency p50 / p99 / p99.9 (ns, log scale)</text>\n");
        y += 14;
        double maxLat = 1;
        for (Histogram h : latencies.values()) {
            maxLat = Math.max(maxLat, Math.log10(Math.max(10, h.getValueAtPercentile(99.9))));
        }
        String[] shades = {"#2ca02c", "#98df8a", "#d62728"};
        double[] pcts = {50, 99, 99.9};
        for (Map.Entry<String, Histogram> e : latencies.entrySet()) {
            sb.append("<text x=\"10\" y=\"").append(y + 16).append("\">").append(e.getKey()).append("</text>\n");
            for (int k = 0; k < 3; k++) {
                long v = e.getValue().getValueAtPercentile(pcts[k]);
                double w = (width - left - 120) * Math.max(0, (Math.log10(Math.max(10, v)) - 1) / (maxLat - 1));
                sb.append("<rect x=\"").append(left).append("\" y=\"").append(y).append("\" width=\"")
                        .append(String.format(Locale.ROOT, "%.1f", w)).append("\" height=\"").append(barH / 2).append("\" fill=\"")
                        .append(shades[k]).append("\"/>\n");
                sb.append("<text x=\"").append(String.format(Locale.ROOT, "%.1f", left + w + 6)).append("\" y=\"").append(y + 11)
                        .append("\" font-size=\"11\">").append(v).append("</text>\n");
                y += barH / 2 + 4;
            }
            y += 6;
        }
        return sb.append("</svg>\n").toString();
    }
}
