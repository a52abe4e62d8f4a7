package io.veles.velesimport;

import io.veles.internal.util.Printable;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.objects.ClassDict;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a name in a pickle ({@code module.name}) becomes here. A few are modelled (NumPy's arrays,
 * dtypes and scalars, bytes, sets, ordered dicts); every other class becomes a plain dictionary
 * ({@link ClassDict}) of its saved attributes. No Python, and none of Pyrolite's own constructors,
 * ever runs. A pickle that calls (REDUCE) something not known to be a harmless constructor of
 * VELES, NumPy or Python's containers is refused: that is how {@code os.system} is smuggled in.
 */
final class PickleGlobals {
    /** Modules whose classes and constructors a VELES snapshot calls (REDUCE) legitimately. */
    private static final List<String> CALLABLE_MODULES = List.of(
            "veles.",
            "numpy.core.",
            "numpy._core.",
            "numpy.random.",
            "collections.",
            "datetime.",
            "decimal.",
            "array.");

    private static final Set<String> CALLABLE_NAMES = Set.of(
            "builtins.object",
            "__builtin__.object",
            "builtins.slice",
            "__builtin__.slice",
            "builtins.range",
            "__builtin__.xrange",
            "builtins.complex",
            "__builtin__.complex",
            "builtins.list",
            "builtins.dict",
            "builtins.tuple",
            "builtins.int",
            "builtins.float",
            "builtins.str",
            "__builtin__.list",
            "__builtin__.dict",
            "__builtin__.tuple",
            "__builtin__.int",
            "__builtin__.float",
            "__builtin__.long",
            "__builtin__.unicode",
            "numpy.dtype",
            "numpy.ndarray");

    private PickleGlobals() {}

    /** A name the pickle refers to; unknown ones are {@link ClassGlobal}s. */
    static IObjectConstructor resolve(String module, String name) {
        String full = module + "." + name;
        switch (full) {
            case "numpy.core.multiarray._reconstruct":
            case "numpy._core.multiarray._reconstruct":
                return args -> new NumpyArray();
            case "numpy.dtype": // a code that is no string is no type export writes: "object" says so
                return args ->
                        new NumpyDtype(args.length > 0 && args[0] instanceof String ? (String) args[0] : "object");
            case "numpy.core.multiarray.scalar":
            case "numpy._core.multiarray.scalar":
                return PickleGlobals::scalar;
            case "_codecs.encode":
                return args -> ((String) args[0])
                        .getBytes(args.length > 1 ? Charset.forName((String) args[1]) : StandardCharsets.UTF_8);
            case "builtins.bytearray":
            case "__builtin__.bytearray":
            case "builtins.bytes":
            case "__builtin__.bytes":
                return PickleGlobals::bytes;
            case "builtins.set":
            case "__builtin__.set":
                return args -> args.length == 0
                        ? new LinkedHashSet<>()
                        : new LinkedHashSet<>(DictKeys.checked((Collection<?>) args[0], "a set element"));
            case "builtins.frozenset":
            case "__builtin__.frozenset":
                return args -> new DictKeys.FrozenSet(args.length == 0 ? List.of() : (Collection<?>) args[0]);
            case "collections.OrderedDict":
                return PickleGlobals::orderedDict;
            case "copy_reg._reconstructor":
            case "copyreg._reconstructor":
                return PickleGlobals::reconstructor;
            default:
                return new ClassGlobal(
                        module,
                        name,
                        CALLABLE_NAMES.contains(full)
                                || CALLABLE_MODULES.stream().anyMatch(full::startsWith));
        }
    }

    /**
     * A class or function the pickle names. Instantiated (NEWOBJ, OBJ, INST, _reconstructor), it
     * becomes an empty {@link ClassDict} that BUILD fills. Called (REDUCE), it becomes a ClassDict
     * holding the call's arguments under {@code __args__} when {@code callable}, else it is refused.
     */
    record ClassGlobal(String module, String name, boolean callable) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            return new PickledObject(module, name);
        }

        Object call(Object[] args) {
            if (!callable) {
                throw new PickleRefusedException(
                        "the pickle calls " + Printable.escapeAtMost(module + "." + name, 200)
                                + ", which is not a constructor of VELES, NumPy or Python's containers: refused, nothing was run");
            }
            ClassDict dict = new PickledObject(module, name);
            dict.put("__args__", Arrays.asList(args));
            return dict;
        }
    }

    private static Object reconstructor(Object[] args) {
        if (args.length > 0 && args[0] instanceof ClassGlobal) {
            return ((ClassGlobal) args[0]).construct(new Object[0]);
        }
        throw new PickleRefusedException("the pickle reconstructs "
                + (args.length > 0 ? VelesUnpickler.describe(args[0]) : "nothing")
                + " through copyreg: refused, nothing was run");
    }

    private static Object bytes(Object[] args) {
        if (args.length == 0) {
            return new byte[0];
        }
        if (args[0] instanceof byte[]) {
            return args[0];
        }
        if (args[0] instanceof String) {
            return ((String) args[0])
                    .getBytes(args.length > 1 ? Charset.forName((String) args[1]) : StandardCharsets.ISO_8859_1);
        }
        if (args[0] instanceof Collection) {
            Collection<?> values = (Collection<?>) args[0];
            byte[] out = new byte[values.size()];
            int i = 0;
            for (Object value : values) {
                out[i++] = ((Number) value).byteValue();
            }
            return out;
        }
        throw new PickleRefusedException(
                "the pickle builds bytes from " + args[0].getClass().getSimpleName());
    }

    private static Object orderedDict(Object[] args) {
        Map<Object, Object> map = new LinkedHashMap<>();
        if (args.length > 0 && args[0] instanceof Collection) {
            for (Object pair : (Collection<?>) args[0]) {
                List<?> kv = pair instanceof Object[] ? Arrays.asList((Object[]) pair) : (List<?>) pair;
                map.put(DictKeys.checked(kv.get(0), "a dict key"), kv.get(1));
            }
        }
        return map;
    }

    /** {@code numpy.core.multiarray.scalar(dtype, bytes)}: a NumPy scalar as a Java number. */
    private static Object scalar(Object[] args) {
        if (args.length < 2 || !(args[0] instanceof NumpyDtype) || !(args[1] instanceof byte[])) {
            return Arrays.asList(args);
        }
        NumpyDtype dtype = (NumpyDtype) args[0];
        ByteBuffer bytes = ByteBuffer.wrap((byte[]) args[1])
                .order(dtype.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        io.veles.snapshot.export.Dtype type = dtype.exported();
        if (type == null || bytes.remaining() < type.width()) {
            return Arrays.asList(args);
        }
        switch (type) {
            case F64:
                return bytes.getDouble();
            case F32:
                return bytes.getFloat();
            case I64:
            case U64:
                return bytes.getLong();
            case I32:
                return bytes.getInt();
            case U32:
                return bytes.getInt() & 0xffffffffL;
            case I16:
                return bytes.getShort();
            case U16:
                return bytes.getShort() & 0xffff;
            case I8:
                return bytes.get();
            case U8:
                return bytes.get() & 0xff;
            case BOOL:
                return bytes.get() != 0;
            default:
                return Arrays.asList(args);
        }
    }
}
