package dev.herald.serdes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Campaign;
import dev.herald.avro.MisfirePolicy;
import dev.herald.avro.Schedule;
import dev.herald.avro.ScheduleType;
import java.io.File;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;
import org.junit.jupiter.api.Test;

/** Herald's generated classes are trusted by Avro without system properties, and nothing else is. */
class AvroTrustTest {

    @Test
    void avroAloneDoesNotTrustHeraldClassesWhichIsWhyAvroTrustExists() {
        assertThat(ClassSecurityValidator.DEFAULT.isTrusted(Campaign.class)).isFalse();
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

        assertThat(ClassSecurityValidator.getGlobal()).isSameAs(once);
        assertThat(once.toString()).containsOnlyOnce("dev.herald.avro.");
    }
}
