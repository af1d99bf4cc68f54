package io.chronofabric.consensus.aeron.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.chronofabric.api.consensus.CommittedValue;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real network partition: three consensus nodes, each a JVM of its own in a network namespace
 * of its own ({@code cfp-<pid>-a|b|c}), joined by veth pairs to a bridge in a fourth namespace
 * ({@code cfp-<pid>-s}) on 10.250.0.0/24. A follower's (or, in the second run, the leader's)
 * bridge port is detached (its link stays
 * up, its frames go nowhere): that minority cannot commit and says so within its timeout, while
 * the majority keeps committing; reattached, the minority catches up and commits again; a history
 * checker verifies one total order and every acknowledged proposal in it.
 * <p>
 * Needs root and iproute2 on Linux ({@code ip netns}); elsewhere it is skipped with a JUnit
 * assumption that says why.
 */
class NetnsPartitionTest {

    private static final long PROPOSAL_TIMEOUT_MS = 3_000;
    private static final Duration LONG = Duration.ofSeconds(40);
    private static final String[] NAMES = {"a", "b", "c"};

    @TempDir
    File dir;

    private final String prefix = "cfp-" + ProcessHandle.current().pid() + "-";
    private final String linkPrefix = "cfp" + ProcessHandle.current().pid();
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> rootLinks = new ArrayList<>();
    private final NodeProcess[] nodes = new NodeProcess[3];
    private final List<CommittedValue> acknowledged = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void cleanUp() {
        for (NodeProcess n : nodes) {
            if (n != null) {
                n.stop();
            }
        }
        for (String ns : namespaces) {
            sh(false, "ip", "netns", "del", ns);
        }
        for (String link : rootLinks) {
            // a veth pair still in this namespace (setup failed before moving it); gone otherwise
            if (sh(false, "ip", "link", "show", link) == null) {
                sh(false, "ip", "link", "del", link);
            }
        }
    }

    private String ns(int id) {
        return prefix + NAMES[id];
    }

    private String bridgePort(int id) {
        return linkPrefix + NAMES[id] + "1";
    }

    private static String address(int id) {
        return "10.250.0." + (id + 1);
    }

