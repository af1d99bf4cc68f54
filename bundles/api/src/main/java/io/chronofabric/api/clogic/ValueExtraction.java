package io.chronofabric.api.clogic;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Locale;
import java.util.Objects;

/**
 * How a module takes a number from a packet's payload. Written in configuration as:
 * <ul>
 * <li>{@code number}: the payload is a {@link Number};</li>
 * <li>{@code sample}: the payload is a {@link Sample} (its {@code value});</li>
 * <li>{@code field:NAME}: the payload has a public no-argument method {@code NAME} (a record
 *     component, e.g. {@code field:power}) returning a number;</li>
 * <li>{@code auto} (the default): a number, a sample, or a record with a {@code value} component.</li>
 * </ul>
 *
 * <p>{@link #extract(Object)} is thread-safe and allocates nothing after the first payload of a
 * class; a payload it cannot read is refused with an {@link IllegalArgumentException} that names
 * the payload's class and what was expected, so that the module can count and log the skip.
 */
public final class ValueExtraction {

    /** The ways of taking a number. */
    public enum Kind {
        NUMBER, SAMPLE, FIELD, AUTO
    }

    /** The default extraction. */
    public static final ValueExtraction AUTO = new ValueExtraction(Kind.AUTO, "value");

    private static final MethodType TO_DOUBLE = MethodType.methodType(double.class, Object.class);
    private static final MethodType TO_OBJECT = MethodType.methodType(Object.class, Object.class);

    private final Kind kind;
    private final String field;
    // the accessor for the last payload class seen (immutable holder, replaced when the class changes)
    private volatile Accessor accessor;

    private ValueExtraction(Kind kind, String field) {
        this.kind = kind;
        this.field = field;
    }

    public static ValueExtraction number() {
        return new ValueExtraction(Kind.NUMBER, "");
    }

    public static ValueExtraction sample() {
        return new ValueExtraction(Kind.SAMPLE, "");
    }

    /**
     * @throws IllegalArgumentException if {@code name} is not a Java identifier
     */
    public static ValueExtraction field(String name) {
        if (name == null || name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))
                || !name.chars().allMatch(Character::isJavaIdentifierPart)) {
            throw new IllegalArgumentException("Field name '" + name + "' of a value extraction is not a Java identifier");
        }
        return new ValueExtraction(Kind.FIELD, name);
    }

    public static ValueExtraction auto() {
        return new ValueExtraction(Kind.AUTO, "value");
    }

    /**
     * Parses {@code number}, {@code sample}, {@code auto} or {@code field:NAME} (case-insensitive
     * kind; an empty text is {@code auto}).
     *
     * @throws IllegalArgumentException naming the text and the forms accepted
     */
    public static ValueExtraction parse(String text) {
        String t = Objects.requireNonNull(text, "value extraction").trim();
        if (t.isEmpty()) {
            return auto();
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("field:")) {
            return field(t.substring("field:".length()).trim());
        }
        switch (lower) {
            case "number":
                return number();
            case "sample":
                return sample();
            case "auto":
                return auto();
            default:
                throw new IllegalArgumentException("Value extraction '" + text + "' is not one of number, sample, auto, field:NAME");
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The field name for {@link Kind#FIELD}, {@code value} for {@link Kind#AUTO}, else empty. */
    public String fieldName() {
        return field;
    }

    /**
     * The number in {@code payload}.
     *
     * @throws IllegalArgumentException if the payload is not of the expected shape or its number is
     *         not finite; the message names the payload class and the extraction
     */
    public double extract(Object payload) {
        Objects.requireNonNull(payload, "payload");
        double v;
        switch (kind) {
            case NUMBER:
                if (!(payload instanceof Number n)) {
                    throw refused(payload, "is not a number");
                }
                v = n.doubleValue();
                break;
            case SAMPLE:
                if (!(payload instanceof Sample s)) {
                    throw refused(payload, "is not a " + Sample.class.getName());
                }
                return s.value();
            case FIELD:
                v = viaAccessor(payload);
                break;
            default:
                if (payload instanceof Number n) {
                    v = n.doubleValue();
                } else if (payload instanceof Sample s) {
                    return s.value();
                } else {
                    v = viaAccessor(payload);
                }
        }
        if (!Double.isFinite(v)) {
            throw refused(payload, "holds " + v + ", not a finite number");
        }
        return v;
    }

    /** The stream a payload belongs to: a {@link Sample}'s stream name, otherwise {@code channel}. */
    public static String streamName(Object payload, String channel) {
        return payload instanceof Sample s ? s.stream() : channel;
    }

    private double viaAccessor(Object payload) {
        Class<?> type = payload.getClass();
        Accessor a = accessor;
        if (a == null || a.type != type) {
            a = accessorFor(payload, type);
            accessor = a;
        }
        try {
            if (a.primitive != null) {
                return (double) a.primitive.invokeExact(payload);
            }
            Object value = (Object) a.boxed.invokeExact(payload);
            if (!(value instanceof Number n)) {
                throw refused(payload, "has " + field + "() = " + value + ", not a number");
            }
            return n.doubleValue();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalArgumentException("Reading " + field + "() of " + type.getName() + " failed: " + t, t);
        }
    }

    private Accessor accessorFor(Object payload, Class<?> type) {
        Method m;
        try {
            m = type.getMethod(field);
        } catch (NoSuchMethodException e) {
            throw refused(payload, "has no public method " + field + "()");
        }
        Class<?> r = m.getReturnType();
        boolean primitiveNumber = r == double.class || r == float.class || r == long.class || r == int.class
                || r == short.class || r == byte.class;
        if (!primitiveNumber && !Number.class.isAssignableFrom(r) && r != Object.class) {
            throw refused(payload, "has " + field + "() returning " + r.getName() + ", not a number");
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            m.setAccessible(true);
        }
        try {
            MethodHandle h = MethodHandles.lookup().unreflect(m);
            return primitiveNumber ? new Accessor(type, h.asType(TO_DOUBLE), null) : new Accessor(type, null, h.asType(TO_OBJECT));
        } catch (IllegalAccessException | RuntimeException e) {
            throw refused(payload, "has " + field + "() that cannot be called from here (" + e.getMessage() + ")");
        }
    }

    private IllegalArgumentException refused(Object payload, String why) {
        return new IllegalArgumentException("Payload of type " + payload.getClass().getName() + " " + why
                + " (value extraction '" + this + "')");
    }

    private record Accessor(Class<?> type, MethodHandle primitive, MethodHandle boxed) {
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueExtraction other && kind == other.kind && field.equals(other.field);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + field.hashCode();
    }

    /** The configuration form, e.g. {@code field:power}. */
    @Override
    public String toString() {
        return kind == Kind.FIELD ? "field:" + field : kind.name().toLowerCase(Locale.ROOT);
    }
}
