package io.veles.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Pins veles-core's public API: every public type outside {@code io.veles.internal} and its public
 * and protected members, one line each, must match {@code api/veles-core.api}. A change to the API
 * then shows in review as a change to that file, a decision rather than an accident. No release
 * exists yet for japicmp to compare against; this file is the baseline until one does.
 *
 * <p>After an intended change: {@code mvn -pl veles-core test -Dtest=PublicApiTest -Dveles.updateApi=true}.
 */
class PublicApiTest {
    private static final Path BASELINE = Path.of("api", "veles-core.api");

    @Test
    void publicApiMatchesTheCommittedBaseline() throws IOException {
        List<String> current = currentApi();
        if (Boolean.getBoolean("veles.updateApi")) {
            Files.createDirectories(BASELINE.getParent());
            Files.write(BASELINE, current, StandardCharsets.UTF_8);
        }
        List<String> baseline = Files.exists(BASELINE) ? Files.readAllLines(BASELINE) : List.of();
        Set<String> added = new TreeSet<>(current);
        added.removeAll(baseline);
        Set<String> removed = new TreeSet<>(baseline);
        removed.removeAll(current);
        assertThat(added)
                .as("public API added since %s (if intended, rerun with -Dveles.updateApi=true)", BASELINE)
                .isEmpty();
        assertThat(removed)
                .as("public API removed since %s (if intended, rerun with -Dveles.updateApi=true)", BASELINE)
                .isEmpty();
    }

    @Test
    void noPublicSignatureExposesAnInternalType() {
        List<String> leaks = currentApi().stream()
                .filter(line -> line.contains("io.veles.internal."))
                .collect(Collectors.toList());
        assertThat(leaks)
                .as("API members whose signature names an io.veles.internal type")
                .isEmpty();
    }

    private static List<String> currentApi() {
        List<String> lines = new ArrayList<>();
        new ClassFileImporter()
                .importPath(Path.of("target", "classes")).stream()
                        .filter(PublicApiTest::isApiType)
                        .sorted((a, b) -> a.getName().compareTo(b.getName()))
                        .forEach(type -> {
                            lines.add(describeType(type));
                            List<String> members = new ArrayList<>();
                            for (JavaField field : type.getFields()) {
                                if (visible(field)) {
                                    members.add("  field " + modifiers(field)
                                            + field.getRawType().getName() + " " + field.getName());
                                }
                            }
                            for (JavaCodeUnit unit : type.getCodeUnits()) {
                                if (visible(unit) && !unit.getName().equals("<clinit>")) {
                                    members.add("  " + modifiers(unit)
                                            + unit.getRawReturnType().getName() + " " + unit.getName()
                                            + unit.getRawParameterTypes().stream()
                                                    .map(JavaClass::getName)
                                                    .collect(Collectors.joining(", ", "(", ")")));
                                }
                            }
                            members.sort(String::compareTo);
                            lines.addAll(members);
                        });
        return lines;
    }

    private static boolean isApiType(JavaClass type) {
        if (type.getPackageName().startsWith("io.veles.internal")
                || !type.getModifiers().contains(JavaModifier.PUBLIC)) {
            return false;
        }
        // A public type nested in a non-public one is not reachable.
        return type.getEnclosingClass().map(PublicApiTest::isApiType).orElse(true);
    }

    private static String describeType(JavaClass type) {
        String kind = type.isInterface() ? "interface" : type.isEnum() ? "enum" : type.isRecord() ? "record" : "class";
        String supertypes = type.getRawSuperclass()
                        .filter(s -> !s.getName().startsWith("java.lang."))
                        .map(s -> " extends " + s.getName())
                        .orElse("")
                + type.getRawInterfaces().stream()
                        .map(JavaClass::getName)
                        .sorted()
                        .collect(
                                Collectors.joining(", ", type.getRawInterfaces().isEmpty() ? "" : " implements ", ""));
        return modifiers(type.getModifiers()) + kind + " " + type.getName() + supertypes;
    }

    private static boolean visible(JavaMember member) {
        Set<JavaModifier> modifiers = member.getModifiers();
        boolean extendable = !member.getOwner().getModifiers().contains(JavaModifier.FINAL);
        return modifiers.contains(JavaModifier.PUBLIC) || (extendable && modifiers.contains(JavaModifier.PROTECTED));
    }

    private static String modifiers(JavaMember member) {
        return modifiers(member.getModifiers());
    }

    private static String modifiers(Set<JavaModifier> modifiers) {
        StringBuilder text = new StringBuilder();
        for (JavaModifier modifier : List.of(
                JavaModifier.PUBLIC,
                JavaModifier.PROTECTED,
                JavaModifier.STATIC,
                JavaModifier.ABSTRACT,
                JavaModifier.FINAL)) {
            if (modifiers.contains(modifier)) {
                text.append(modifier.name().toLowerCase()).append(' ');
            }
        }
        return text.toString();
    }
}
