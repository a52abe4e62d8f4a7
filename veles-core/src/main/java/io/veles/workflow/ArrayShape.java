package io.veles.workflow;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The true shape of a unit's numeric array field, stored flat and row-major (C order), for tools
 * that hand the array to others ({@code veles snapshot export}). Each dimension is either the name
 * of an {@code int} or {@code long} field of the same object, read from the snapshot, or a number:
 * <pre>{@code
 * @ArrayShape({"inputs", "outputs"})
 * float[] weights;   // inputs × outputs
 * }</pre>
 * An annotation rather than a method, so that a snapshot's shapes are known without running any
 * of its code. A dimension can follow a field holding another object or unit: {@code "layer.inputs"}. When the dimensions' product differs from the array's length, the array is
 * exported flat.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ArrayShape {
    /** The dimensions, outermost first: field names or numbers. */
    String[] value();
}
