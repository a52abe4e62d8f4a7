package io.veles.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void filesLoadAsPropertiesOrNestedJsonAndArgumentsOverrideThem() throws Exception {
        Path properties = Files.writeString(dir.resolve("a.properties"), "decision.max_epochs = 50\nlayers=8:tanh\n");
        Path json = Files.writeString(
                dir.resolve("a.json"), "{\"decision\": {\"max_epochs\": 40}, \"gd\": {\"momentum\": 0.5}}");
        assertThat(Config.load(properties).getInt("decision.max_epochs", 0)).isEqualTo(50);
        Config fromJson = Config.load(json);
        assertThat(fromJson.section("decision").getInt("max_epochs", 0)).isEqualTo(40);
        assertThat(fromJson.getDouble("gd.momentum", 0)).isEqualTo(0.5);
        Config merged = Config.load(properties).with(Config.parse(List.of("decision.max_epochs=7")));
        assertThat(merged.getInt("decision.max_epochs", 0)).isEqualTo(7);
        assertThat(merged.getString("layers", "")).isEqualTo("8:tanh");
    }

    @Test
    void jsonUnderAnotherNameIsReadAsJsonNotAsProperties() throws Exception {
        String json = "{\"decision\": {\"max_epochs\": 40},\n \"gd\": {\"momentum\": 0.5}}";
        for (String text : List.of(json, "\n  \t" + json, "\uFEFF" + json)) {
            Path conf = Files.writeString(dir.resolve("c.conf"), text);
            Config config = Config.load(conf);
            assertThat(config.getInt("decision.max_epochs", 0)).as(text).isEqualTo(40);
            assertThat(config.getDouble("gd.momentum", 0)).as(text).isEqualTo(0.5);
            assertThat(config.unusedKeys()).as(text).isEmpty();
        }
        Path broken = Files.writeString(dir.resolve("broken.conf"), "{\"decision\": ");
        assertThatThrownBy(() -> Config.load(broken))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cannot read config file " + broken);
        Path properties = Files.writeString(dir.resolve("p.conf"), "# {not json}\ndecision.max_epochs={x}\n");
        assertThat(Config.load(properties).getString("decision.max_epochs", "")).isEqualTo("{x}");
    }

    @Test
    void badFilesAndValuesAreNamed() throws Exception {
        assertThatThrownBy(() -> Config.load(dir.resolve("missing.json")))
                .hasMessage("cannot read config file " + dir.resolve("missing.json") + ": no such file");
        Path list = Files.writeString(dir.resolve("list.json"), "{\"layers\": [1, 2]}");
        assertThatThrownBy(() -> Config.load(list))
                .hasMessageContaining("layers must be an object or a value, not a list");
        assertThatThrownBy(() -> Config.parse(List.of("novalue"))).hasMessage("not a key=value setting: 'novalue'");
        Config config = Config.parse(List.of("a.b=x"));
        assertThatThrownBy(() -> config.getInt("a.b", 1)).hasMessage("a.b: expected a whole number, got 'x'");
    }

    @Test
    void aMalformedEscapeNamesTheFile() throws Exception {
        // Properties reads a backslash-u as the start of a unicode escape; its own message names nothing
        Path windows = Files.writeString(dir.resolve("wine.properties"), "data.dir=C:\\users\\me\n");
        assertThatThrownBy(() -> Config.load(windows))
                .isInstanceOf(io.veles.config.ConfigException.class)
                .hasMessageStartingWith("cannot read config file " + windows + ": Malformed")
                .hasMessageEndingWith("(write a backslash as \\\\ or use /)");
    }

    @Test
    void settingsReadThroughDefaultsCountAsUsed() {
        Config user = Config.parse(List.of("used=1", "typo=2"));
        Config merged = Config.parse(List.of("used=0", "other=3")).with(user);
        merged.getInt("used", 0);
        assertThat(user.unusedKeys()).containsExactly("typo");
    }

    @Test
    void aDirectoryIsNoConfigFile() {
        for (Path directory : new Path[] {dir, Path.of("/")}) {
            assertThatThrownBy(() -> Config.load(directory))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("cannot read config file " + directory + ": it is a directory");
        }
    }

    /** A setting given twice is refused rather than the last one winning silently; so is JSON with anything after it. */
    @Test
    void aSettingGivenTwiceOrTrailingJsonIsRefused() throws Exception {
        assertThatThrownBy(() -> Config.parse(java.util.List.of("walk.iterations=5", "walk.iterations=50")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("setting walk.iterations is given twice ('walk.iterations=5' and 'walk.iterations=50')");
        Path properties = Files.writeString(dir.resolve("twice.properties"), "a=1\nb=2\na=3\n");
        assertThatThrownBy(() -> Config.load(properties)).hasMessageContaining("setting a is given twice");
        Path json = Files.writeString(dir.resolve("twice.json"), "{\"walk\": {\"iterations\": 5}, \"walk\": {}}");
        assertThatThrownBy(() -> Config.load(json)).hasMessageContaining("Duplicate field 'walk'");
        Path dotted = Files.writeString(
                dir.resolve("dotted.json"), "{\"walk\": {\"iterations\": 5}, \"walk.iterations\": 9}");
        assertThatThrownBy(() -> Config.load(dotted)).hasMessageContaining("setting walk.iterations is given twice");
        Path trailing = Files.writeString(dir.resolve("trailing.json"), "{\"walk\": {\"iterations\": 5}} }");
        assertThatThrownBy(() -> Config.load(trailing)).isInstanceOf(ConfigException.class);
        // Where the JSON breaks is said as a line and column, not as Jackson's source description.
        Path unclosed = Files.writeString(dir.resolve("unclosed.json"), "{\"walk\": {\"iterations\": 5}\n");
        assertThatThrownBy(() -> Config.load(unclosed))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cannot read config file " + unclosed + ": not valid JSON (line 2, column 1): ")
                .hasMessageContaining("end-of-input")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Source", "\n"));
        Path comma = Files.writeString(dir.resolve("comma.json"), "{\"a\": 1,,}");
        assertThatThrownBy(() -> Config.load(comma))
                .hasMessageStartingWith("cannot read config file " + comma + ": not valid JSON (line 1, column 9): ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Source", "\n"));
        Path empty = Files.writeString(dir.resolve("empty.json"), "");
        assertThatThrownBy(() -> Config.load(empty)).hasMessage("config file " + empty + " is empty");
    }

    /** A properties file saved with a byte-order mark (as some editors do) has its first key as written. */
    @Test
    void aByteOrderMarkIsNoPartOfTheFirstKey() throws Exception {
        Path file = Files.writeString(dir.resolve("bom.properties"), "\uFEFFwalk.iterations=7\nlabel=caf\u00e9\n");
        Config config = Config.load(file);
        assertThat(config.getInt("walk.iterations", 0)).isEqualTo(7);
        assertThat(config.getString("label", null)).isEqualTo("caf\u00e9");
    }
}
