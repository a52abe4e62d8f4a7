package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** The table of written objects: numbers by identity, in order, through growth and reuse. */
class IdentityNumbersTest {
    @Test
    void objectsAreNumberedInOrderByIdentityNotByEquality() {
        IdentityNumbers numbers = new IdentityNumbers();
        String first = new String("same");
        String second = new String("same"); // equal, with equal hash codes, but another object
        assertThat(numbers.numberOf(first)).isEqualTo(-1);
        assertThat(numbers.add(first)).isZero();
        assertThat(numbers.numberOf(second)).isEqualTo(-1);
        assertThat(numbers.add(second)).isEqualTo(1);
        assertThat(numbers.numberOf(first)).isZero();
        assertThat(numbers.numberOf(second)).isEqualTo(1);
        assertThat(numbers.size()).isEqualTo(2);
    }

    @Test
    void everyNumberSurvivesGrowingFarBeyondWhatWasExpected() {
        IdentityNumbers numbers = new IdentityNumbers();
        numbers.expect(10);
        List<Object> objects = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            Object object = new Object();
            objects.add(object);
            assertThat(numbers.numberOf(object)).isEqualTo(-1);
            assertThat(numbers.add(object)).isEqualTo(i);
        }
        for (int i = 0; i < objects.size(); i++) {
            if (numbers.numberOf(objects.get(i)) != i) {
                assertThat(numbers.numberOf(objects.get(i))).as("object %d", i).isEqualTo(i);
            }
        }
        assertThat(numbers.numberOf(new Object())).isEqualTo(-1);
    }

    @Test
    void anAddAfterAnotherObjectsMissedLookupFindsItsOwnSlot() {
        IdentityNumbers numbers = new IdentityNumbers();
        Object looked = new Object();
        Object added = new Object();
        assertThat(numbers.numberOf(looked)).isEqualTo(-1);
        numbers.add(added); // not the object just looked up: the remembered slot is not its own
        assertThat(numbers.numberOf(added)).isZero();
        assertThat(numbers.numberOf(looked)).isEqualTo(-1);
        assertThat(numbers.add(looked)).isEqualTo(1);
        assertThat(numbers.numberOf(looked)).isEqualTo(1);
    }

    @Test
    void prefetchingChangesNoNumberAndKeepsAMissedSlotForItsAdd() {
        IdentityNumbers numbers = new IdentityNumbers();
        Object known = new Object();
        numbers.add(known);
        Object looked = new Object();
        Object other = new Object();
        assertThat(numbers.numberOf(looked)).isEqualTo(-1);
        numbers.prefetch(looked); // between a missed lookup and its add, ending on another object
        numbers.prefetch(known);
        numbers.prefetch(other);
        assertThat(numbers.size()).isEqualTo(1);
        assertThat(numbers.add(looked)).isEqualTo(1);
        assertThat(numbers.numberOf(looked)).isEqualTo(1);
        assertThat(numbers.numberOf(known)).isZero();
        assertThat(numbers.numberOf(other)).isEqualTo(-1);
        assertThat(numbers.add(other)).isEqualTo(2);
    }

    @Test
    void aClearedTableForgetsEveryObjectAndNumbersFromZeroAgain() {
        IdentityNumbers numbers = new IdentityNumbers();
        numbers.expect(1000);
        List<Object> objects = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            objects.add(new Object());
            numbers.add(objects.get(i));
        }
        numbers.clear();
        assertThat(numbers.size()).isZero();
        for (Object object : objects) {
            assertThat(numbers.numberOf(object)).isEqualTo(-1);
        }
        assertThat(numbers.add(objects.get(999))).isZero();
        assertThat(numbers.numberOf(objects.get(999))).isZero();
    }
}
