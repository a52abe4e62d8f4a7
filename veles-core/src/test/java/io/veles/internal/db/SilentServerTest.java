package io.veles.internal.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.snapshot.SnapshotStores;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.Socket;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

/**
 * A database server that accepts the connection and never answers fails the connect within its
 * timeout, for each driver, without changing DriverManager's login timeout, which is the whole
 * JVM's (a host application's own database code reads it).
 */
@Tag("slow")
class SilentServerTest {
    @Test
    void aServerThatNeverAnswersFailsTheConnectInTimeAndLeavesTheJvmsSettingAlone() throws Exception {
        int before = DriverManager.getLoginTimeout();
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // and never a byte back
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            int port = silent.getLocalPort();
            for (String driver : new String[] {"PostgreSQL", "MariaDB"}) {
                String odbc = "odbc://DRIVER={" + driver + "};SERVER=127.0.0.1;PORT=" + port + ";DATABASE=test&veles";
                long start = System.nanoTime();
                assertThatThrownBy(() -> SnapshotStores.open(odbc).list())
                        .as(driver)
                        .isInstanceOf(SnapshotException.class);
                assertThat((System.nanoTime() - start) / 1e9)
                        .as(driver + ": seconds to fail")
                        .isLessThan(30);
            }
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
        assertThat(DriverManager.getLoginTimeout()).isEqualTo(before);
    }
}
