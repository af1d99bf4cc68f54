package io.chronofabric.consensus.aeron.internal;

import io.chronofabric.api.consensus.CommittedValue;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One consensus node in a JVM of its own, driven line by line on stdin (for
 * {@link NetnsPartitionTest}, which starts it inside a network namespace). Arguments: node id,
 * members ({@code 0=10.0.0.1:9010,1=...}), root directory, proposal timeout in ms.
 * <p>
 * Commands and replies (one line each; values have no spaces):
 * {@code propose V} → later {@code ACK V index term} or {@code FAIL V message};
 * {@code leader} → {@code LEADER node-N|none true|false}; {@code commit} → {@code COMMIT index};
 * {@code history} → {@code HISTORY index:term:hex,...}; {@code quit} closes the node.
 * {@code READY} is printed once the node runs.
 */
public final class PartitionNodeMain {

    private PartitionNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        int id = Integer.parseInt(args[0]);
        ConsensusSettings s = new ConsensusSettings(id, ConsensusSettings.parseMembers(args[1]), new File(args[2]), "",
                Long.parseLong(args[3]), 1_000, 2_000, 5_000, 10_000, 64 * 1024, 0, 0, 4096);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        List<CommittedValue> history = new CopyOnWriteArrayList<>();
        try (AeronConsensus node = AeronConsensus.start(s)) {
            node.learn(0, history::add);
            reply(out, "READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] cmd = line.trim().split(" ", 2);
                switch (cmd[0]) {
                    case "propose" -> {
                        String v = cmd[1];
                        node.proposeFuture(v.getBytes(StandardCharsets.UTF_8)).whenComplete((c, e) -> {
                            if (e == null) {
                                reply(out, "ACK " + v + " " + c.index() + " " + c.term());
                            } else {
                                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                                reply(out, "FAIL " + v + " " + cause.getClass().getSimpleName() + ": "
                                        + String.valueOf(cause.getMessage()).replace('\n', ' '));
                            }
                        });
                    }
                    case "leader" -> reply(out, "LEADER " + node.view().leader().orElse("none") + " " + node.view().isLeader());
                    case "commit" -> reply(out, "COMMIT " + node.commitIndex());
                    case "history" -> {
                        StringBuilder sb = new StringBuilder("HISTORY ");
                        for (CommittedValue c : history) {
                            sb.append(c.index()).append(':').append(c.term()).append(':')
                                    .append(HexFormat.of().formatHex(c.value())).append(',');
                        }
                        reply(out, sb.toString());
                    }
                    case "quit" -> {
                        return;
                    }
                    default -> reply(out, "ERROR unknown command " + line);
                }
            }
        }
    }

    private static void reply(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
        }
    }
}
