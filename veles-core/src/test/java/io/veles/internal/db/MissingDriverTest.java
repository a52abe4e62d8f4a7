package io.veles.internal.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.errors.SnapshotException;
import io.veles.testing.FreshJvm;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The JDBC drivers are optional dependencies of veles-core: an application without its
 * database's driver is told in one line which artifact to add. A child JVM without the drivers.
 */
@Tag("slow")
class MissingDriverTest {
    @TempDir
    Path dir;

    @Test
    void aMissingDriverIsNamedByItsMavenArtifact() throws Exception {
        String withoutDrivers = FreshJvm.classPathWithout("sqlite-jdbc", "mariadb-java-client", "postgresql-");
        assertThat(withoutDrivers).isNotEqualTo(System.getProperty("java.class.path"));
        FreshJvm.Running child = FreshJvm.start(
                dir,
                withoutDrivers,
                Connect.class,
                "DRIVER={MariaDB};SERVER=127.0.0.1;DATABASE=test;UID=root",
                "DRIVER={PostgreSQL};SERVER=127.0.0.1;DATABASE=test;UID=postgres;PWD=secret",
                "DRIVER={SQLite3};DATABASE=" + dir.resolve("snapshots.db"));
        assertThat(child.waitFor(60)).as(child.output()).isZero();

        assertThat(child.output().lines())
                .containsExactly(
                        "no JDBC driver for MariaDB on the class path: add org.mariadb.jdbc:mariadb-java-client",
                        "no JDBC driver for PostgreSQL on the class path: add org.postgresql:postgresql",
                        "no JDBC driver for SQLite on the class path: add org.xerial:sqlite-jdbc");
    }

    /** Connects to each database its arguments name and prints why it could not, one line each. */
    public static final class Connect {
        public static void main(String[] args) throws Exception {
            for (String odbc : args) {
                try {
                    DatabaseTarget.of(odbc).connect(true).close();
                    System.out.println("connected to " + odbc);
                } catch (SnapshotException e) {
                    System.out.println(e.getMessage());
                }
            }
        }
    }
}
