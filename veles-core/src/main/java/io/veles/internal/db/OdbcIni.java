package io.veles.internal.db;

import io.veles.errors.SnapshotException;
import org.apache.commons.configuration2.INIConfiguration;
import org.apache.commons.configuration2.SubnodeConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * unixODBC's configuration files: data sources ({@code odbc.ini}: {@code $ODBCINI},
 * {@code ~/.odbc.ini}, {@code /etc/odbc.ini}, searched in that order) and drivers
 * ({@code odbcinst.ini}: {@code $ODBCINSTINI}, {@code $ODBCSYSINI/odbcinst.ini},
 * {@code /etc/odbcinst.ini}). Section and key names match case-insensitively, as unixODBC does.
 */
final class OdbcIni {
    private final List<Path> dataSourceFiles;
    private final List<Path> driverFiles;

    OdbcIni(List<Path> dataSourceFiles, List<Path> driverFiles) {
        this.dataSourceFiles = dataSourceFiles;
        this.driverFiles = driverFiles;
    }

    /** The files unixODBC itself would read, from the environment. */
    static OdbcIni fromEnvironment() {
        List<Path> sources = new ArrayList<>();
        String odbcIni = System.getenv("ODBCINI");
        if (odbcIni != null && !odbcIni.isEmpty()) {
            sources.add(Path.of(odbcIni));
        }
        sources.add(Path.of(System.getProperty("user.home"), ".odbc.ini"));
        sources.add(Path.of("/etc/odbc.ini"));
        List<Path> drivers = new ArrayList<>();
        String odbcInstIni = System.getenv("ODBCINSTINI");
        String odbcSysIni = System.getenv("ODBCSYSINI");
        if (odbcInstIni != null && !odbcInstIni.isEmpty()) {
            drivers.add(
                    odbcSysIni != null && !Path.of(odbcInstIni).isAbsolute()
                            ? Path.of(odbcSysIni, odbcInstIni)
                            : Path.of(odbcInstIni));
        }
        if (odbcSysIni != null && !odbcSysIni.isEmpty()) {
            drivers.add(Path.of(odbcSysIni, "odbcinst.ini"));
        }
        drivers.add(Path.of("/etc/odbcinst.ini"));
        return new OdbcIni(sources, drivers);
    }

    /** The entries of data source {@code dsn}, keys upper-cased; an error if no file defines it. */
    Map<String, String> dataSource(String dsn) {
        for (Path file : dataSourceFiles) {
            Optional<Map<String, String>> section = section(file, dsn);
            if (section.isPresent()) {
                return section.get();
            }
        }
        throw new SnapshotException("ODBC data source '" + dsn + "' is not defined in " + describe(dataSourceFiles));
    }

    /** The entries of driver {@code name} in odbcinst.ini, if it is defined there. */
    Optional<Map<String, String>> driver(String name) {
        for (Path file : driverFiles) {
            Optional<Map<String, String>> section = section(file, name);
            if (section.isPresent()) {
                return section;
            }
        }
        return Optional.empty();
    }

    private static Optional<Map<String, String>> section(Path file, String wanted) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        INIConfiguration ini = new INIConfiguration();
        try (Reader reader = Files.newBufferedReader(file)) {
            ini.read(reader);
        } catch (IOException | ConfigurationException e) {
            throw new SnapshotException("cannot read ODBC configuration " + file + ": " + e.getMessage(), e);
        }
        for (String name : ini.getSections()) {
            if (name != null && name.strip().equalsIgnoreCase(wanted.strip())) {
                return Optional.of(entries(ini.getSection(name)));
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> entries(SubnodeConfiguration section) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (Iterator<String> keys = section.getKeys(); keys.hasNext(); ) {
            String key = keys.next();
            entries.put(
                    key.strip().toUpperCase(Locale.ROOT),
                    String.valueOf(section.getProperty(key)).strip());
        }
        return entries;
    }

    private static String describe(List<Path> files) {
        return files.stream().map(Path::toString).reduce((a, b) -> a + ", " + b).orElse("(no files)");
    }
}
