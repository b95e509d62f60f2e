package dev.herald.serdes;

import java.util.Objects;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Lets Avro instantiate Herald's generated classes without the user setting
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES}.
 *
 * <p>Avro 1.12.2 checks every class it loads by name (records and enums when reading, and when a
 * generated builder fills in an enum or record default) against one JVM-wide predicate, and trusts
 * only java.lang/java.math by default; it has no per-reader setting. So this widens that global
 * predicate, once per package, by composing with whatever predicate is installed (keeping the
 * system-property and user settings, and the installed predicate's way of refusing).
 */
public final class AvroTrust {
    private AvroTrust() {
    }

    /**
     * Trusts the package of {@code type} (and its sub-packages, as SERIALIZABLE_PACKAGES does), or
     * just {@code type} when it is in the unnamed package. Idempotent and thread-safe.
     */
    public static void trustPackageOf(Class<?> type) {
        Objects.requireNonNull(type, "type");
        if (ClassSecurityValidator.getGlobal().isTrusted(type)) {
            return;
        }
        synchronized (AvroTrust.class) {
            ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
            if (current.isTrusted(type)) {
                return;
            }
            ClassSecurityValidator.setGlobal(new TrustingPackage(type, current));
        }
    }

    private static final class TrustingPackage implements ClassSecurityPredicate {
        private final String prefix;
        private final String exactName;
        private final ClassSecurityPredicate next;

        TrustingPackage(Class<?> type, ClassSecurityPredicate next) {
            String pkg = type.getPackageName();
            this.prefix = pkg.isEmpty() ? null : pkg + ".";
            this.exactName = type.getName();
            this.next = next;
        }

        @Override
        public boolean isTrusted(Class<?> clazz) {
            String name = clazz.getName();
            return (prefix != null ? name.startsWith(prefix) : name.equals(exactName)) || next.isTrusted(clazz);
        }

        @Override
        public void forbiddenClass(String className) {
            next.forbiddenClass(className);
        }

        @Override
        public String toString() {
            return "trust " + (prefix != null ? prefix + "*" : exactName) + " or " + next;
        }
    }
}
