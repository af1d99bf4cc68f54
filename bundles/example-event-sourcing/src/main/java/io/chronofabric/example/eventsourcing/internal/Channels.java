package io.chronofabric.example.eventsourcing.internal;

/** The example's channels. */
final class Channels {

    /** Commands (request/reply): {@code open ID}, {@code deposit ID AMOUNT}, {@code withdraw ID AMOUNT}. */
    static final String COMMANDS = "example.account.commands";
    /** Each appended event as a {@code StoredEvent}, published by the command side after the append. */
    static final String EVENTS = "example.account.events";
    /** Queries (request/reply) answered by the read model: {@code balance ID}, {@code accounts}. */
    static final String QUERIES = "example.account.queries";

    private Channels() {
    }
}
