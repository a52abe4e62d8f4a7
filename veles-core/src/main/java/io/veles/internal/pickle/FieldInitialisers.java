package io.veles.internal.pickle;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The values that field initialisers give, read from the class file: a restore makes objects
 * without running constructors, so a field added since the snapshot would otherwise hold only
 * Java's default. No code of the class runs, and none is loaded.
 *
 * <p>javac compiles {@code int limit = 5;} into each constructor that calls {@code super(...)},
 * right after that call, as {@code this.limit = 5}. A field's initial value is known when, in
 * every such constructor, its first assignment is always reached (no branch, return or
 * exception handler can skip it) and assigns one of:
 * <ul>
 *   <li>a constant: a number, char, boolean, string or null literal, or a constant expression
 *       ({@code 60 * 60}), boxed or not;</li>
 *   <li>a new empty JDK collection ({@code new ArrayList<>()} and the like from
 *       {@link #CONTAINERS}): each restored object gets its own;</li>
 *   <li>a new primitive array of constant length ({@code new float[64]}).</li>
 * </ul>
 * Anything else (a method call, a constructor with arguments, a parameter) is not computed: the
 * field keeps Java's default.
 */
final class FieldInitialisers {
    /** The no-argument JDK containers whose construction runs no code of the application. */
    static final Set<String> CONTAINERS = Set.of(
            "java/util/ArrayList",
            "java/util/LinkedList",
            "java/util/ArrayDeque",
            "java/util/HashMap",
            "java/util/LinkedHashMap",
            "java/util/TreeMap",
            "java/util/HashSet",
            "java/util/LinkedHashSet",
            "java/util/TreeSet",
            "java/util/concurrent/ConcurrentHashMap",
            "java/util/concurrent/CopyOnWriteArrayList",
            "java/lang/StringBuilder");

    /** How a field is initialised: a fresh value for each object, and how a report shows it. */
    record Initial(String describe, Supplier<Object> value) {}

    private static final ClassValue<Map<String, Initial>> CACHE = new ClassValue<>() {
        @Override
        protected Map<String, Initial> computeValue(Class<?> type) {
            return read(type);
        }
    };

    private FieldInitialisers() {}

    /** How {@code field}'s initialiser initialises it, or null when that cannot be told without running code. */
    static Initial of(Field field) {
        return CACHE.get(field.getDeclaringClass()).get(field.getName());
    }

    private static Map<String, Initial> read(Class<?> type) {
        String resource = type.getName().replace('.', '/') + ".class";
        ClassLoader loader = type.getClassLoader() != null ? type.getClassLoader() : ClassLoader.getSystemClassLoader();
        ClassNode node = new ClassNode();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return Map.of();
            }
            new ClassReader(in).accept(node, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        } catch (IOException | RuntimeException unreadable) {
            return Map.of(); // a class file ASM cannot read: no initial values, as if none were constant
        }
        Map<String, Class<?>> fieldTypes = new HashMap<>();
        for (Field field : type.getDeclaredFields()) {
            fieldTypes.put(field.getName(), field.getType());
        }
        Map<String, Initial> common = null;
        for (MethodNode method : node.methods) {
            if (!method.name.equals("<init>")) {
                continue;
            }
            Map<String, Initial> found = fromConstructor(node, method, fieldTypes);
            if (found == null) {
                continue; // delegates to this(...), whose constructor holds the initialisers
            }
            if (common == null) {
                common = found;
            } else {
                common.entrySet()
                        .removeIf(entry -> !Objects.equals(
                                describeOf(found.get(entry.getKey())),
                                entry.getValue().describe()));
            }
        }
        return common == null ? Map.of() : Map.copyOf(common);
    }

    private static String describeOf(Initial initial) {
        return initial == null ? null : initial.describe();
    }

    /** The fields this constructor surely assigns a known value first; null if it calls this(...). */
    private static Map<String, Initial> fromConstructor(
            ClassNode owner, MethodNode method, Map<String, Class<?>> fieldTypes) {
        AbstractInsnNode[] code = method.instructions.toArray();
        int start = constructorCall(owner, code);
        if (start < 0 || ((MethodInsnNode) code[start]).owner.equals(owner.name)) {
            return null;
        }
        Map<String, Initial> found = new HashMap<>();
        Set<String> assigned = new java.util.HashSet<>();
        for (int i = start + 1; i < code.length; i++) {
            if (code[i].getOpcode() == Opcodes.PUTFIELD && ((FieldInsnNode) code[i]).owner.equals(owner.name)) {
                FieldInsnNode put = (FieldInsnNode) code[i];
                Class<?> fieldType = fieldTypes.get(put.name);
                if (assigned.add(put.name) && fieldType != null && alwaysReached(method, code, start, i)) {
                    Initial initial = assignedValue(code, i, fieldType);
                    if (initial != null) {
                        found.put(put.name, initial);
                    }
                }
            }
        }
        return found;
    }

    /** The index of the super(...) or this(...) call on the object under construction, or -1. */
    private static int constructorCall(ClassNode owner, AbstractInsnNode[] code) {
        Map<String, Integer> pendingNew = new HashMap<>();
        for (int i = 0; i < code.length; i++) {
            if (code[i].getOpcode() == Opcodes.NEW) {
                pendingNew.merge(((TypeInsnNode) code[i]).desc, 1, Integer::sum);
            } else if (code[i].getOpcode() == Opcodes.INVOKESPECIAL
                    && ((MethodInsnNode) code[i]).name.equals("<init>")) {
                String target = ((MethodInsnNode) code[i]).owner;
                int pending = pendingNew.getOrDefault(target, 0);
                if (pending > 0) {
                    pendingNew.put(target, pending - 1); // an argument being built, not our object
                } else if (target.equals(owner.superName) || target.equals(owner.name)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** True if nothing between the constructor call and {@code put} can skip it. */
    private static boolean alwaysReached(MethodNode method, AbstractInsnNode[] code, int start, int put) {
        for (TryCatchBlockNode block : method.tryCatchBlocks) {
            if (indexOf(code, block.start) < put && indexOf(code, block.handler) > start) {
                return false;
            }
        }
        for (int i = start + 1; i < put; i++) {
            AbstractInsnNode insn = code[i];
            int opcode = insn.getOpcode();
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                return false;
            }
            List<LabelNode> targets = insn instanceof JumpInsnNode
                    ? List.of(((JumpInsnNode) insn).label)
                    : insn instanceof TableSwitchInsnNode
                            ? withDefault(((TableSwitchInsnNode) insn).labels, ((TableSwitchInsnNode) insn).dflt)
                            : insn instanceof LookupSwitchInsnNode
                                    ? withDefault(
                                            ((LookupSwitchInsnNode) insn).labels, ((LookupSwitchInsnNode) insn).dflt)
                                    : List.of();
            for (LabelNode target : targets) {
                if (indexOf(code, target) > put - 1 - valueLength(code, put)) {
                    return false; // a branch that lands inside or after the assignment skips its start
                }
            }
        }
        return true;
    }

    private static List<LabelNode> withDefault(List<LabelNode> labels, LabelNode dflt) {
        List<LabelNode> all = new java.util.ArrayList<>(labels);
        all.add(dflt);
        return all;
    }

    /** Instructions from "this" to the PUTFIELD, both excluded: how far back the assignment starts. */
    private static int valueLength(AbstractInsnNode[] code, int put) {
        int length = 0;
        for (int i = put - 1; i >= 0; i--) {
            if (code[i] instanceof VarInsnNode
                    && code[i].getOpcode() == Opcodes.ALOAD
                    && ((VarInsnNode) code[i]).var == 0) {
                return length;
            }
            length++;
        }
        return length;
    }

    private static int indexOf(AbstractInsnNode[] code, AbstractInsnNode node) {
        for (int i = 0; i < code.length; i++) {
            if (code[i] == node) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether {@code call} boxes its one primitive argument: Integer.valueOf(int) and its kind,
     * not String.valueOf(int), which makes a String.
     */
    private static boolean isBoxing(MethodInsnNode call) {
        Type[] arguments = Type.getArgumentTypes(call.desc);
        if (!call.owner.startsWith("java/lang/")
                || !call.name.equals("valueOf")
                || arguments.length != 1
                || arguments[0].getSort() == Type.VOID
                || arguments[0].getSort() > Type.DOUBLE) {
            return false;
        }
        Class<?> box = io.veles.internal.util.Primitives.box(primitive(arguments[0]));
        return Type.getReturnType(call.desc).getDescriptor().equals(Type.getDescriptor(box));
    }

    /** The value the instructions right before {@code put} assign, if they are "this, value" and nothing else. */
    private static Initial assignedValue(AbstractInsnNode[] code, int put, Class<?> fieldType) {
        List<AbstractInsnNode> value = new java.util.ArrayList<>();
        int i = put - 1;
        for (; i >= 0 && !(code[i].getOpcode() == Opcodes.ALOAD && ((VarInsnNode) code[i]).var == 0); i--) {
            if (code[i].getOpcode() >= 0) {
                value.add(0, code[i]); // labels and other pseudo-instructions have opcode -1
            }
            if (value.size() > 4) {
                return null;
            }
        }
        if (i < 0) {
            return null;
        }
        if (value.size() == 1) {
            Object constant = constant(value.get(0));
            return constant == NOT_CONSTANT ? null : constantOf(constant, fieldType);
        }
        if (value.size() == 2 && value.get(1).getOpcode() == Opcodes.INVOKESTATIC) {
            MethodInsnNode call = (MethodInsnNode) value.get(1);
            Object constant = constant(value.get(0));
            if (!isBoxing(call) || constant == NOT_CONSTANT || constant == null) {
                return null;
            }
            Initial boxed = constantOf(constant, primitive(Type.getArgumentTypes(call.desc)[0]));
            return boxed != null
                            && io.veles.internal.util.Primitives.box(fieldType)
                                    .isInstance(boxed.value().get())
                    ? boxed
                    : null;
        }
        if (value.size() == 2
                && value.get(1).getOpcode() == Opcodes.NEWARRAY
                && fieldType.isArray()
                && fieldType.getComponentType().isPrimitive()) {
            Object length = constant(value.get(0));
            if (!(length instanceof Integer) || (Integer) length < 0) {
                return null;
            }
            int n = (Integer) length;
            Class<?> component = fieldType.getComponentType();
            return new Initial("new " + component.getName() + "[" + n + "]", () -> Array.newInstance(component, n));
        }
        if (value.size() == 3
                && value.get(0).getOpcode() == Opcodes.NEW
                && value.get(1).getOpcode() == Opcodes.DUP
                && value.get(2).getOpcode() == Opcodes.INVOKESPECIAL) {
            String created = ((TypeInsnNode) value.get(0)).desc;
            MethodInsnNode init = (MethodInsnNode) value.get(2);
            if (!CONTAINERS.contains(created) || !init.owner.equals(created) || !init.desc.equals("()V")) {
                return null;
            }
            Class<?> container;
            try {
                container = Class.forName(created.replace('/', '.'));
            } catch (ClassNotFoundException e) {
                return null;
            }
            if (!fieldType.isAssignableFrom(container)) {
                return null;
            }
            return new Initial("new " + container.getSimpleName() + "()", () -> newContainer(container));
        }
        return null;
    }

    private static Class<?> primitive(Type type) {
        switch (type.getSort()) {
            case Type.BOOLEAN:
                return boolean.class;
            case Type.CHAR:
                return char.class;
            case Type.BYTE:
                return byte.class;
            case Type.SHORT:
                return short.class;
            case Type.INT:
                return int.class;
            case Type.LONG:
                return long.class;
            case Type.FLOAT:
                return float.class;
            default:
                return double.class;
        }
    }

    private static Object newContainer(Class<?> container) {
        try {
            return container.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a " + container.getName(), e);
        }
    }

    private static final Object NOT_CONSTANT = new Object();

    /** The constant an instruction pushes, null for null, or {@link #NOT_CONSTANT}. */
    private static Object constant(AbstractInsnNode insn) {
        int opcode = insn.getOpcode();
        if (opcode == Opcodes.ACONST_NULL) return null;
        if (opcode >= Opcodes.ICONST_M1 && opcode <= Opcodes.ICONST_5) return opcode - Opcodes.ICONST_0;
        if (opcode == Opcodes.LCONST_0 || opcode == Opcodes.LCONST_1) return (long) (opcode - Opcodes.LCONST_0);
        if (opcode >= Opcodes.FCONST_0 && opcode <= Opcodes.FCONST_2) return (float) (opcode - Opcodes.FCONST_0);
        if (opcode == Opcodes.DCONST_0 || opcode == Opcodes.DCONST_1) return (double) (opcode - Opcodes.DCONST_0);
        if (opcode == Opcodes.BIPUSH || opcode == Opcodes.SIPUSH) return ((IntInsnNode) insn).operand;
        if (opcode == Opcodes.LDC) {
            Object value = ((LdcInsnNode) insn).cst;
            if (value instanceof Number || value instanceof String) {
                return value;
            }
        }
        return NOT_CONSTANT;
    }

    /** A constant as the field's type holds it (the JVM pushes booleans, chars, bytes and shorts as ints). */
    private static Initial constantOf(Object constant, Class<?> fieldType) {
        Object value;
        if (constant == null) {
            if (fieldType.isPrimitive()) {
                return null;
            }
            value = null;
        } else if (fieldType == boolean.class || fieldType == Boolean.class) {
            value = ((Integer) constant) != 0;
        } else if (fieldType == char.class || fieldType == Character.class) {
            value = (char) ((Integer) constant).intValue();
        } else if (fieldType == byte.class || fieldType == Byte.class) {
            value = ((Integer) constant).byteValue();
        } else if (fieldType == short.class || fieldType == Short.class) {
            value = ((Integer) constant).shortValue();
        } else {
            value = constant;
        }
        if (value != null && !io.veles.internal.util.Primitives.box(fieldType).isInstance(value)) {
            return null; // e.g. a constant stored through a wider declared type we do not model
        }
        Object fixed = value;
        return new Initial(
                value instanceof String
                        ? '"' + (String) value + '"'
                        : value instanceof Character ? "'" + value + "'" : String.valueOf(value),
                () -> fixed);
    }
}
