package io.chronofabric.example.eventsourcing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.patterns.EventData;
import io.chronofabric.api.patterns.StoredEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccountTest {

    private static StoredEvent event(long version, String type, String data) {
        return new StoredEvent("account-a", version, version - 1, type, data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void shouldFoldEventsIntoTheBalanceAndVersion() {
        Account a = Account.fold("a", List.of(event(1, Account.OPENED, ""), event(2, Account.DEPOSITED, "100"),
                event(3, Account.WITHDRAWN, "30"), event(4, "SomethingNewer", "x")));

        assertThat(a).isEqualTo(new Account("a", true, 70, 4));
    }

    @Test
    void shouldDecideCommandsIntoEvents() {
        Account open = new Account("a", true, 70, 3);

        assertThat(Account.none("a").decide("open", null)).extracting(EventData::type).containsExactly(Account.OPENED);
        assertThat(open.decide("deposit", "5")).singleElement()
                .satisfies(e -> assertThat(new String(e.data(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("5"));
        assertThat(open.decide("withdraw", "70")).extracting(EventData::type).containsExactly(Account.WITHDRAWN);
    }

    @Test
    void shouldRefuseCommandsTheStateDoesNotAllowNamingWhy() {
        Account open = new Account("a", true, 70, 3);

        assertThatThrownBy(() -> open.decide("withdraw", "71")).hasMessage("Account 'a' has 70, cannot withdraw 71");
        assertThatThrownBy(() -> open.decide("open", null)).hasMessage("Account 'a' is already open");
        assertThatThrownBy(() -> Account.none("b").decide("deposit", "1")).hasMessage("No account 'b': open it first");
        assertThatThrownBy(() -> open.decide("deposit", "-4")).hasMessage("Amount '-4' is not a whole number from 1 to 1000000000000");
        assertThatThrownBy(() -> open.decide("deposit", null)).hasMessage("Amount 'null' is not a whole number from 1 to 1000000000000");
        assertThatThrownBy(() -> open.decide("close", null)).hasMessage("Unknown command 'close': expected open, deposit or withdraw");
        assertThatThrownBy(() -> Account.requireId("a b")).hasMessage("Account id 'a b' must be 1 to 64 letters, digits, '_' or '-'");
    }

    @Test
    void shouldMapAccountIdsToStreamsAndBack() {
        assertThat(Account.stream("acc-1")).isEqualTo("account-acc-1");
        assertThat(Account.idOf("account-acc-1")).isEqualTo("acc-1");
        assertThat(Account.idOf("order-1")).isNull();
    }
}
