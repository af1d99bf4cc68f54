package io.chronofabric.consensus.aeron.internal;

import io.chronofabric.api.consensus.CommittedValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks what nodes learned against what proposers were told: one total order (every index
 * holds the same term and bytes on every node that has it, indexes from 0 without gaps) and no
 * lost acknowledgement (every acknowledged proposal sits at its index, with its term and bytes,
 * in that order).
 */
final class HistoryChecker {

    private HistoryChecker() {
    }

    /** @return the violations found, empty when the histories are consistent */
    static List<String> check(Map<String, List<CommittedValue>> learnedByNode, List<CommittedValue> acknowledged) {
        List<String> violations = new ArrayList<>();
        List<CommittedValue> longest = List.of();
        for (Map.Entry<String, List<CommittedValue>> e : learnedByNode.entrySet()) {
            List<CommittedValue> history = e.getValue();
            for (int i = 0; i < history.size(); i++) {
                if (history.get(i).index() != i) {
                    violations.add(e.getKey() + " learned index " + history.get(i).index() + " at position " + i);
                    break;
                }
            }
            if (history.size() > longest.size()) {
                longest = history;
            }
        }
        for (Map.Entry<String, List<CommittedValue>> e : learnedByNode.entrySet()) {
            List<CommittedValue> history = e.getValue();
            for (int i = 0; i < history.size(); i++) {
                if (!history.get(i).equals(longest.get(i))) {
                    violations.add(e.getKey() + " disagrees at index " + i + ": " + history.get(i) + " vs " + longest.get(i));
                    break;
                }
            }
        }
        for (CommittedValue ack : acknowledged) {
            if (ack.index() >= longest.size()) {
                violations.add("acknowledged " + ack + " was learned by no node");
                continue;
            }
            CommittedValue at = longest.get((int) ack.index());
            if (at.term() != ack.term() || !Arrays.equals(at.value(), ack.value())) {
                violations.add("acknowledged " + ack + " but index " + ack.index() + " holds " + at);
            }
        }
        return violations;
    }
}
