package io.veles.velesimport;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;
import net.razorvine.pickle.objects.ClassDict;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Pyrolite's unpickler with the opcodes that name, call or size things taken over: names resolve
 * through {@link PickleGlobals} only (never Pyrolite's global constructor table), calls of unknown
 * functions are refused, BUILD fills only our own stand-ins and dictionaries, and a declared length
 * is read a chunk at a time, so that a lie runs into the end of the file instead of allocating it.
 */
final class VelesUnpickler extends Unpickler {
    private static final int CHUNK = 1 << 20;
    /** The longest string or bytes a pickle may declare: a Java array's limit, and half the heap. */
    private static final long MAX_LENGTH =
            Math.min(Integer.MAX_VALUE - 16, Runtime.getRuntime().maxMemory() / 2);

    @Override
    protected Object dispatch(short key) throws IOException {
        switch (key) {
            case Opcodes.GLOBAL: {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(PickleGlobals.resolve(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.STACK_GLOBAL: {
                Object name = stack.pop();
                Object module = stack.pop();
                stack.add(PickleGlobals.resolve(String.valueOf(module), String.valueOf(name)));
                return NO_RETURN_VALUE;
            }
            case Opcodes.INST: {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.pop_all_since_marker(); // an old-style instance's constructor arguments: not run
                stack.add(new PickledObject(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.OBJ: {
                List<Object> args = stack.pop_all_since_marker();
                stack.add(instantiate(args.isEmpty() ? null : args.get(0)));
                return NO_RETURN_VALUE;
            }
            case Opcodes.NEWOBJ: {
                stack.pop(); // the arguments of cls.__new__: not run
                stack.add(instantiate(stack.pop()));
                return NO_RETURN_VALUE;
            }
            case Opcodes.NEWOBJ_EX: {
                stack.pop();
                stack.pop();
                stack.add(instantiate(stack.pop()));
                return NO_RETURN_VALUE;
            }
            case Opcodes.REDUCE: {
                Object args = stack.pop();
                Object callable = stack.pop();
                stack.add(call(callable, args instanceof Object[] ? (Object[]) args : new Object[] {args}));
                return NO_RETURN_VALUE;
            }
            case Opcodes.BUILD: {
                Object state = stack.pop();
                build(stack.peek(), state);
                return NO_RETURN_VALUE;
            }
            case Opcodes.BINSTRING:
            case Opcodes.BINUNICODE:
            case Opcodes.BINBYTES: {
                long length = PickleUtils.bytes_to_uint(PickleUtils.readbytes(input, 4), 0);
                byte[] bytes = readDeclared(length);
                stack.add(
                        key == Opcodes.BINBYTES
                                ? bytes
                                : key == Opcodes.BINUNICODE
                                        ? new String(bytes, StandardCharsets.UTF_8)
                                        : PickleUtils.rawStringFromBytes(bytes));
                return NO_RETURN_VALUE;
            }
            case Opcodes.BINUNICODE8:
            case Opcodes.BINBYTES8:
            case Opcodes.BYTEARRAY8: {
                long length = PickleUtils.bytes_to_long(PickleUtils.readbytes(input, 8), 0);
                byte[] bytes = readDeclared(length);
                stack.add(key == Opcodes.BINUNICODE8 ? new String(bytes, StandardCharsets.UTF_8) : bytes);
                return NO_RETURN_VALUE;
            }
            case Opcodes.LONG4: {
                long length = PickleUtils.bytes_to_uint(PickleUtils.readbytes(input, 4), 0);
                if (length > 1 << 16) { // a 500 000-digit integer is not a VELES setting
                    throw new PickleRefusedException("the pickle declares an integer of " + length + " bytes: refused");
                }
                stack.add(PickleUtils.decode_long(readDeclared(length)));
                return NO_RETURN_VALUE;
            }
            case Opcodes.PERSID:
            case Opcodes.BINPERSID:
            case Opcodes.EXT1:
            case Opcodes.EXT2:
            case Opcodes.EXT4:
            case Opcodes.NEXT_BUFFER:
                throw new PickleRefusedException("the pickle uses opcode " + key
                        + " (persistent ids, extension registry or out-of-band buffers), which VELES never wrote");
            default:
                return super.dispatch(key);
        }
    }

    private static Object instantiate(Object type) {
        if (type instanceof PickleGlobals.ClassGlobal) {
            return ((PickleGlobals.ClassGlobal) type).construct(new Object[0]);
        }
        throw new PickleRefusedException(
                "the pickle instantiates " + describe(type) + ", which is not a class: refused");
    }

    private static Object call(Object callable, Object[] args) {
        if (callable instanceof PickleGlobals.ClassGlobal) {
            return ((PickleGlobals.ClassGlobal) callable).call(args);
        }
        if (callable instanceof IObjectConstructor) { // one of ours, from PickleGlobals
            return ((IObjectConstructor) callable).construct(args);
        }
        throw new PickleRefusedException("the pickle calls " + describe(callable) + ": refused");
    }

    /** BUILD: our stand-ins take their state; a dictionary takes a dict state (and slots); anything else is kept aside. */
    @SuppressWarnings("unchecked")
    private static void build(Object target, Object state) {
        if (target instanceof NumpyArray && state instanceof Object[]) {
            ((NumpyArray) target).__setstate__((Object[]) state);
        } else if (target instanceof NumpyDtype && state instanceof Object[]) {
            ((NumpyDtype) target).__setstate__((Object[]) state);
        } else if (target instanceof ClassDict) {
            ClassDict dict = (ClassDict) target;
            Object[] parts = state instanceof Object[] && ((Object[]) state).length == 2
                    ? (Object[]) state
                    : new Object[] {state};
            for (Object part : parts) {
                if (part instanceof Map) {
                    ((Map<Object, Object>) part).forEach((k, v) -> dict.put(String.valueOf(k), v));
                } else if (part != null) {
                    dict.put("__state__", part); // a custom __getstate__ that returned no dict
                }
            }
        } else if (target instanceof Map && state instanceof Map) {
            ((Map<Object, Object>) target).putAll((Map<Object, Object>) state);
        }
        // other targets (a set, a list) take no state in any pickle VELES wrote: ignored
    }

    /** Reads a declared length a chunk at a time: a length the file does not hold fails at its end, unallocated. */
    private byte[] readDeclared(long length) throws IOException {
        if (length < 0 || length > MAX_LENGTH) {
            throw new PickleRefusedException("the pickle declares a string of " + Long.toUnsignedString(length)
                    + " bytes, more than this JVM can hold: refused");
        }
        byte[] bytes = new byte[(int) Math.min(length, CHUNK)];
        int done = 0;
        while (done < length) {
            if (done == bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(length, (long) bytes.length * 2));
            }
            int n = input.read(bytes, done, bytes.length - done);
            if (n < 0) {
                throw new EOFException("the pickle ends inside a string it declared of " + length + " bytes");
            }
            done += n;
        }
        return bytes;
    }

    private static String describe(Object value) {
        return value == null
                ? "None"
                : value instanceof ClassDict
                        ? ((ClassDict) value).getClassName()
                        : value.getClass().getSimpleName();
    }
}
