package io.chronofabric.shell.internal;

import io.chronofabric.api.consensus.Lease;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Takes, renews, shows or releases a distributed lock. */
@Service
@Command(scope = "csf", name = "lock", description = "Takes (or renews) the named distributed lock for a lease; shows "
        + "its holder with --show; frees it with --release <token>. The fencing token guards the protected resource.")
public class ClusterLockCommand extends ClusterCommandSupport {

    @Argument(index = 0, name = "name", description = "The lock's name", required = true)
    String name;

    @Option(name = "--owner", description = "Who holds it (default console@<this node>)")
    String owner;

    @Option(name = "--lease", description = "Lease time, e.g. 30s, 500ms, 5m")
    String leaseTime = "30s";

    @Option(name = "--show", description = "Only show the holder this node knows")
    boolean show;

    @Option(name = "--release", description = "Release the lease with this fencing token")
    long releaseToken = -1;

    @Override
    protected void doExecute(PrintStream out) throws Exception {
        if (lock == null) {
            out.println("No DistributedLock service is registered (feature:install chronofabric-cluster)");
            return;
        }
        String who = owner != null ? owner : "console@" + consensus.view().localNode();
        if (show) {
            Optional<Lease> l = lock.holder(name);
            out.println(l.map(ClusterLockCommand::describe).orElse("Lock '" + name + "' is free"));
            return;
        }
        if (releaseToken >= 0) {
            Boolean released = await(lock.release(new Lease(name, who, releaseToken, 0)), 60, out);
            if (released != null) {
                out.println(released ? "Released lock '" + name + "' (token " + releaseToken + ")"
                        : "Lock '" + name + "' has no current lease of " + who + " with token " + releaseToken);
            }
            return;
        }
        Duration d;
        try {
            d = Duration.ofNanos(Durations.parseNanos(leaseTime));
        } catch (IllegalArgumentException e) {
            out.println("--lease " + e.getMessage());
            return;
        }
        Optional<Lease> granted = await(lock.tryAcquire(name, who, d), 60, out);
        if (granted == null) {
            return;
        }
        if (granted.isPresent()) {
            out.println("Acquired: " + describe(granted.get()));
        } else {
            out.println("Refused: " + lock.holder(name).map(ClusterLockCommand::describe).orElse("held by another owner"));
        }
    }

    static String describe(Lease l) {
        long left = l.expiresAtMillis() - System.currentTimeMillis();
        return "lock '" + l.name() + "' held by " + l.owner() + ", fencing token " + l.fencingToken() + ", expires "
                + Instant.ofEpochMilli(l.expiresAtMillis()) + (left > 0 ? " (in " + left + " ms)" : " (lapsed)");
    }
}
