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
 * @ArrayShape({"rows", "columns"})
 * float[] table;   // rows × columns
 * }</pre>
 * An annotation rather than a method, so that a snapshot's shapes are known without running any
 * of its code. A dimension can follow a field holding another object or unit: {@code "layer.inputs"}.
 * When the dimensions' product differs from the array's length, the array is exported flat.
 * <p>
 * A matrix kept as the transpose of the shape it should be exported with declares that shape and
 * {@link #storedTransposed}: a fully connected layer that computes {@code input · weights} stores
 * inputs × outputs, yet exports outputs × inputs, as PyTorch's {@code Linear.weight} holds it:
 * <pre>{@code
 * @ArrayShape(value = {"outputs", "inputs"}, storedTransposed = true)
 * float[] weights;   // stored inputs × outputs, exported outputs × inputs
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ArrayShape {
    /** The dimensions, outermost first: field names or numbers. */
    String[] value();

    /**
     * The array is stored row-major as the transpose of {@link #value} (two dimensions only;
     * otherwise it is exported flat). Export writes the values of shape {@code value}: npy says
     * {@code fortran_order}, which is the stored bytes as they are; safetensors, which has no
     * order flag, gets the transposed bytes.
     */
    boolean storedTransposed() default false;
}
