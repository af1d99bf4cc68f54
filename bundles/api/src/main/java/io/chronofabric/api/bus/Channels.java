package io.chronofabric.api.bus;

/** Rules for channel names, shared by every bus provider and tool. */
public final class Channels {

    /** The channel that receives packets whose delivery failed; payload {@link DeadLetter}. */
    public static final String DEAD_LETTER = "chronofabric.deadletter";

    /** Longest channel name accepted. */
    public static final int MAX_LENGTH = 200;

    private Channels() {
    }

    /**
     * Returns {@code name} if it is a valid channel name: 1 to {@value #MAX_LENGTH} characters,
     * no whitespace or control characters.
     *
     * @throws IllegalArgumentException naming the bad name and the rule it breaks
     */
    public static String requireValid(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("Channel name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Channel name '" + name.substring(0, 20) + "...' is longer than " + MAX_LENGTH);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException("Channel name '" + name + "' contains whitespace or a control character at " + i);
            }
        }
        return name;
    }
}
