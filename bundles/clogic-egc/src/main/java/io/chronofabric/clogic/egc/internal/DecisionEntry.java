package io.chronofabric.clogic.egc.internal;

import io.chronofabric.api.clogic.GovernanceAction;
import io.chronofabric.api.clogic.GovernanceDecision;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What EGC puts in its decision log: a decision for an event of a spec (with the vote that chose
 * it), or the verdict that a decided action was wrong (its voters lose weight). Locally the log is
 * applied at once; with a Consensus service every entry is proposed to the cluster's log and applied
 * by every node when committed, in the log's order, so every node applies the same decisions and keeps
 * the same weights. Bytes: magic "CFEG", version 2, then the fields (DataOutput); values without the
 * magic are other services' and are ignored. Version 2 added each decision's spec, robustness and
 * rule after its time; version 1 entries (without them) are still read, their decisions naming none.
 *
 * @param kind       DECISION or WRONG
 * @param origin     the node that proposed it ({@code local} without consensus)
 * @param spec       the spec's name
 * @param violation  a violation (true) or recovery (false) event
 * @param robustness the robustness that made the event
 * @param step       the spec's sample index at the origin
 * @param rule       the rule(s) decided, as text
 * @param vote       the vote (options with their total weights), empty when only one proposer
 * @param voters     the proposers that voted for the decided action (judged by the outcome)
 * @param decisions  what to publish (one in weighted-majority mode, every matching rule's in mode all)
 */
record DecisionEntry(Kind kind, String origin, String spec, boolean violation, double robustness, long step, String rule, String vote,
        List<String> voters, List<GovernanceDecision> decisions) {

    enum Kind { DECISION, WRONG }

    static final int MAGIC = 0x43464547; // "CFEG"
    static final byte VERSION = 2;
    static final byte VERSION_1 = 1;

    DecisionEntry {
        voters = List.copyOf(voters);
        decisions = List.copyOf(decisions);
    }

    static DecisionEntry wrong(String origin, String spec, boolean violation, long step, List<String> voters) {
        return new DecisionEntry(Kind.WRONG, origin, spec, violation, Double.NaN, step, "", "", voters, List.of());
    }

    byte[] encode() {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream(256);
            DataOutputStream o = new DataOutputStream(b);
            o.writeInt(MAGIC);
            o.writeByte(VERSION);
            o.writeByte(kind.ordinal());
            o.writeUTF(origin);
            o.writeUTF(spec);
            o.writeBoolean(violation);
            o.writeDouble(robustness);
            o.writeLong(step);
            o.writeUTF(rule);
            o.writeUTF(vote);
            o.writeInt(voters.size());
            for (String v : voters) {
                o.writeUTF(v);
            }
            o.writeInt(decisions.size());
            for (GovernanceDecision d : decisions) {
                o.writeUTF(d.module());
                o.writeUTF(d.analysis());
                o.writeUTF(d.action().name());
                o.writeDouble(d.value());
                o.writeUTF(d.reason());
                o.writeLong(d.timeNanos());
                o.writeUTF(d.spec());
                o.writeDouble(d.robustness());
                o.writeUTF(d.rule());
            }
            o.flush();
            return b.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + this, e);
        }
    }

    /** The entry, or null when the bytes are not an EGC entry (another user of the log). */
    static DecisionEntry decode(byte[] bytes) {
        if (bytes.length < 6) {
            return null;
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            if (in.readInt() != MAGIC) {
                return null;
            }
            byte version = in.readByte();
            if (version != VERSION && version != VERSION_1) {
                throw new IllegalArgumentException("EGC log entry version " + version + " is not " + VERSION_1 + " or " + VERSION);
            }
            int k = in.readByte();
            if (k < 0 || k >= Kind.values().length) {
                throw new IllegalArgumentException("EGC log entry kind " + k + " is unknown");
            }
            Kind kind = Kind.values()[k];
            String origin = in.readUTF();
            String spec = in.readUTF();
            boolean violation = in.readBoolean();
            double rob = in.readDouble();
            long step = in.readLong();
            String rule = in.readUTF();
            String vote = in.readUTF();
            int nv = in.readInt();
            if (nv < 0 || nv > 10_000) {
                throw new IllegalArgumentException("EGC log entry has " + nv + " voters");
            }
            List<String> voters = new ArrayList<>(nv);
            for (int i = 0; i < nv; i++) {
                voters.add(in.readUTF());
            }
            int nd = in.readInt();
            if (nd < 0 || nd > 10_000) {
                throw new IllegalArgumentException("EGC log entry has " + nd + " decisions");
            }
            List<GovernanceDecision> ds = new ArrayList<>(nd);
            for (int i = 0; i < nd; i++) {
                String module = in.readUTF();
                String analysis = in.readUTF();
                GovernanceAction action = GovernanceAction.valueOf(in.readUTF());
                double value = in.readDouble();
                String reason = in.readUTF();
                long time = in.readLong();
                if (version == VERSION_1) {
                    ds.add(new GovernanceDecision(module, analysis, action, value, reason, time));
                } else {
                    String dspec = in.readUTF();
                    double drob = in.readDouble();
                    String drule = in.readUTF();
                    ds.add(new GovernanceDecision(module, analysis, action, value, reason, time, dspec, drob, drule));
                }
            }
            return new DecisionEntry(kind, origin, spec, violation, rob, step, rule, vote, voters, ds);
        } catch (IOException e) {
            throw new IllegalArgumentException("EGC log entry of " + bytes.length + " bytes is truncated: " + e, e);
        }
    }
}
