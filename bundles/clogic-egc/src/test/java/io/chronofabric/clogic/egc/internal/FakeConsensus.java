package io.chronofabric.clogic.egc.internal;

import io.chronofabric.api.consensus.ClusterView;
import io.chronofabric.api.consensus.CommittedValue;
import io.chronofabric.api.consensus.Consensus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A consensus log for tests: proposals wait until {@link Log#commitAll} orders them (in proposal
 * order) and calls every node's learners on the caller's thread; each node sees the same log.
 */
final class FakeConsensus implements Consensus {

    /** The shared log. */
    static final class Log {
        final List<CommittedValue> committed = new ArrayList<>();
        final List<byte[]> proposed = new ArrayList<>();
        final List<CompletableFuture<CommittedValue>> waiting = new ArrayList<>();
        final List<Learner> learners = new CopyOnWriteArrayList<>();
        final Set<String> members;
        /** Values before it count as compacted (learn from earlier is refused). */
        long firstIndex;

        Log(String... members) {
            this.members = Set.of(members);
        }

        synchronized int pending() {
            return proposed.size();
        }

        /** Commits every proposal so far (the "leader" orders them) and lets every learner see them. */
        void commitAll() {
            List<CompletableFuture<CommittedValue>> done = new ArrayList<>();
            List<CommittedValue> values = new ArrayList<>();
            synchronized (this) {
                for (int i = 0; i < proposed.size(); i++) {
                    CommittedValue v = new CommittedValue(committed.size(), 1, proposed.get(i));
                    committed.add(v);
                    values.add(v);
                    done.add(waiting.get(i));
                }
                proposed.clear();
                waiting.clear();
            }
            for (CommittedValue v : values) {
                for (Learner l : learners) {
                    if (!l.closed && v.index() >= l.from) {
                        l.consumer.accept(v);
                    }
                }
            }
            for (int i = 0; i < done.size(); i++) {
                done.get(i).complete(values.get(i));
            }
        }

        /** A value of another service of the log (must be ignored by EGC). */
        synchronized void foreign(byte[] value) {
            proposed.add(value);
            waiting.add(new CompletableFuture<>());
        }
    }

    static final class Learner implements LearnHandle {
        final long from;
        final Consumer<CommittedValue> consumer;
        volatile boolean closed;

        Learner(long from, Consumer<CommittedValue> consumer) {
            this.from = from;
            this.consumer = consumer;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    final Log log;
    final String node;
    /** A node whose log is not recovered yet: its commit index says -1 (as Aeron's right after start). */
    volatile boolean recovering;

    FakeConsensus(Log log, String node) {
        this.log = log;
        this.node = node;
    }

    @Override
    public CompletionStage<CommittedValue> propose(byte[] value) {
        CompletableFuture<CommittedValue> f = new CompletableFuture<>();
        synchronized (log) {
            log.proposed.add(value.clone());
            log.waiting.add(f);
        }
        return f;
    }

    @Override
    public LearnHandle learn(long fromIndex, Consumer<CommittedValue> learner) {
        Learner l = new Learner(fromIndex, learner);
        List<CommittedValue> history;
        synchronized (log) {
            if (fromIndex < log.firstIndex) {
                throw new IllegalArgumentException("Committed values before index " + log.firstIndex + " were compacted");
            }
            history = new ArrayList<>(log.committed.subList((int) Math.min(fromIndex, log.committed.size()), log.committed.size()));
            log.learners.add(l);
        }
        history.forEach(learner); // replay, then live (commitAll), as the real one
        return l;
    }

    @Override
    public long commitIndex() {
        if (recovering) {
            return -1;
        }
        synchronized (log) {
            return log.committed.size() - 1;
        }
    }

    @Override
    public ClusterView view() {
        return new ClusterView(node, Optional.of("node-a"), log.members, 1);
    }
}
