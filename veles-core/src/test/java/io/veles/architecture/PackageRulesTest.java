package io.veles.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

/**
 * The package structure of veles-core, checked on the compiled classes: a new package cycle, or a
 * contract package reaching up into the engine, fails the build instead of creeping in.
 */
class PackageRulesTest {
    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().importPath(Path.of("target", "classes"));
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        // Each package is its own slice: io.veles.snapshot and io.veles.snapshot.store are two.
        slices().matching("io.veles.(**)").should().beFreeOfCycles().check(core);
    }

    @Test
    void theContractsUsersImplementDoNotDependOnTheEngine() {
        noClasses()
                .that()
                .resideInAnyPackage("io.veles.pickle", "io.veles.errors", "io.veles.config")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.veles.internal.pickle..",
                        "io.veles.snapshot.file..",
                        "io.veles.internal.store..",
                        "io.veles.internal.db..",
                        "io.veles.snapshot..",
                        "io.veles.launcher..",
                        "io.veles.workflow..")
                .check(core);
    }

    @Test
    void internalsNeverReachUpIntoTheLauncher() {
        noClasses()
                .that()
                .resideInAPackage("io.veles.internal..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.veles.launcher..", "io.veles.snapshot")
                .check(core);
    }
}
