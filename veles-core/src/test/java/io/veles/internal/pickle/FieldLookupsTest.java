package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.testing.RoundTrip;
import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.List;

/**
 * The table slots of a unit's field values are read before any is written: which fields take
 * part, and that reading them early changes nothing a snapshot keeps (sharing, cycles, values of
 * every declared type), on a chain whose table of written objects outgrows a cache of 8 MiB.
 */
class FieldLookupsTest {
    static final class Fields extends Unit {
        int count = 3;
        Integer boxed = 7;
        DayOfWeek day = DayOfWeek.FRIDAY;
        Fields next;
        String name = "shared";
        String alias = name;
        Object anything = 12L;
        Object unitAsObject;
        Object nothing;
        final List<Object> list = new ArrayList<>();
        int[] numbers = {1, 2, 3};
        volatile String note = "read by reflection";

        Fields(Workflow workflow, String name) {
            super(workflow, name);
        }

        @Override
        public void run() {}
    }

    static final class Chain extends Workflow {
        Chain(int length) {
            super("chain");
            Fields previous = null;
            for (int i = 0; i < length; i++) {
                Fields unit = new Fields(this, "u" + i);
                unit.list.add(unit.numbers); // shared with a field
                unit.list.add(unit.list); // a cycle
                if (previous != null) {
                    previous.next = unit;
                    unit.unitAsObject = previous;
                    unit.anything = previous.list; // shared across units
                }
                previous = unit;
            }
        }
    }

    @Test
    void onlyObjectFieldsKryoNumbersByIdentityAndReadWithoutReflectionAreLookedUpEarly() {
        List<String> early = new ArrayList<>();
        for (FieldSlot slot : ClassSchema.of(Fields.class).earlyLookups) {
            early.add(slot.field.getName());
        }
        assertThat(early)
                .contains("name", "alias", "anything", "unitAsObject", "nothing", "list", "numbers")
                .doesNotContain("count", "boxed", "day", "next", "workflow", "note");
    }

    @Test
    void aChainLargerThanTheCacheComesBackWithEverySharedObjectShared() {
        int length = 100_000; // about 8 numbered objects a unit: 2 Mi slots, 16 MiB of table
        Chain restored = RoundTrip.copy(new Chain(length));
        List<Fields> units = new ArrayList<>();
        for (Unit unit : restored.units()) {
            if (unit instanceof Fields fields) {
                units.add(fields);
            }
        }
        assertThat(units).hasSize(length);
        Fields previous = null;
        for (int i = 0; i < length; i++) {
            Fields unit = units.get(i);
            assertThat(unit.name()).isEqualTo("u" + i);
            assertThat(unit.alias).isSameAs(unit.name);
            assertThat(unit.list.get(0)).isSameAs(unit.numbers);
            assertThat(unit.list.get(1)).isSameAs(unit.list);
            assertThat(unit.boxed).isEqualTo(7);
            assertThat(unit.day).isEqualTo(DayOfWeek.FRIDAY);
            assertThat(unit.nothing).isNull();
            assertThat(unit.note).isEqualTo("read by reflection");
            if (previous == null) {
                assertThat(unit.anything).isEqualTo(12L);
                assertThat(unit.unitAsObject).isNull();
            } else {
                assertThat(previous.next).isSameAs(unit);
                assertThat(unit.unitAsObject).isSameAs(previous);
                assertThat(unit.anything).isSameAs(previous.list);
            }
            previous = unit;
        }
    }
}
