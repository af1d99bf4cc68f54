package io.chronofabric.web.internal;

import io.chronofabric.api.bus.PhasePacket;
import java.util.Map;

/**
 * The JSON endpoints under {@code /chronofabric/api/}, independent of the servlet API: a path, the
 * query parameters and the Authorization header in, a status and a JSON body out.
 */
final class Api {

    /** A reply: status, JSON body and extra headers. */
    record Reply(int status, String body, Map<String, String> headers) {
        static Reply ok(String body) {
            return new Reply(200, body, Map.of());
        }

        static Reply error(int status, String message) {
            return new Reply(status, Json.error(status, message), Map.of());
        }
    }

    /** Checks the Authorization header of a write action. */
    interface Authenticator {
        /** @return null when allowed, else the refusal (401 or 403 with its reason) */
        Reply refusal(String authorization);
    }

    static final String WRITE_PATHS = "/publish";

    private Api() {
    }

    static Reply get(String path, Map<String, String[]> params, Sources s, WebConfig cfg) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return Reply.ok(index());
        }
        if (path.equals("/status")) {
            return Reply.ok(Snapshot.status(s, cfg.max_subscriptions()));
        }
        if (path.equals(WRITE_PATHS)) {
            return new Reply(405, Json.error(405, "use POST for " + path), Map.of("Allow", "POST"));
        }
        String name = path.substring(1);
        if (name.equals("traces")) {
            try {
                int limit = intParam(params, "limit", 20, 1, 1000);
                String id = single(params, "id");
                return Reply.ok(Snapshot.traces(s, limit, id));
            } catch (IllegalArgumentException e) {
                return Reply.error(400, e.getMessage());
            }
        }
        if (!Snapshot.SECTIONS.contains(name)) {
            return notFound(path);
        }
        int limit;
        boolean verify;
        try {
            limit = intParam(params, "limit", name.equals("deadletters") ? 20 : cfg.max_subscriptions(), 1, 1000);
            verify = boolParam(params, "verify", false);
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        }
        return Reply.ok(Snapshot.section(name, s, limit, verify));
    }

    static Reply post(String path, Map<String, String[]> params, String authorization, Sources s, WebConfig cfg,
            Authenticator auth) {
        if (!WRITE_PATHS.equals(path)) {
            if (path != null && (path.equals("/status") || path.equals("/events")
                    || Snapshot.SECTIONS.contains(path.substring(Math.min(1, path.length()))))) {
                return new Reply(405, Json.error(405, path + " is read-only: use GET"), Map.of("Allow", "GET"));
            }
            return notFound(path);
        }
        Reply refused = auth.refusal(authorization);
        if (refused != null) {
            return refused;
        }
        String channel;
        int count;
        String payload;
        try {
            channel = stringParam(params, "channel", "dashboard", 200);
            count = intParam(params, "count", 1, 1, cfg.max_publish());
            payload = stringParam(params, "payload", "dashboard packet", 4096);
        } catch (IllegalArgumentException e) {
            return Reply.error(400, e.getMessage());
        }
        if (s.bus() == null) {
            return Reply.error(503, "the event bus is not registered");
        }
        long published = 0;
        try {
            for (int i = 0; i < count; i++) {
                s.bus().publish(PhasePacket.builder(payload).channel(channel).build());
                published++;
            }
        } catch (RuntimeException e) {
            return Reply.error(503, "publish stopped after " + published + " of " + count + " packets: " + e);
        }
        return Reply.ok(new Json().beginObject().field("published", published).field("channel", channel).endObject()
                .toString());
    }

    static Reply notFound(String path) {
        return Reply.error(404, "no API endpoint " + path + " (endpoints: /status, /events, "
                + String.join(", ", new java.util.TreeSet<>(Snapshot.SECTIONS).stream().map(n -> "/" + n).toList())
                + ", POST /publish)");
    }

    private static String index() {
        Json j = new Json().beginObject().key("endpoints").beginArray();
        j.value("GET /chronofabric/api/status").value("GET /chronofabric/api/events (text/event-stream)");
        for (String n : new java.util.TreeSet<>(Snapshot.SECTIONS)) {
            j.value("GET /chronofabric/api/" + n);
        }
        j.value("GET /chronofabric/api/traces?limit=N (the latest traces)").value("GET /chronofabric/api/traces?id=<trace id> (its spans)");
        j.value("POST /chronofabric/api/publish?channel=&count=&payload= (login: Karaf JAAS, admin role)");
        return j.endArray().endObject().toString();
    }

    static int intParam(Map<String, String[]> params, String name, int dflt, int min, int max) {
        String v = single(params, name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw new IllegalArgumentException("query parameter '" + name + "' must be between " + min + " and "
                        + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("query parameter '" + name + "' must be an integer, got '" + v + "'");
        }
    }

    static boolean boolParam(Map<String, String[]> params, String name, boolean dflt) {
        String v = single(params, name);
        if (v == null) {
            return dflt;
        }
        return switch (v.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("query parameter '" + name + "' must be true or false, got '"
                    + v + "'");
        };
    }

    static String stringParam(Map<String, String[]> params, String name, String dflt, int maxLength) {
        String v = single(params, name);
        if (v == null) {
            return dflt;
        }
        if (v.isBlank() || v.length() > maxLength || v.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("query parameter '" + name + "' must be 1.." + maxLength
                    + " printable characters");
        }
        return v;
    }

    private static String single(Map<String, String[]> params, String name) {
        String[] v = params.get(name);
        if (v == null || v.length == 0) {
            return null;
        }
        if (v.length > 1) {
            throw new IllegalArgumentException("query parameter '" + name + "' given " + v.length + " times");
        }
        return v[0];
    }
}
