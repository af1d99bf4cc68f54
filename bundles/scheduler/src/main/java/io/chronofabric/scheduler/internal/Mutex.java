package io.chronofabric.scheduler.internal;

import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.Condition;

/**
 * The scheduler's lock: a non-reentrant mutual-exclusion lock on {@link AbstractQueuedSynchronizer}
 * (the example of its documentation), with AQS's own conditions. Unlike {@link
 * java.util.concurrent.locks.ReentrantLock} it does not record its owner thread: that reference
 * store into the (old) lock object costs a garbage-collector write barrier with a full fence on
 * every acquisition, as much as the acquiring compare-and-set itself. Acquiring is one
 * compare-and-set; releasing is one volatile write and a look for a queued thread; waiters queue
 * and park as with {@code ReentrantLock}. Not reentrant: nothing the scheduler calls while holding
 * it (a time source reading, a release offset lookup) may call the scheduler back.
 */
final class Mutex extends AbstractQueuedSynchronizer {

    private static final long serialVersionUID = 1L;

    @Override
    protected boolean tryAcquire(int ignored) {
        return compareAndSetState(0, 1);
    }

    @Override
    protected boolean tryRelease(int ignored) {
        if (getState() == 0) {
            throw new IllegalMonitorStateException("the scheduler's lock is not held");
        }
        setState(0);
        return true;
    }

    @Override
    protected boolean isHeldExclusively() {
        return getState() == 1;
    }

    void lock() {
        acquire(1);
    }

    void unlock() {
        release(1);
    }

    Condition newCondition() {
        return new ConditionObject();
    }
}
