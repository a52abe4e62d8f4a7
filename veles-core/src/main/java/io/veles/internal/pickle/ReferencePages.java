package io.veles.internal.pickle;

import java.util.Arrays;

/**
 * An array of references stored in pages of 8,192, so that no page is ever a G1 humongous object.
 *
 * <p>Why: G1 allocates an array larger than half a region (512 KiB on heaps up to 2 GiB) straight
 * in the old generation. Every reference then stored into it takes the collector's slow
 * write-barrier path, and its refinement threads rescan the card. Numbering 1,000,000 written
 * objects in one 8 MiB array took 989 ns per object under G1 against 22.6 ns under the parallel
 * collector (100,000 objects: 16 ns). Pages of 32 KiB are allocated young, where the barrier
 * returns at its first test.
 */
final class ReferencePages {
    private static final int PAGE_BITS = 13;
    static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int IN_PAGE = PAGE_SIZE - 1;

    private Object[][] pages;
    private int capacity;

    /** Room for {@code capacity} references, all null; grows by {@link #ensureCapacity}. */
    ReferencePages(int capacity) {
        pages = new Object[0][];
        ensureCapacity(capacity);
    }

    Object get(int index) {
        return pages[index >>> PAGE_BITS][index & IN_PAGE];
    }

    void set(int index, Object reference) {
        pages[index >>> PAGE_BITS][index & IN_PAGE] = reference;
    }

    int capacity() {
        return capacity;
    }

    /** Makes indexes below {@code wanted} valid; pages already there are kept, not copied. */
    void ensureCapacity(int wanted) {
        if (wanted <= capacity) {
            return;
        }
        if (wanted < PAGE_SIZE) {
            // One page smaller than a full one: a small table stays small.
            Object[] page = new Object[Math.max(wanted, Math.min(PAGE_SIZE, capacity * 2))];
            if (pages.length == 1) {
                System.arraycopy(pages[0], 0, page, 0, capacity);
            }
            pages = new Object[][] {page};
            capacity = page.length;
            return;
        }
        if (pages.length == 1 && capacity < PAGE_SIZE) {
            pages[0] = Arrays.copyOf(pages[0], PAGE_SIZE);
        }
        int pageCount = (int) (((long) wanted + IN_PAGE) >>> PAGE_BITS);
        int had = pages.length;
        pages = Arrays.copyOf(pages, pageCount);
        for (int i = had; i < pageCount; i++) {
            pages[i] = new Object[PAGE_SIZE];
        }
        capacity = pageCount << PAGE_BITS;
    }

    /** Sets the first {@code length} references back to null. */
    void clear(int length) {
        for (int page = 0; page < pages.length && (long) page << PAGE_BITS < length; page++) {
            Arrays.fill(pages[page], 0, Math.min(pages[page].length, length - (page << PAGE_BITS)), null);
        }
    }
}
