package io.veles.velesimport;

import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;
import net.razorvine.pickle.objects.ClassDict;

import java.io.EOFException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pyrolite's unpickler with the opcodes that name, call or size things taken over: names resolve
 * through {@link PickleGlobals} only (never Pyrolite's global constructor table), calls of unknown
 * functions are refused, BUILD fills only our own stand-ins and dictionaries, and a declared length
 * is read a chunk at a time, so that a lie runs into the end of the file instead of allocating it.
 * Dictionary keys and set elements are checked before Java hashes them ({@link DictKeys}), numbers
 * in text are capped as LONG4 is, and a file that ends early says it is truncated.
 */
final class VelesUnpickler extends Unpickler {
    private static final int CHUNK = 1 << 20;
    /** The longest string or bytes a pickle may declare: a Java array's limit, and half the heap. */
    private static final long MAX_LENGTH =
            Math.min(Integer.MAX_VALUE - 16, Runtime.getRuntime().maxMemory() / 2);
    /** The longest number in text (INT, LONG, FLOAT): LONG4's limit of 64 KiB. */
    private static final int MAX_NUMBER_TEXT = 1 << 16;
    /** The longest module or global name in text (GLOBAL, INST): Python's are far shorter. */
    private static final int MAX_NAME_TEXT = 4096;

    @Override
    protected Object dispatch(short key) throws IOException {
        switch (key) {
            case Opcodes.GLOBAL: {
                String module = readLine(MAX_NAME_TEXT, "a module name");
                String name = readLine(MAX_NAME_TEXT, "a global's name");
                stack.add(PickleGlobals.resolve(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.STACK_GLOBAL: {
                Object name = stack.pop();
                Object module = stack.pop();
                stack.add(PickleGlobals.resolve(text(module, "a module name"), text(name, "a global's name")));
                return NO_RETURN_VALUE;
            }
            case Opcodes.INST: {
                String module = readLine(MAX_NAME_TEXT, "a module name");
                String name = readLine(MAX_NAME_TEXT, "a class name");
                stack.pop_all_since_marker(); // an old-style instance's constructor arguments: not run
                stack.add(new PickledObject(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.GET: { // as Pyrolite's, the index's line bounded
                int index = memoIndex(readLine(MAX_NUMBER_TEXT, "a memo index"));
                if (!memo.containsKey(index)) {
                    throw new PickleException("invalid memo key");
                }
                stack.add(memo.get(index));
                return NO_RETURN_VALUE;
            }
            case Opcodes.PUT:
                memo.put(memoIndex(readLine(MAX_NUMBER_TEXT, "a memo index")), stack.peek());
                return NO_RETURN_VALUE;
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
            case Opcodes.SHORT_BINSTRING:
            case Opcodes.SHORT_BINUNICODE:
            case Opcodes.SHORT_BINBYTES:
            case Opcodes.LONG1: {
                byte[] bytes = readDeclared(readShortLength());
                stack.add(
                        key == Opcodes.SHORT_BINSTRING
                                ? PickleUtils.rawStringFromBytes(bytes)
                                : key == Opcodes.SHORT_BINUNICODE
                                        ? new String(bytes, StandardCharsets.UTF_8)
                                        : key == Opcodes.SHORT_BINBYTES ? bytes : PickleUtils.decode_long(bytes));
                return NO_RETURN_VALUE;
            }
            case Opcodes.INT: {
                String text = readNumberLine();
                stack.add(text.equals("00") ? Boolean.FALSE : text.equals("01") ? Boolean.TRUE : integer(text));
                return NO_RETURN_VALUE;
            }
            case Opcodes.LONG: {
                String text = readNumberLine();
                String digits = text.endsWith("L") ? text.substring(0, text.length() - 1) : text;
                stack.add(PickleUtils.optimizeBigint(new BigInteger(digits)));
                return NO_RETURN_VALUE;
            }
            case Opcodes.FLOAT:
                stack.add(Double.parseDouble(readNumberLine()));
                return NO_RETURN_VALUE;
            case Opcodes.DICT: {
                List<Object> items = stack.pop_all_since_marker();
                Map<Object, Object> dict = new HashMap<>();
                setItems(dict, items);
                stack.add(dict);
                return NO_RETURN_VALUE;
            }
            case Opcodes.SETITEM: {
                Object value = stack.pop();
                Object item = stack.pop();
                setItems(stack.peek(), Arrays.asList(item, value));
                return NO_RETURN_VALUE;
            }
            case Opcodes.SETITEMS: {
                List<Object> items = stack.pop_all_since_marker();
                setItems(stack.peek(), items);
                return NO_RETURN_VALUE;
            }
            case Opcodes.ADDITEMS: {
                List<Object> items = stack.pop_all_since_marker();
                addItems(stack.peek(), items);
                return NO_RETURN_VALUE;
            }
            case Opcodes.FROZENSET:
                stack.add(new DictKeys.FrozenSet(stack.pop_all_since_marker()));
                return NO_RETURN_VALUE;
            case Opcodes.LONG4: {
                long length = PickleUtils.bytes_to_uint(PickleUtils.readbytes(input, 4), 0);
                if (length > MAX_NUMBER_TEXT) { // a 150 000-digit integer is not a VELES setting
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

    /** SETITEM(S), DICT: {@code items} are key, value, key, value... Keys are checked before Java hashes them. */
    @SuppressWarnings("unchecked")
    private static void setItems(Object target, List<Object> items) {
        if (!(target instanceof Map)) {
            throw new PickleRefusedException(
                    "the pickle sets items of " + describe(target) + ", which is not a dict: refused");
        }
        if (items.size() % 2 != 0) {
            throw new PickleRefusedException("the pickle sets a dict key without a value: refused");
        }
        for (int i = 0; i < items.size(); i += 2) {
            Object item = DictKeys.checked(items.get(i), "a dict key");
            if (target instanceof ClassDict && !(item instanceof String)) {
                // an object's items name its attributes: ArrayFinder sorts and joins them as strings
                throw new PickleRefusedException("the pickle gives a " + describe(target) + " object the key "
                        + describe(item) + ", not a string: refused");
            }
            ((Map<Object, Object>) target).put(item, items.get(i + 1));
        }
    }

    /** ADDITEMS: elements added to a set, checked before Java hashes them. */
    @SuppressWarnings("unchecked")
    private static void addItems(Object target, List<Object> items) {
        if (!(target instanceof Set)) {
            throw new PickleRefusedException("the pickle adds set elements to " + describe(target) + ": refused");
        }
        ((Set<Object>) target).addAll(DictKeys.checked(items, "a set element"));
    }

    /** A name the pickle gives as a string; anything else (a list's text could take forever to make) is refused. */
    private static String text(Object value, String what) {
        if (value instanceof String) {
            return (String) value;
        }
        throw new PickleRefusedException("the pickle gives " + describe(value) + " as " + what + ": refused");
    }

    /** INT's text: an int when it fits, as Pyrolite gives it, else a long or a BigInteger. */
    private static Object integer(String text) {
        BigInteger value = new BigInteger(text);
        return value.bitLength() < 32 ? (Object) value.intValue() : PickleUtils.optimizeBigint(value);
    }

    /**
     * The line of a number in text (INT, LONG, FLOAT), without its newline: capped as LONG4 is,
     * for the line would otherwise grow without end and BigInteger parses it in quadratic time.
     */
    private String readNumberLine() throws IOException {
        return readLine(MAX_NUMBER_TEXT, "a number");
    }

    /**
     * A line of the pickle (latin-1, as Pyrolite reads it), refused past {@code most} characters:
     * Pyrolite's own readline has no bound, and a 20 KB compressed pickle named a global of 20 MB.
     */
    private String readLine(int most, String what) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = input.read(); c != '\n'; c = input.read()) {
            if (c < 0) {
                throw new EOFException("the pickle is truncated: it ends inside " + what);
            }
            if (line.length() == most) {
                throw new PickleRefusedException(
                        "the pickle writes " + what + " of more than " + most + " characters: refused");
            }
            line.append((char) c);
        }
        return line.toString();
    }

    private static int memoIndex(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new PickleException("invalid memo index: " + io.veles.internal.util.Printable.escapeAtMost(text, 40));
        }
    }

    /** The one-byte length of SHORT_BIN* and LONG1; Pyrolite would take the end of the file for -1. */
    private int readShortLength() throws IOException {
        int length = input.read();
        if (length < 0) {
            throw new EOFException("the pickle is truncated: it ends where a length was due");
        }
        return length;
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
                throw new EOFException(
                        "the pickle is truncated: it ends inside a string it declared of " + length + " bytes");
            }
            done += n;
        }
        return bytes;
    }

    /** A value's type, for messages: never its content, which a shared graph makes endless to print. */
    static String describe(Object value) {
        return value == null
                ? "None"
                : value instanceof ClassDict
                        ? io.veles.internal.util.Printable.escapeAtMost(((ClassDict) value).getClassName(), 200)
                        : value.getClass().getSimpleName();
    }
}
