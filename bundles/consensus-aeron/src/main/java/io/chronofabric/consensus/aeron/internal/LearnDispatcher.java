package io.chronofabric.consensus.aeron.internal;

import io.chronofabric.api.consensus.CommittedValue;
import io.chronofabric.api.consensus.Consensus;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.agrona.concurrent.Agent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls learners with the committed values from their start index on, in order, on one thread of
 * its own (so a slow learner never holds up the clustered service): replay and live are the same
 * loop over the {@link CommittedLog}. A learner that throws is logged and counted, and goes on
 * with the next value.
 */
final class LearnDispatcher implements Agent {

    private static final Logger LOG = LoggerFactory.getLogger(LearnDispatcher.class);
    private static final int BATCH = 256;

    private final CommittedLog log;
    private final String name;
    private final CopyOnWriteArrayList<Learner> learners = new CopyOnWriteArrayList<>();
    private final AtomicLong learnerErrors = new AtomicLong();
    private volatile Thread thread;

    LearnDispatcher(CommittedLog log, String name) {
        this.log = log;
        this.name = name;
    }

    Consensus.LearnHandle add(long fromIndex, Consumer<CommittedValue> consumer) {
        if (fromIndex < 0) {
            throw new IllegalArgumentException("learn fromIndex must be >= 0: " + fromIndex);
        }
        long first = log.firstIndex();
        if (fromIndex < first) {
            throw new IllegalArgumentException("Committed values before index " + first + " were compacted (retain.values "
                    + log.retain() + "): cannot learn from index " + fromIndex);
        }
        Learner l = new Learner(fromIndex, consumer);
        learners.add(l);
        return l;
    }

    long learnerErrors() {
        return learnerErrors.get();
    }

    int learnerCount() {
        return learners.size();
    }

    @Override
    public void onStart() {
        thread = Thread.currentThread();
    }

    @Override
    public int doWork() {
        int work = 0;
        long size = log.size();
        for (Learner l : learners) {
            if (l.next < size) {
                work += l.deliver(size);
            }
        }
        return work;
    }

    @Override
    public void onClose() {
        for (Learner l : learners) {
            l.closed = true;
        }
        learners.clear();
    }

    @Override
    public String roleName() {
        return name;
    }

    final class Learner implements Consensus.LearnHandle {
        private final Consumer<CommittedValue> consumer;
        private final ReentrantLock calling = new ReentrantLock();
        private volatile boolean closed;
        private long next;

        Learner(long from, Consumer<CommittedValue> consumer) {
            this.next = from;
            this.consumer = consumer;
        }

        int deliver(long size) {
            int delivered = 0;
            calling.lock();
            try {
                while (next < size && delivered < BATCH && !closed) {
                    CommittedValue v = log.get(next);
                    if (v == null) {
                        LOG.warn("Learner lost committed values {} to {}: compacted before it read them (retain.values {})",
                                next, log.firstIndex() - 1, log.retain());
                        next = log.firstIndex();
                        continue;
                    }
                    next++;
                    delivered++;
                    try {
                        consumer.accept(v);
                    } catch (RuntimeException e) {
                        learnerErrors.incrementAndGet();
                        LOG.warn("Learner failed on committed value {}: {}", v.index(), e.toString(), e);
                    }
                }
            } finally {
                calling.unlock();
            }
            return delivered;
        }

        @Override
        public void close() {
            closed = true;
            learners.remove(this);
            if (Thread.currentThread() != thread) {
                calling.lock(); // waits for a call in progress
                calling.unlock();
            }
        }
    }
}
