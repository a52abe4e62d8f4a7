package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** References in pages: every index keeps what was set there, through growth and clearing. */
class ReferencePagesTest {
    @Test
    void growingFromNothingKeepsEveryReferenceAcrossPageBoundaries() {
        ReferencePages pages = new ReferencePages(0);
        List<Object> expected = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        // Steps of odd sizes cross the one-small-page stage and several full pages.
        while (expected.size() < 5 * ReferencePages.PAGE_SIZE + 3) {
            int wanted = expected.size() + 1 + random.nextInt(3000);
            pages.ensureCapacity(wanted);
            assertThat(pages.capacity()).isGreaterThanOrEqualTo(wanted);
            while (expected.size() < wanted) {
                Object object = new Object();
                pages.set(expected.size(), object);
                expected.add(object);
            }
            for (int i = 0; i < expected.size(); i++) {
                if (pages.get(i) != expected.get(i)) {
                    assertThat(pages.get(i))
                            .as("index %d at capacity %d", i, pages.capacity())
                            .isSameAs(expected.get(i));
                }
            }
        }
        assertThat(pages.get(pages.capacity() - 1)).isNull();
    }

    @Test
    void aSmallTableIsOnePageOfItsOwnSize() {
        ReferencePages pages = new ReferencePages(64);
        assertThat(pages.capacity()).isEqualTo(64);
        pages.ensureCapacity(65);
        assertThat(pages.capacity()).isEqualTo(128); // doubled, not a full page at once
    }

    @Test
    void clearingSetsExactlyTheFirstReferencesBackToNull() {
        ReferencePages pages = new ReferencePages(3 * ReferencePages.PAGE_SIZE);
        for (int i = 0; i < pages.capacity(); i++) {
            pages.set(i, i);
        }
        int cleared = ReferencePages.PAGE_SIZE + 5;
        pages.clear(cleared);
        for (int i = 0; i < pages.capacity(); i++) {
            if ((pages.get(i) == null) != (i < cleared)) {
                assertThat(pages.get(i)).as("index %d", i).isEqualTo(i < cleared ? null : i);
            }
        }
    }

    @Test
    void clearingPartOfOneSmallPageLeavesTheRest() {
        ReferencePages pages = new ReferencePages(64);
        for (int i = 0; i < 64; i++) {
            pages.set(i, i);
        }
        pages.clear(10);
        assertThat(pages.get(9)).isNull();
        assertThat(pages.get(10)).isEqualTo(10);
        assertThat(pages.get(63)).isEqualTo(63);
    }

    @Test
    void anIndexBeyondTheCapacityFails() {
        ReferencePages pages = new ReferencePages(ReferencePages.PAGE_SIZE * 2);
        assertThatThrownBy(() -> pages.get(ReferencePages.PAGE_SIZE * 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
