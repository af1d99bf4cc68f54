package io.chronofabric.isolation;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.BitSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classes one class file refers to, read from its constant pool: class entries, and every
 * type named in a descriptor or generic signature (fields, methods, local variables, annotations
 * of any retention, lambdas). String literals are not type references and are left out.
 */
final class ClassReferences {

    /** A class type inside a descriptor or signature: {@code Lpkg/Name;} or {@code Lpkg/Name<...>;}. */
    private static final Pattern TYPE_IN_DESCRIPTOR = Pattern.compile("L([\\w$/]+)[;<]");

    private ClassReferences() {
    }

    /** Binary names (dotted, e.g. {@code java.util.List}) of the classes {@code classFile} refers to. */
    static Set<String> of(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("Not a class file (bad magic number)");
        }
        in.readUnsignedShort(); // minor
        in.readUnsignedShort(); // major
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        BitSet classNames = new BitSet(count);
        BitSet literals = new BitSet(count);
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF(); // CONSTANT_Utf8 (modified UTF-8, u2 length)
                case 7 -> classNames.set(in.readUnsignedShort()); // CONSTANT_Class
                case 8 -> literals.set(in.readUnsignedShort()); // CONSTANT_String
                case 16, 19, 20 -> in.readUnsignedShort(); // MethodType, Module, Package
                case 15 -> { // MethodHandle
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt(); // 4 bytes of indices or value
                case 5, 6 -> { // Long, Double: 8 bytes, two slots
                    in.readLong();
                    i++;
                }
                default -> throw new IOException("Unknown constant pool tag " + tag + " at entry " + i);
            }
        }
        Set<String> types = new TreeSet<>();
        for (int i = 1; i < count; i++) {
            String s = utf8[i];
            if (s == null) {
                continue;
            }
            if (classNames.get(i) && !s.startsWith("[")) {
                types.add(s.replace('/', '.'));
            } else if (!literals.get(i) || classNames.get(i)) {
                Matcher m = TYPE_IN_DESCRIPTOR.matcher(s);
                while (m.find()) {
                    types.add(m.group(1).replace('/', '.'));
                }
            }
        }
        return types;
    }

    /** The package of a binary class name; "" for the unnamed package. */
    static String packageOf(String binaryName) {
        int dot = binaryName.lastIndexOf('.');
        return dot < 0 ? "" : binaryName.substring(0, dot);
    }
}
