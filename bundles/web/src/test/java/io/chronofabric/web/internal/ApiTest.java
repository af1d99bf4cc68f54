package io.chronofabric.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiTest {

    private final WebConfig cfg = Fakes.config(Map.of());

    @Test
    void shouldAnswer404WithJsonForAnUnknownPath() {
        Api.Reply r = Api.get("/nope", Map.of(), Fakes.none(), cfg);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).startsWith("{\"status\":404,\"error\":\"no API endpoint /nope");
    }

    @Test
    void shouldAnswer400NamingAMalformedParameter() {
        Api.Reply r = Api.get("/subscriptions", Map.of("limit", new String[] {"ten"}), Fakes.none(), cfg);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("'limit'").contains("ten");
        Api.Reply v = Api.get("/ledger", Map.of("verify", new String[] {"maybe"}), Fakes.none(), cfg);
        assertThat(v.status()).isEqualTo(400);
        assertThat(v.body()).contains("'verify'");
        Api.Reply range = Api.get("/deadletters", Map.of("limit", new String[] {"0"}), Fakes.none(), cfg);
        assertThat(range.status()).isEqualTo(400);
    }

    @Test
    void shouldShowAbsentPortsInTheStatus() {
        Api.Reply r = Api.get("/status", Map.of(), Fakes.none(), cfg);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("\"bus\":{\"present\":false}").contains("\"ledger\":{\"present\":false}");
    }

    @Test
    void shouldRefuseAPublishWithoutLoginAndPublishNothing() {
        List<PhasePacket<?>> published = new ArrayList<>();
        EventBus bus = Fakes.port(EventBus.class, Map.of("publish", () -> {
            published.add(null);
            return 1L;
        }));
        Sources s = new Sources(bus, null, null, null, null, null, null, List.of(), List::of);
        Api.Reply r = Api.post("/publish", Map.of(), null, s, cfg, new JaasAuthenticator("karaf", "admin"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.headers()).containsKey("WWW-Authenticate");
        assertThat(r.body()).contains("login");
        Api.Reply bad = Api.post("/publish", Map.of(), "Basic !!!", s, cfg, new JaasAuthenticator("karaf", "admin"));
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.body()).contains("malformed Authorization header");
        assertThat(published).isEmpty();
    }

    @Test
    void shouldPublishTheCountWhenTheAuthenticatorAllows() {
        List<Object> published = new ArrayList<>();
        EventBus bus = (EventBus) java.lang.reflect.Proxy.newProxyInstance(EventBus.class.getClassLoader(),
                new Class<?>[] {EventBus.class}, (p, m, args) -> {
                    if (m.getName().equals("publish")) {
                        published.add(((PhasePacket<?>) args[0]).channel());
                        return 7L;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
        Sources s = new Sources(bus, null, null, null, null, null, null, List.of(), List::of);
        Api.Reply r = Api.post("/publish", Map.of("channel", new String[] {"c1"}, "count", new String[] {"3"}), "x",
                s, cfg, auth -> null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"published\":3,\"channel\":\"c1\"}");
        assertThat(published).containsExactly("c1", "c1", "c1");
        Api.Reply tooMany = Api.post("/publish", Map.of("count", new String[] {"10001"}), "x", s, cfg, auth -> null);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.body()).contains("'count'");
    }

    @Test
    void shouldAnswer405ForAWriteToAReadOnlyEndpoint() {
        Api.Reply r = Api.post("/status", Map.of(), null, Fakes.none(), cfg, auth -> null);
        assertThat(r.status()).isEqualTo(405);
        assertThat(Api.get("/publish", Map.of(), Fakes.none(), cfg).status()).isEqualTo(405);
    }
}
