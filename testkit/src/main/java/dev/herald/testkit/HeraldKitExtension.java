package dev.herald.testkit;

import java.lang.reflect.AnnotatedElement;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Hands each test a fresh {@link HeraldKit} as a parameter and closes it after the test:
 * {@code @ExtendWith(HeraldKitExtension.class)} on the class, then {@code void test(HeraldKit kit)}. A
 * {@code @BeforeEach} method that takes a kit gets the same one as the test. {@link KitClock} sets its start.
 */
public final class HeraldKitExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(HeraldKitExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == HeraldKit.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("a HeraldKit is one per test: take it in the test method or a "
                    + "@BeforeEach method, not in a constructor or @BeforeAll");
        }
        return context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(Kit.class, k -> new Kit(HeraldKit.start(start(context))), Kit.class)
                .kit();
    }

    private static Instant start(ExtensionContext context) {
        Optional<KitClock> clock = context.getTestMethod().flatMap(m -> find(m))
                .or(() -> context.getTestClass().flatMap(c -> find(c)));
        if (clock.isEmpty()) {
            return HeraldKit.DEFAULT_START;
        }
        try {
            return Instant.parse(clock.get().value());
        } catch (DateTimeParseException e) {
            throw new ParameterResolutionException("@KitClock(\"" + clock.get().value() + "\") is not an ISO-8601 "
                    + "instant such as 2026-05-01T10:00:00Z", e);
        }
    }

    private static Optional<KitClock> find(AnnotatedElement element) {
        return AnnotationSupport.findAnnotation(element, KitClock.class);
    }

    /** The kit in the test's store, which JUnit closes when the test is done. */
    private record Kit(HeraldKit kit) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            kit.close();
        }
    }
}
