package io.chronofabric.telemetry.internal;

/** io.chronofabric:type=DeadLetters: the durable dead-letter log. */
public interface DeadLettersMXBean extends PortMXBean {

    long getSize();

    long getFirstSequence();

    long getNextSequence();
}
