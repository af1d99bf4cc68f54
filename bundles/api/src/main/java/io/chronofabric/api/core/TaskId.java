package io.chronofabric.api.core;

/**
 * Identifies a task admitted by a deadline scheduler; ids increase in submission order.
 *
 * @param value the id, never negative
 */
public record TaskId(long value) implements Comparable<TaskId> {

    /**
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public TaskId {
        if (value < 0) {
            throw new IllegalArgumentException("Task id " + value + " is negative");
        }
    }

    public static TaskId of(long value) {
        return new TaskId(value);
    }

    /**
     * Parses the form printed by {@link #toString()} ({@code task-42}) or a bare number.
     *
     * @throws IllegalArgumentException naming the text that is not a task id
     */
    public static TaskId parse(String text) {
        String digits = text.startsWith("task-") ? text.substring(5) : text;
        try {
            return new TaskId(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a task id (expected task-N or N)", e);
        }
    }

    @Override
    public int compareTo(TaskId other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return "task-" + value;
    }
}
