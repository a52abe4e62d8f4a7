package io.veles.internal.pickle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/** The objects a restore has read, by id: many pages of them, a forged id, a reset. */
class ReadReferencesTest {
    @Test
    void idsAreGivenInOrderAndEachResolvesToItsObjectAcrossPages() {
        SnapshotKryo.UnitsByNumber references = new SnapshotKryo.UnitsByNumber(new AllowListClassResolver(null, false));
        List<Object> read = new ArrayList<>();
        for (int i = 0; i < 3 * ReferencePages.PAGE_SIZE + 17; i++) {
            assertThat(references.nextReadId(Object.class)).isEqualTo(i);
            Object object = new Object();
            references.setReadObject(i, object);
            read.add(object);
        }
        for (int i = 0; i < read.size(); i++) {
            if (references.getReadObject(Object.class, i) != read.get(i)) {
                assertThat(references.getReadObject(Object.class, i))
                        .as("id %d", i)
                        .isSameAs(read.get(i));
            }
        }
    }

    /** A corrupt payload's reference to an object not read yet fails as out of bounds, reported as corrupt. */
    @Test
    void anIdNotGivenYetIsOutOfBoundsEvenWhereThePageHasRoom() {
        SnapshotKryo.UnitsByNumber references = new SnapshotKryo.UnitsByNumber(new AllowListClassResolver(null, false));
        references.setReadObject(references.nextReadId(Object.class), "first");
        assertThatThrownBy(() -> references.getReadObject(Object.class, 1))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("1");
        assertThatThrownBy(() -> references.getReadObject(Object.class, -1))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> references.setReadObject(5, "forged")).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aResetForgetsEveryObjectAndStartsAgainFromZero() {
        SnapshotKryo.UnitsByNumber references = new SnapshotKryo.UnitsByNumber(new AllowListClassResolver(null, false));
        for (int i = 0; i < 100; i++) {
            references.setReadObject(references.nextReadId(Object.class), i);
        }
        references.reset();
        assertThatThrownBy(() -> references.getReadObject(Object.class, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(references.nextReadId(Object.class)).isZero();
        // cleared: numbered again, the slot hands out no object of the last read, and no null either
        assertThatThrownBy(() -> references.getReadObject(Object.class, 0))
                .isInstanceOf(io.veles.errors.CorruptSnapshotException.class)
                .hasMessageContaining("before it could be made");
    }
}
