package io.chronofabric.network.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chronofabric.api.core.InitializationException;
import java.io.File;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The network component's reading of nodes, transport and driver settings. */
class IpcConfigTest {

    @Test
    void shouldReadNodesAsIdEqualsEndpointAndBareIdsOnlyWithIpc() {
        assertThat(NetworkComponent.parseNodes(" 0=127.0.0.1:9110, 1=10.0.0.2:9110 ,", false))
                .containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(0, "127.0.0.1:9110", 1, "10.0.0.2:9110")));
        assertThat(NetworkComponent.parseNodes("0, 1,2=ipc", true)).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(0, "ipc", 1, "ipc", 2, "ipc")));
        assertThatThrownBy(() -> NetworkComponent.parseNodes("0,1", false)).isInstanceOf(InitializationException.class)
                .hasMessageContaining("nodes entry '0' is not id=host:port");
        assertThatThrownBy(() -> NetworkComponent.parseNodes("0,x", true)).isInstanceOf(InitializationException.class)
                .hasMessageContaining("nodes entry 'x': the id is not a number");
        assertThatThrownBy(() -> NetworkComponent.parseNodes("1,1", true)).isInstanceOf(InitializationException.class)
                .hasMessageContaining("node 1 is listed twice");
    }

    @Test
    void shouldParseTransportAndDriverNamingTheBadValue() {
        assertThat(AeronTransport.Kind.parse(" IPC ")).isEqualTo(AeronTransport.Kind.IPC);
        assertThat(AeronTransport.Driver.parse("external")).isEqualTo(AeronTransport.Driver.EXTERNAL);
        assertThatThrownBy(() -> AeronTransport.Kind.parse("tcp")).hasMessage("transport must be udp or ipc: 'tcp'");
        assertThatThrownBy(() -> AeronTransport.Driver.parse("")).hasMessage("driver must be auto, embedded or external: ''");
        assertThatThrownBy(() -> new AeronTransport.Options(AeronTransport.Kind.IPC, AeronTransport.Driver.AUTO, 50, 1500))
                .hasMessageContaining("driver.timeout.ms must be >= 100: 50");
        assertThatThrownBy(() -> new AeronTransport.Options(AeronTransport.Kind.IPC, AeronTransport.Driver.AUTO, 1000, 0))
                .hasMessageContaining("ipc.stream.base must be > 0: 0");
    }

    @Test
    void shouldShareTheDriverUnderDevShmByDefaultAndHonourAeronDir() {
        assertThat(NetworkComponent.ipcDir(" /tmp/x ")).isEqualTo(new File("/tmp/x"));
        File shm = new File("/dev/shm");
        assertThat(NetworkComponent.ipcDir("")).isEqualTo(new File(shm.isDirectory() ? shm
                : new File(System.getProperty("java.io.tmpdir")), "chronofabric-network"));
    }
}
