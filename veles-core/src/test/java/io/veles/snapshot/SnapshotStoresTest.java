package io.veles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.veles.errors.SnapshotException;
import io.veles.snapshot.store.DirectoryStore;
import io.veles.snapshot.store.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * Which store a location names: an address of a kind we have no store for is refused in one line
 * naming only its scheme, not taken for a path (where {@code jdbc:postgresql://h/db} would become
 * the directory {@code jdbc:postgresql:/h/db}); a path with a colon is still a path.
 */
class SnapshotStoresTest {
    private static final String JDBC_WITH_PASSWORD =
            "jdbc:postgresql://127.0.0.1:5432/test?user=veles&password=hunter2";

    @TempDir
    Path dir;

    @Test
    void aJdbcUrlIsRefusedAsADestinationAndAsASourceWithoutItsPassword() {
        assertThatThrownBy(() -> SnapshotStores.open(JDBC_WITH_PASSWORD))
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("jdbc:postgresql:… is not a snapshot location")
                .hasMessageContaining("odbc://")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> SnapshotStores.source(JDBC_WITH_PASSWORD))
                .hasMessageStartingWith("jdbc:postgresql:… is not a snapshot location")
                .hasMessageNotContaining("hunter2");
        SnapshotSettings settings = SnapshotSettings.builder()
                .prefix("run")
                .directory(JDBC_WITH_PASSWORD)
                .build();
        assertThatThrownBy(() -> SnapshotStores.forSettings(settings))
                .hasMessageStartingWith("jdbc:postgresql:… is not a snapshot location");
        assertThat(Path.of("jdbc:postgresql:"))
                .as("no directory made of the address")
                .doesNotExist();
    }

    @Test
    void otherForeignAddressesAreRefusedByTheirScheme() {
        for (String address : new String[] {"gs://bucket/runs", "postgresql://127.0.0.1/test", "HDFS://nn/x"}) {
            String scheme = address.substring(0, address.indexOf("://") + 3);
            assertThatThrownBy(() -> SnapshotStores.source(address))
                    .as(address)
                    .isInstanceOf(SnapshotException.class)
                    .hasMessageStartingWith(scheme + "… is not a snapshot location");
        }
    }

    /**
     * A store address missing a slash ({@code s3:/bucket}) is refused as one, not made a local
     * directory whose snapshots a preempted machine takes with it; so is a database source given
     * where a directory is.
     */
    @Test
    void aMistypedStoreAddressOrADatabaseAsTheDirectoryIsRefused() {
        for (String address : new String[] {"s3:/training/wine", "odbc:/DRIVER={SQLite3};DATABASE=x.db"}) {
            SnapshotSettings settings =
                    SnapshotSettings.builder().prefix("run").directory(address).build();
            assertThatThrownBy(() -> SnapshotStores.forSettings(settings))
                    .as(address)
                    .isInstanceOf(SnapshotException.class)
                    .hasMessageStartingWith(
                            address.substring(0, address.indexOf(":/") + 2) + "… is not a snapshot location");
            assertThatThrownBy(() -> SnapshotStores.open(address)).as(address).isInstanceOf(SnapshotException.class);
        }
        SnapshotSettings database = SnapshotSettings.builder()
                .prefix("run")
                .directory("odbc://DRIVER={SQLite3};DATABASE=" + dir.resolve("x.db") + "&veles")
                .build();
        assertThatThrownBy(() -> SnapshotStores.forSettings(database))
                .isInstanceOf(SnapshotException.class)
                .hasMessageStartingWith("the snapshot directory is a database source (odbc://…): give it as --odbc");
        assertThat(Path.of("s3:")).doesNotExist();
        assertThat(Path.of("odbc:")).doesNotExist();
    }

    @Test
    void pathsWithColonsAreStillPaths() throws Exception {
        for (String name : new String[] {"run:1", "C:", "jdbc", "x:/y"}) {
            try (SnapshotStore store = SnapshotStores.open(dir.resolve(name).toString())) {
                assertThat(store).as(name).isInstanceOf(DirectoryStore.class);
            }
            // relative, as a user types them: a missing path, not a refused address
            assertThatThrownBy(() -> SnapshotStores.source(name))
                    .as(name)
                    .hasMessage("no such file or directory: " + name);
        }
    }
}
