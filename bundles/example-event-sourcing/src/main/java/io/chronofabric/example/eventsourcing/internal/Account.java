package io.chronofabric.example.eventsourcing.internal;

import io.chronofabric.api.patterns.EventData;
import io.chronofabric.api.patterns.StoredEvent;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The domain: an account's state is the fold of its events, and a command is decided against
 * that state into new events (or refused with a message naming why). Pure: no services, no
 * threads, used by both the command side and the read model.
 *
 * @param id      the account id
 * @param open    whether an {@value #OPENED} event was seen
 * @param balance whole units
 * @param version the number of events folded (the stream's version)
 */
record Account(String id, boolean open, long balance, long version) {

    static final String OPENED = "AccountOpened";
    static final String DEPOSITED = "MoneyDeposited";
    static final String WITHDRAWN = "MoneyWithdrawn";

    /** Largest amount one command may move. */
    static final long MAX_AMOUNT = 1_000_000_000_000L;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String STREAM_PREFIX = "account-";

    /** A new, unopened account at version 0. */
    static Account none(String id) {
        return new Account(id, false, 0, 0);
    }

    /** @throws IllegalArgumentException an id that is not 1 to 64 letters, digits, '_' or '-' */
    static String requireId(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("Account id '" + id + "' must be 1 to 64 letters, digits, '_' or '-'");
        }
        return id;
    }

    static String stream(String id) {
        return STREAM_PREFIX + id;
    }

    /** The account id of an event store stream, or null when the stream is not an account's. */
    static String idOf(String stream) {
        return stream.startsWith(STREAM_PREFIX) ? stream.substring(STREAM_PREFIX.length()) : null;
    }

    /** Folds events in version order onto an unopened account. */
    static Account fold(String id, List<StoredEvent> events) {
        Account a = none(id);
        for (StoredEvent e : events) {
            a = a.apply(e.type(), e.text());
        }
        return a;
    }

    /** This account after one more event; unknown event types only advance the version. */
    Account apply(String type, String data) {
        return switch (type) {
            case OPENED -> new Account(id, true, balance, version + 1);
            case DEPOSITED -> new Account(id, open, balance + Long.parseLong(data), version + 1);
            case WITHDRAWN -> new Account(id, open, balance - Long.parseLong(data), version + 1);
            default -> new Account(id, open, balance, version + 1);
        };
    }

    /**
     * Decides a command ({@code open ID}, {@code deposit ID AMOUNT}, {@code withdraw ID AMOUNT},
     * already split into words, this account being ID's) into the events to append.
     *
     * @throws IllegalArgumentException a refused command; the message says why
     */
    List<EventData> decide(String verb, String amountText) {
        switch (verb) {
            case "open":
                if (open) {
                    throw new IllegalArgumentException("Account '" + id + "' is already open");
                }
                return List.of(EventData.of(OPENED, ""));
            case "deposit":
                requireOpen();
                return List.of(EventData.of(DEPOSITED, Long.toString(amount(amountText))));
            case "withdraw": {
                requireOpen();
                long amount = amount(amountText);
                if (amount > balance) {
                    throw new IllegalArgumentException("Account '" + id + "' has " + balance + ", cannot withdraw " + amount);
                }
                return List.of(EventData.of(WITHDRAWN, Long.toString(amount)));
            }
            default:
                throw new IllegalArgumentException("Unknown command '" + verb + "': expected open, deposit or withdraw");
        }
    }

    private void requireOpen() {
        if (!open) {
            throw new IllegalArgumentException("No account '" + id + "': open it first");
        }
    }

    private static long amount(String text) {
        long amount;
        try {
            amount = text == null ? -1 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            amount = -1;
        }
        if (amount < 1 || amount > MAX_AMOUNT) {
            throw new IllegalArgumentException("Amount '" + text + "' is not a whole number from 1 to " + MAX_AMOUNT);
        }
        return amount;
    }
}