    @ParameterizedTest(name = "the minority is the {0}")
    @ValueSource(strings = {"follower", "leader"})
    void shouldNotCommitInAMinorityPartitionWhileTheMajorityCommitsAndCatchUpAfterHealing(String cut) throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"),
                "network namespaces need Linux");
        String sw = prefix + "s";
        String refused = sh(false, "ip", "netns", "add", sw);
        Assumptions.assumeTrue(refused == null,
                "skipped: 'ip netns add' failed (needs root and iproute2): " + refused);
        namespaces.add(sw);
        removeLeftovers();
        try {
            sh(true, "ip", "netns", "exec", sw, "ip", "link", "add", "br0", "type", "bridge");
            sh(true, "ip", "netns", "exec", sw, "ip", "link", "set", "br0", "up");
            for (int id = 0; id < 3; id++) {
                String ns = ns(id);
                sh(true, "ip", "netns", "add", ns);
                namespaces.add(ns);
                String inside = linkPrefix + NAMES[id] + "0";
                rootLinks.add(inside);
                sh(true, "ip", "link", "add", inside, "type", "veth", "peer", "name", bridgePort(id));
                sh(true, "ip", "link", "set", inside, "netns", ns);
                sh(true, "ip", "link", "set", bridgePort(id), "netns", sw);
                sh(true, "ip", "netns", "exec", sw, "ip", "link", "set", bridgePort(id), "master", "br0");
                sh(true, "ip", "netns", "exec", sw, "ip", "link", "set", bridgePort(id), "up");
                sh(true, "ip", "netns", "exec", ns, "ip", "addr", "add", address(id) + "/24", "dev", inside);
                sh(true, "ip", "netns", "exec", ns, "ip", "link", "set", inside, "up");
                sh(true, "ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            }
        } catch (IllegalStateException e) {
            // the environment, not the code under test: e.g. no bridge or veth support in this kernel
            Assumptions.abort("skipped: the namespaces could not be wired up: " + e.getMessage());
        }
        StringBuilder members = new StringBuilder();
        for (int id = 0; id < 3; id++) {
            members.append(id).append('=').append(address(id)).append(":9010,");
        }
        for (int id = 0; id < 3; id++) {
            nodes[id] = new NodeProcess(id, ns(id), members.toString(), new File(dir, "n" + id));
        }
        for (NodeProcess n : nodes) {
            n.awaitReady();
        }
        int leader = awaitLeader(0, 1, 2);

        // all connected: proposals from every node commit
        proposeAndAwait("a", 10, 0, 1, 2);

        // cut a follower (or the leader) off: it is the minority
        int minority = cut.equals("leader") ? leader : (leader + 1) % 3;
        int[] majority = java.util.stream.IntStream.range(0, 3).filter(i -> i != minority).toArray();
        sh(true, "ip", "netns", "exec", sw, "ip", "link", "set", bridgePort(minority), "nomaster");

        long sent = System.nanoTime();
        CompletableFuture<CommittedValue> lonely = nodes[minority].propose("minority-0");
        try {
            CommittedValue v = lonely.get(LONG.toSeconds(), TimeUnit.SECONDS);
            fail("a minority partition committed " + v);
        } catch (ExecutionException e) {
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertThat(e.getCause()).hasMessageContaining("DeliveryFailedException")
                    .hasMessageContaining("no quorum")
                    .hasMessageContaining("within " + PROPOSAL_TIMEOUT_MS + " ms")
                    .hasMessageContaining("a cluster of 3 needs 2 members up");
            // failed at its timeout, not long after (generous margin for a loaded machine)
            assertThat(tookMs).isGreaterThanOrEqualTo(PROPOSAL_TIMEOUT_MS - 100).isLessThan(PROPOSAL_TIMEOUT_MS + 10_000);
        }
        // the majority keeps committing (a failover may come first: retry until acknowledged)
        for (int i = 0; i < 5; i++) {
            for (int id : majority) {
                proposeUntilCommitted(id, "b-n" + id + "-" + i);
            }
        }
        long committedWhileCut = maxAcknowledgedIndex();
        if (cut.equals("leader")) {
            // the majority elected a new leader: what it committed carries a later term
            long firstTerm = acknowledged.get(0).term();
            assertThat(acknowledged.subList(30, acknowledged.size())).allSatisfy(v -> assertThat(v.term()).isGreaterThan(firstTerm));
        }
        assertThat(nodes[minority].commitIndex()).isLessThan(committedWhileCut);

        // heal: the minority catches up and commits again
        sh(true, "ip", "netns", "exec", sw, "ip", "link", "set", bridgePort(minority), "master", "br0");
        Waits.until(LONG, () -> nodes[minority].commitIndex() >= committedWhileCut);
        for (int i = 0; i < 5; i++) {
            proposeUntilCommitted(minority, "c-n" + minority + "-" + i);
        }
        long last = maxAcknowledgedIndex();
        Map<String, List<CommittedValue>> learned = new LinkedHashMap<>();
        Waits.until(LONG, () -> {
            for (int id = 0; id < 3; id++) {
                learned.put("node-" + id, nodes[id].history());
            }
            return learned.values().stream().allMatch(h -> h.size() > last);
        });
        assertThat(acknowledged).hasSize(30 + 10 + 5);
        assertThat(HistoryChecker.check(learned, acknowledged)).isEmpty();
    }

    /** Deletes namespaces left by an earlier run whose JVM was killed before it could clean up. */
    private void removeLeftovers() {
        try {
            Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
            String list = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^(cfp-(\\d+)-[abcs])\\b").matcher(list);
            while (m.find()) {
                long pid = Long.parseLong(m.group(2));
                if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                    sh(false, "ip", "netns", "del", m.group(1));
                }
            }
        } catch (IOException e) {
            // nothing to clean
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long maxAcknowledgedIndex() {
        synchronized (acknowledged) {
            return acknowledged.stream().mapToLong(CommittedValue::index).max().orElseThrow();
        }
    }

    private int awaitLeader(int... among) throws InterruptedException {
        int[] leader = {-1};
        Waits.until(LONG, () -> {
            String first = nodes[among[0]].request("leader", "LEADER").split(" ")[1];
            if (first.equals("none")) {
                return false;
            }
            for (int id : among) {
                String[] l = nodes[id].request("leader", "LEADER").split(" ");
                if (!l[1].equals(first)) {
                    return false;
                }
            }
            leader[0] = Integer.parseInt(first.substring("node-".length()));
            return nodes[leader[0]].request("leader", "LEADER").endsWith(" true");
        });
        return leader[0];
    }

    private void proposeAndAwait(String round, int each, int... from) throws Exception {
        List<CompletableFuture<CommittedValue>> futures = new ArrayList<>();
        for (int id : from) {
            for (int i = 0; i < each; i++) {
                futures.add(nodes[id].propose(round + "-n" + id + "-" + i));
            }
        }
        for (CompletableFuture<CommittedValue> f : futures) {
            acknowledged.add(f.get(LONG.toSeconds(), TimeUnit.SECONDS));
        }
    }

    /** Proposes until one attempt is acknowledged; a failed attempt's outcome is unknown. */
    private void proposeUntilCommitted(int id, String value) throws Exception {
        long deadline = System.nanoTime() + LONG.toNanos();
        for (int attempt = 0;; attempt++) {
            try {
                acknowledged.add(nodes[id].propose(value + "-try" + attempt).get(LONG.toSeconds(), TimeUnit.SECONDS));
                return;
            } catch (ExecutionException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    /** Runs a command; returns null on success, else its output (or throws when {@code must}). */
    private static String sh(boolean must, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                out = "timed out";
            } else if (p.exitValue() == 0) {
                return null;
            }
            String error = String.join(" ", cmd) + ": " + out;
            if (must) {
                throw new IllegalStateException(error);
            }
            return error;
        } catch (IOException e) {
            if (must) {
                throw new IllegalStateException(String.join(" ", cmd) + ": " + e, e);
            }
            return String.join(" ", cmd) + ": " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A {@link PartitionNodeMain} JVM in a namespace, spoken to over its stdin/stdout. */
    private static final class NodeProcess {

        private final int id;
        private final Process process;
        private final Writer in;
        private final File log;
        private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
        private final Map<String, CompletableFuture<CommittedValue>> pending = new ConcurrentHashMap<>();

        NodeProcess(int id, String ns, String members, File nodeDir) throws IOException {
            this.id = id;
            nodeDir.mkdirs();
            this.log = new File(nodeDir, "stderr.log");
            String java = new File(System.getProperty("java.home"), "bin/java").getPath();
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> cmd = List.of("ip", "netns", "exec", ns, java,
                    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                    "--add-opens", "java.base/java.util.zip=ALL-UNNAMED",
                    "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp", cp, PartitionNodeMain.class.getName(),
                    Integer.toString(id), members, nodeDir.getPath(), Long.toString(PROPOSAL_TIMEOUT_MS));
            this.process = new ProcessBuilder(cmd).redirectError(log).start();
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(this::read, "node-" + id + "-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String[] f = line.split(" ", 3);
                    if (f[0].equals("ACK")) {
                        String[] it = f[2].split(" ");
                        pending.remove(f[1]).complete(new CommittedValue(Long.parseLong(it[0]), Long.parseLong(it[1]),
                                f[1].getBytes(StandardCharsets.UTF_8)));
                    } else if (f[0].equals("FAIL")) {
                        pending.remove(f[1]).completeExceptionally(new IllegalStateException(f.length > 2 ? f[2] : ""));
                    } else {
                        replies.add(line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            pending.values().forEach(p -> p.completeExceptionally(new IllegalStateException("node-" + id + " ended")));
            replies.add("EXIT");
        }

        private synchronized void send(String command) {
            try {
                in.write(command + "\n");
                in.flush();
            } catch (IOException e) {
                throw new IllegalStateException("node-" + id + " does not take commands: " + e + "; " + tail(), e);
            }
        }

        void awaitReady() throws InterruptedException {
            String line = replies.poll(LONG.toSeconds(), TimeUnit.SECONDS);
            if (!"READY".equals(line)) {
                throw new AssertionError("node-" + id + " did not start (" + line + "): " + tail());
            }
        }

        synchronized String request(String command, String replyPrefix) {
            send(command);
            try {
                String line = replies.poll(LONG.toSeconds(), TimeUnit.SECONDS);
                if (line == null || !line.startsWith(replyPrefix)) {
                    throw new AssertionError("node-" + id + " answered '" + command + "' with " + line + ": " + tail());
                }
                return line;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        CompletableFuture<CommittedValue> propose(String value) {
            CompletableFuture<CommittedValue> f = new CompletableFuture<>();
            pending.put(value, f);
            send("propose " + value);
            return f;
        }

        long commitIndex() {
            return Long.parseLong(request("commit", "COMMIT").split(" ")[1]);
        }

        List<CommittedValue> history() {
            String line = request("history", "HISTORY");
            List<CommittedValue> h = new ArrayList<>();
            String body = line.substring("HISTORY".length()).trim();
            if (!body.isEmpty()) {
                for (String e : body.split(",")) {
                    String[] f = e.split(":");
                    h.add(new CommittedValue(Long.parseLong(f[0]), Long.parseLong(f[1]),
                            f.length > 2 ? HexFormat.of().parseHex(f[2]) : new byte[0]));
                }
            }
            return h;
        }

        private String tail() {
            try {
                List<String> lines = Files.readAllLines(log.toPath());
                return "stderr of node-" + id + ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
            } catch (IOException e) {
                return "no stderr of node-" + id;
            }
        }

        void stop() {
            try {
                send("quit");
            } catch (RuntimeException e) {
                // already gone
            }
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
