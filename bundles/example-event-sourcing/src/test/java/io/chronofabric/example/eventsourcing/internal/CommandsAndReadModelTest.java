package io.chronofabric.example.eventsourcing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.patterns.EventData;
import io.chronofabric.api.patterns.StoredEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandsAndReadModelTest {

    private final Fakes.MemoryStore store = new Fakes.MemoryStore();
    private final Fakes.RecordingBus bus = new Fakes.RecordingBus();
    private final AccountCommandHandler commands = new AccountCommandHandler(store, bus);

    @Test
    void shouldAppendTheDecidedEventsAndPublishThemForTheReadModel() {
        assertThat(commands.handle("open acc-1")).isEqualTo("Account acc-1 at version 1: balance 0");
        assertThat(commands.handle("deposit acc-1 100")).isEqualTo("Account acc-1 at version 2: balance 100");
        assertThat(commands.handle(" withdraw  acc-1 30 ")).isEqualTo("Account acc-1 at version 3: balance 70");

        assertThat(store.read("account-acc-1", 1)).extracting(StoredEvent::type)
                .containsExactly(Account.OPENED, Account.DEPOSITED, Account.WITHDRAWN);
        assertThat(bus.published).allSatisfy(p -> assertThat(p.channel()).isEqualTo(Channels.EVENTS));
        assertThat(bus.events()).extracting(StoredEvent::version).containsExactly(1L, 2L, 3L);
        assertThat(bus.events()).extracting(StoredEvent::ledgerIndex).containsExactly(0L, 1L, 2L);
    }

    @Test
    void shouldDecideAgainOnTheFreshStateWhenAnotherWriterWonTheRace() {
        commands.handle("open acc-1");
        commands.handle("deposit acc-1 100");
        // another writer withdraws 80 between our read and our append
        store.beforeNextAppend = () -> store.append("account-acc-1", 2, List.of(EventData.of(Account.WITHDRAWN, "80")));

        assertThatThrownBy(() -> commands.handle("withdraw acc-1 50")).hasMessage("Account 'acc-1' has 20, cannot withdraw 50");
        assertThat(commands.handle("withdraw acc-1 20")).isEqualTo("Account acc-1 at version 4: balance 0");
    }

    @Test
    void shouldRefuseABadCommandWithoutAppending() {
        assertThatThrownBy(() -> commands.handle("deposit acc-9 5")).hasMessage("No account 'acc-9': open it first");
        assertThatThrownBy(() -> commands.handle("open")).hasMessage("Command 'open' is not 'open ID', 'deposit ID AMOUNT' or 'withdraw ID AMOUNT'");
        assertThat(store.streams()).isEmpty();
        assertThat(bus.published).isEmpty();
    }

    @Test
    void shouldRebuildTheReadModelFromTheStoreAndFollowPublishedEvents() {
        commands.handle("open acc-1");
        commands.handle("deposit acc-1 100");
        store.append("order-7", 0, List.of(EventData.of("Placed", "{}"))); // not an account: ignored
        AccountReadModel view = new AccountReadModel(store);
        assertThat(view.query("balance acc-1")).isEqualTo("Account acc-1 at version 2: balance 100");

        commands.handle("withdraw acc-1 30");
        commands.handle("open acc-2");
        bus.events().forEach(view::apply); // versions 1 and 2 again (ignored), then 3, and acc-2's 1

        assertThat(view.query("balance acc-1")).isEqualTo("Account acc-1 at version 3: balance 70");
        assertThat(view.query(" accounts ")).isEqualTo("acc-1=70, acc-2=0");
    }

    @Test
    void shouldReadAGapFromTheStoreWhenAnEventWasMissed() {
        AccountReadModel view = new AccountReadModel(store);
        commands.handle("open acc-1");
        commands.handle("deposit acc-1 100");
        commands.handle("deposit acc-1 5");
        List<StoredEvent> published = bus.events();

        view.apply(published.get(0));
        view.apply(published.get(2)); // version 2 was dropped on the way

        assertThat(view.query("balance acc-1")).isEqualTo("Account acc-1 at version 3: balance 105");
    }

    @Test
    void shouldNameAnUnknownAccountOrQuery() {
        AccountReadModel view = new AccountReadModel(store);

        assertThat(view.query("accounts")).isEqualTo("No accounts");
        assertThatThrownBy(() -> view.query("balance nobody")).hasMessage("No account 'nobody' in the read model");
        assertThatThrownBy(() -> view.query("sum")).hasMessage("Query 'sum' is not 'balance ID' or 'accounts'");
    }
}
