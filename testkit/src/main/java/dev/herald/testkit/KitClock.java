package dev.herald.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Where the clock of the kit {@link HeraldKitExtension} hands a test starts, as an ISO-8601 instant; on the test
 * method or its class (the method's wins). Without it the kit starts at {@link HeraldKit#DEFAULT_START}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@Inherited
public @interface KitClock {
    /** An ISO-8601 instant, e.g. {@code 2026-03-07T13:59:00Z}. */
    String value();
}
