package io.chronofabric.network.internal;

import io.chronofabric.time.internal.HlcClockImpl;
import io.chronofabric.time.internal.SystemTimeSource;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * One network node in a JVM of its own, its HLC on the system clock, driven line by line on stdin
 * (for {@link NetnsBusPartitionTest}, which starts it in a network namespace). Arguments: node id,
 * nodes ({@code 0=10.0.0.1:9100,1=...}), directory, unreachable.ms. Commands: {@code send CHANNEL
 * PAYLOAD ID GUARANTEED(0|1)}; {@code counters} → {@code COUNTERS {sent=..}}; {@code quit}.
 * Printed as they happen: {@code READY}, {@code DELIVERED CHANNEL PAYLOAD ID}, {@code DEAD CHANNEL
 * PAYLOAD REASON}.
 */
public final class NetworkNodeMain {

    private NetworkNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        int id = Integer.parseInt(args[0]);
        Map<Integer, String> nodes = new TreeMap<>();
        for (String e : args[1].split(",")) {
            nodes.put(Integer.parseInt(e.substring(0, e.indexOf('='))), e.substring(e.indexOf('=') + 1));
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        HlcClockImpl hlc = new HlcClockImpl(new SystemTimeSource(), id, 500_000_000L);
        try (NetworkNode node = NetworkNode.start(new NetworkNode.Settings(id, nodes, new File(args[2]), 64 * 1024, 100,
                Long.parseLong(args[3]), 4096), new CodecRegistry(), hlc,
                d -> reply(out, "DELIVERED " + d.packet().channel() + " " + d.packet().payload() + " " + d.packet().messageId()),
                (p, reason) -> reply(out, "DEAD " + p.channel() + " " + p.payload() + " " + reason.replace('\n', ' ')))) {
            reply(out, "READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.trim().split(" ");
                switch (f[0]) {
                    case "send" -> node.send(new WirePacket(id, f[1], f[2], Long.parseLong(f[3]), 1, 0L, -1L, hlc.now(),
                            f[4].equals("1")));
                    case "counters" -> reply(out, "COUNTERS " + node.counters() + " hlcRefused=" + hlc.refusedUpdates());
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
