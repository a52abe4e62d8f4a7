package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import io.veles.workflow.Unit;
import io.veles.workflow.Workflow;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A writer's unit numbers: each unit gets one number, in the order first met, whatever stamp
 * another table (another snapshot, even one taken at the same time) or a forged value left on it.
 */
class UnitTableTest {
    static final class Plain extends Unit {
        Plain(Workflow workflow, int index) {
            super(workflow, "plain" + index);
        }

        @Override
        public void run() {}
    }

    private static final Field STAMP = stampField();

    private static Field stampField() {
        try {
            Field field = Unit.class.getDeclaredField("snapshotNumber_");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Unit> units(int count) {
        Workflow workflow = new Workflow("w");
        List<Unit> units = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            units.add(new Plain(workflow, i));
        }
        return units;
    }

    /** The numbers a table gives {@code order}'s references, in order: what a snapshot writes. */
    private static int[] numbering(UnitTable table, List<Unit> order) {
        int[] numbers = new int[order.size()];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = table.numberOf(order.get(i));
        }
        return numbers;
    }

    /** What a table with no stamps to go by would give: first met, first numbered. */
    private static int[] expected(List<Unit> order) {
        IdentityNumbers plain = new IdentityNumbers();
        int[] numbers = new int[order.size()];
        for (int i = 0; i < numbers.length; i++) {
            int number = plain.numberOf(order.get(i));
            numbers[i] = number >= 0 ? number : plain.add(order.get(i));
        }
        return numbers;
    }

    /** Each unit referenced several times, in a random order: as units link to one another. */
    private static List<Unit> references(List<Unit> units, Random random) {
        List<Unit> order = new ArrayList<>();
        for (int i = 0; i < units.size() * 5; i++) {
            order.add(units.get(random.nextInt(units.size())));
        }
        return order;
    }

    @Test
    void unitsReferencedAgainKeepTheNumberTheyWereFirstGiven() {
        List<Unit> units = units(1000);
        List<Unit> order = references(units, new Random(1));
        UnitTable table = new UnitTable();
        assertThat(numbering(table, order)).isEqualTo(expected(order));
        assertThat(table.units()).hasSize((int) order.stream().distinct().count());
    }

    @Test
    void aUnitNumberedCarriesTheTablesStamp() throws Exception {
        List<Unit> units = units(50);
        UnitTable table = new UnitTable();
        for (Unit unit : units) {
            int number = table.numberOf(unit);
            assertThat(STAMP.getLong(unit)).isEqualTo(((long) table.id << 32) | number);
        }
        // A unit the table never met, stamped with its id and a number already taken, gets a new one.
        Unit stranger = units(1).get(0);
        STAMP.setLong(stranger, ((long) table.id << 32) | 7);
        assertThat(table.numberOf(stranger)).isEqualTo(50);
        assertThat(table.numberOf(units.get(7))).isEqualTo(7);
    }

    @Test
    void tablesTakingTurnsOnTheSameUnitsAreNotMisledByEachOthersStamps() {
        List<Unit> units = units(500);
        Random random = new Random(2);
        List<Unit> first = references(units, random);
        List<Unit> second = references(units, random);
        UnitTable one = new UnitTable();
        UnitTable other = new UnitTable();
        int[] expectedFirst = expected(first);
        int[] expectedSecond = expected(second);
        // one reference each in turn: every unit's stamp is overwritten by the other table
        for (int i = 0; i < first.size(); i++) {
            assertThat(one.numberOf(first.get(i))).isEqualTo(expectedFirst[i]);
            assertThat(other.numberOf(second.get(i))).isEqualTo(expectedSecond[i]);
        }
    }

    @Test
    void aForgedStampWithTheTablesOwnIdDoesNotGiveAWrongNumber() throws Exception {
        List<Unit> units = units(300);
        Random random = new Random(3);
        List<Unit> order = references(units, random);
        UnitTable table = new UnitTable();
        int[] expected = expected(order);
        for (int i = 0; i < order.size(); i++) {
            // this table's id, with a number that is another unit's, out of range, or negative
            int forged = random.nextInt(3) == 0 ? -1 - random.nextInt(5) : random.nextInt(400);
            STAMP.setLong(order.get(i), ((long) table.id << 32) | (forged & 0xFFFFFFFFL));
            assertThat(table.numberOf(order.get(i))).as("reference %d", i).isEqualTo(expected[i]);
        }
    }

    @Test
    void snapshotsOfTheSameUnitsAtTheSameTimeNumberThemAsOneAloneWould() throws Exception {
        List<Unit> units = units(2000);
        List<List<Unit>> orders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            orders.add(references(units, new Random(10 + t)));
        }
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 20; round++) {
                List<Future<int[]>> numbered = new ArrayList<>();
                for (List<Unit> order : orders) {
                    Callable<int[]> numbering = () -> numbering(new UnitTable(), order);
                    numbered.add(threads.submit(numbering));
                }
                for (int t = 0; t < orders.size(); t++) {
                    assertThat(numbered.get(t).get()).isEqualTo(expected(orders.get(t)));
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
