package dev.herald.serdes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.avro.Campaign;
import dev.herald.avro.MisfirePolicy;
import dev.herald.avro.Schedule;
import dev.herald.avro.ScheduleType;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Herald's generated classes are trusted by Avro without system properties, and nothing else is. Avro's trust is one
 * JVM-wide predicate that every other test class's serdes also widen, so each test starts from Avro's default (or
 * it would pass on trust someone else installed) and puts back whatever was there before (or it would leak its own).
 */
class AvroTrustTest {

    private ClassSecurityPredicate before;

    @BeforeEach
    void startFromAvrosDefault() {
        before = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.DEFAULT);
    }

    @AfterEach
    void restoreTheGlobalTrust() {
        ClassSecurityValidator.setGlobal(before);
    }

    @Test
    void avroAloneDoesNotTrustHeraldClassesWhichIsWhyAvroTrustExists() {
        assertThat(ClassSecurityValidator.DEFAULT.isTrusted(Campaign.class)).isFalse();
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(Campaign.class)).as("the test's starting point")
                .isFalse();
    }

    @Test
    void deserializerTrustsItsRecordPackageAndKeepsRefusingOthers() {
        new AvroDeserializer<>(Campaign.class, new InMemorySchemaRegistry(), false);

        ClassSecurityPredicate global = ClassSecurityValidator.getGlobal();
        assertThat(global.isTrusted(Campaign.class)).isTrue();
        assertThat(global.isTrusted(MisfirePolicy.class)).isTrue();
        assertThat(global.isTrusted(String.class)).isTrue();
        assertThat(global.isTrusted(File.class)).isFalse();
        // Builders fill enum defaults through the same check.
        assertThat(Schedule.newBuilder().setType(ScheduleType.ONCE).build().getMisfirePolicy())
                .isEqualTo(MisfirePolicy.FIRE_ONCE);
    }

    @Test
    void trustingTwiceDoesNotStackPredicates() {
        AvroTrust.trustPackageOf(Campaign.class);
        ClassSecurityPredicate once = ClassSecurityValidator.getGlobal();

        AvroTrust.trustPackageOf(Campaign.class);
        AvroTrust.trustPackageOf(Schedule.class);

        assertThat(once).isNotSameAs(ClassSecurityValidator.DEFAULT);
        assertThat(ClassSecurityValidator.getGlobal()).isSameAs(once);
        assertThat(once.toString()).containsOnlyOnce("dev.herald.avro.");
    }

    @Test
    void keepsWhatTheInstalledPredicateTrustsAndItsWayOfRefusing() {
        List<String> refused = new ArrayList<>();
        ClassSecurityValidator.setGlobal(new ClassSecurityPredicate() {
            @Override
            public boolean isTrusted(Class<?> clazz) {
                return clazz == File.class; // as a user's SERIALIZABLE_PACKAGES would
            }

            @Override
            public void forbiddenClass(String className) {
                refused.add(className);
                throw new SecurityException("refused " + className);
            }
        });

        AvroTrust.trustPackageOf(Campaign.class);

        ClassSecurityPredicate global = ClassSecurityValidator.getGlobal();
        assertThat(global.isTrusted(Campaign.class)).isTrue();
        assertThat(global.isTrusted(File.class)).isTrue();
        assertThat(global.isTrusted(Thread.class)).isFalse();
        assertThatThrownBy(() -> global.forbiddenClass("java.lang.Thread")).isInstanceOf(SecurityException.class);
        assertThat(refused).containsExactly("java.lang.Thread");
    }

    @Test
    void trustsThatPackageAndItsNestedClassesButNotItsSiblings() {
        AvroTrust.trustPackageOf(Campaign.class);

        ClassSecurityPredicate global = ClassSecurityValidator.getGlobal();
        assertThat(global.isTrusted(AvroTrust.class)).as("dev.herald.serdes").isFalse();
        assertThat(global.isTrusted(Schedule.Builder.class)).isTrue();
    }
}
