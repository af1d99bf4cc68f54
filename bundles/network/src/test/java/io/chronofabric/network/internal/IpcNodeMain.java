package io.chronofabric.network.internal;

import io.chronofabric.api.core.LogicalTime;
import java.io.File;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A network node in a JVM of its own for {@link IpcTransportTest}: transport ipc, driver external
 * (the parent test's node runs it in the shared directory). Echoes every String it receives back to
 * its sender as {@code "echo " + text}; exits 0 after "bye", 2 after 120 s without it.
 *
 * <p>Arguments: aeron.dir, this node's id, the peer's id.
 */
public final class IpcNodeMain {

    private IpcNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        File dir = new File(args[0]);
        int self = Integer.parseInt(args[1]);
        int peer = Integer.parseInt(args[2]);
        CountDownLatch bye = new CountDownLatch(1);
        TestHlc hlc = new TestHlc(self, 500_000_000L);
        NetworkNode[] node = new NetworkNode[1];
        node[0] = NetworkNode.start(new NetworkNode.Settings(self, Map.of(self, "ipc", peer, "ipc"), dir, 64 * 1024, 50, 10_000,
                4096, new AeronTransport.Options(AeronTransport.Kind.IPC, AeronTransport.Driver.EXTERNAL, 5_000, 1500)),
                new CodecRegistry(), hlc, d -> {
                    Object p = d.packet().payload();
                    if ("bye".equals(p)) {
                        bye.countDown();
                    } else if (p instanceof String s) {
                        LogicalTime now = hlc.now();
                        node[0].send(new WirePacket(self, d.packet().channel(), "echo " + s, d.packet().messageId() + 1_000_000L,
                                1, Long.MAX_VALUE, -1L, now, true), d.packet().origin());
                    }
                }, (p, reason) -> System.out.println("DEAD " + reason));
        System.out.println("READY");
        System.out.flush();
        boolean ok = bye.await(120, TimeUnit.SECONDS);
        node[0].close();
        System.exit(ok ? 0 : 2);
    }
}
