package io.veles.pickle;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a field had before it was renamed, so that snapshots taken with the old name restore
 * into it: {@code @FormerName("lr") double learningRate;}. Where a superclass's field of the same
 * name was shadowed when the snapshot was taken, the name is matched to the field of the same
 * declaring class (or may be spelled {@code "com.example.Base#lr"}); a field claimed by two
 * fields is refused as ambiguous. When a new field reuses the old name, a snapshot in which no
 * other saved field goes to the renamed one (by its name now, or another former name) predates
 * the rename: the old name's value goes to the renamed field.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface FormerName {
    String[] value();
}
