package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which initial values a restore can give fields added since a snapshot: those a class file shows
 * without running any code. Each class below is one situation; a field whose value cannot be told
 * must come back as "unknown" (null here), never as a guess.
 */
class FieldInitialisersTest {
    @SuppressWarnings("unused")
    static class Constants {
        int small = 7;
        int folded = 60 * 60;
        long big = 1L << 40;
        float ratio = 2.5f;
        double negative = -0.25;
        boolean on = true;
        char letter = 'x';
        byte tiny = -5;
        short medium = 300;
        String text = "hi";
        Integer boxed = 42;
        Character boxedLetter = 'q';
        Object boxedAsObject = 'z';
        String none = null;
        List<String> list = new ArrayList<>();
        Map<String, Integer> map = new HashMap<>();
        float[] buffer = new float[64];
    }

    @Test
    void constantsBoxedConstantsEmptyJdkCollectionsAndConstantLengthArrays() throws Exception {
        assertThat(value(Constants.class, "small")).isEqualTo(7);
        assertThat(value(Constants.class, "folded")).isEqualTo(3600);
        assertThat(value(Constants.class, "big")).isEqualTo(1L << 40);
        assertThat(value(Constants.class, "ratio")).isEqualTo(2.5f);
        assertThat(value(Constants.class, "negative")).isEqualTo(-0.25);
        assertThat(value(Constants.class, "on")).isEqualTo(true);
        assertThat(value(Constants.class, "letter")).isEqualTo('x');
        assertThat(value(Constants.class, "tiny")).isEqualTo((byte) -5);
        assertThat(value(Constants.class, "medium")).isEqualTo((short) 300);
        assertThat(value(Constants.class, "text")).isEqualTo("hi");
        assertThat(value(Constants.class, "boxed")).isEqualTo(42);
        assertThat(value(Constants.class, "boxedLetter")).isEqualTo('q');
        assertThat(value(Constants.class, "boxedAsObject")).isEqualTo('z');
        assertThat(FieldInitialisers.of(Constants.class.getDeclaredField("none"))
                        .value()
                        .get())
                .isNull();
        assertThat(value(Constants.class, "list")).isEqualTo(new ArrayList<>());
        assertThat(value(Constants.class, "map")).isEqualTo(new HashMap<>());
        assertThat((float[]) value(Constants.class, "buffer")).hasSize(64);
        // Each restored object gets a container of its own.
        assertThat(value(Constants.class, "list")).isNotSameAs(value(Constants.class, "list"));
        assertThat(FieldInitialisers.of(Constants.class.getDeclaredField("text"))
                        .describe())
                .isEqualTo("\"hi\"");
    }

    @SuppressWarnings("unused")
    static class NotConstant {
        int parsed = Integer.parseInt("5");
        List<String> sized = new ArrayList<>(10);
        StringBuilder withText = new StringBuilder("x");
        Thread thread = new Thread();
        Object label = String.valueOf(5); // a String, though valueOf(int) boxes in Integer
        Comparable<?> flag = String.valueOf(true);
        int fromParameter;
        int unset;

        NotConstant(int parameter) {
            fromParameter = parameter;
        }
    }

    @Test
    void callsConstructorsWithArgumentsNonJdkClassesParametersAndNoInitialiserAreUnknown() throws Exception {
        for (String field :
                List.of("parsed", "sized", "withText", "thread", "label", "flag", "fromParameter", "unset")) {
            assertThat(FieldInitialisers.of(NotConstant.class.getDeclaredField(field)))
                    .as(field)
                    .isNull();
        }
    }

    @SuppressWarnings("unused")
    static class Branches {
        static boolean flag = true;
        int chosen = flag ? 1 : 2;
        int afterTheChoice = 4;
        int conditional;
        int afterReturn;

        Branches(boolean condition) {
            if (condition) {
                conditional = 1;
            }
            if (!condition) {
                return;
            }
            afterReturn = 5;
        }
    }

    @Test
    void anAssignmentABranchOrAnEarlyReturnCanSkipIsUnknownOneAfterABranchThatRejoinsIsKnown() throws Exception {
        assertThat(FieldInitialisers.of(Branches.class.getDeclaredField("chosen")))
                .isNull();
        assertThat(value(Branches.class, "afterTheChoice")).isEqualTo(4);
        assertThat(FieldInitialisers.of(Branches.class.getDeclaredField("conditional")))
                .isNull();
        assertThat(FieldInitialisers.of(Branches.class.getDeclaredField("afterReturn")))
                .isNull();
    }

    @SuppressWarnings("unused")
    static class Constructors {
        int everywhere = 1;
        int differs;
        int overwritten = 2;

        Constructors() {
            differs = 2;
        }

        Constructors(int unused) {
            differs = 3;
            overwritten = unused;
        }

        Constructors(String delegates) {
            this();
        }
    }

    @Test
    void everyConstructorThatCallsSuperMustAgreeAndTheFirstAssignmentIsTheInitialisers() throws Exception {
        assertThat(value(Constructors.class, "everywhere")).isEqualTo(1);
        assertThat(FieldInitialisers.of(Constructors.class.getDeclaredField("differs")))
                .isNull();
        // The initialiser's value, as documented, even where a constructor body assigns again.
        assertThat(value(Constructors.class, "overwritten")).isEqualTo(2);
    }

    private static Object value(Class<?> type, String field) throws NoSuchFieldException {
        FieldInitialisers.Initial initial = FieldInitialisers.of(type.getDeclaredField(field));
        assertThat(initial).as(type.getSimpleName() + "." + field).isNotNull();
        return initial.value().get();
    }
}
