package io.veles.internal.pickle;

import io.veles.workflow.RemovedUnit;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.HashMap;
import java.util.Map;

/**
 * Classes that stand in for unit classes the code no longer has: each is named like the removed
 * class and extends {@link RemovedUnit}, defined in a class loader of its own for one restore.
 * Only the manifest's unit classes get one; a missing class of any other object is refused.
 */
final class RemovedUnitClasses extends ClassLoader {
    private final Map<String, Class<?>> defined = new HashMap<>();

    RemovedUnitClasses(ClassLoader parent) {
        super(parent);
    }

    /** The stand-in for removed unit class {@code name}. */
    synchronized Class<?> standIn(String name) {
        return defined.computeIfAbsent(name, this::define);
    }

    private Class<?> define(String name) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(
                Opcodes.V17,
                Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC,
                name.replace('.', '/'),
                null,
                Type.getInternalName(RemovedUnit.class),
                null);
        writer.visitEnd(); // no constructor, no fields: instances are made without one and hold Unit's state
        byte[] bytes = writer.toByteArray();
        return defineClass(name, bytes, 0, bytes.length);
    }
}
