package dev.herald.serdes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.avro.Campaign;
import dev.herald.avro.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The in-memory registry assigns ids like Confluent's and shares named scopes like its mock:// URLs. */
class InMemorySchemaRegistryTest {

    private final String scopeA = "test-a-" + UUID.randomUUID();
    private final String scopeB = "test-b-" + UUID.randomUUID();

    @AfterEach
    void dropScopes() {
        InMemorySchemaRegistry.dropScope(scopeA);
        InMemorySchemaRegistry.dropScope(scopeB);
    }

    @Test
    void idsStartAtOneAndRegisteringTheSameSchemaTwiceReturnsTheSameId() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

        assertThat(registry.register("outcomes-value", Outcome.getClassSchema())).isEqualTo(1);
        assertThat(registry.register("outcomes-value", Outcome.getClassSchema())).isEqualTo(1);
        assertThat(registry.register("campaigns-value", Campaign.getClassSchema())).isEqualTo(2);
        assertThat(registry.ids("outcomes-value")).containsExactly(1);
    }

    @Test
    void sameSchemaUnderTwoSubjectsGetsOneGlobalId() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

        int first = registry.register("a-value", Outcome.getClassSchema());
        int second = registry.register("b-key", Outcome.getClassSchema());

        assertThat(second).isEqualTo(first);
        assertThat(registry.subjects()).containsExactly("a-value", "b-key");
    }

    @Test
    void schemaByIdReturnsAnEqualSchema() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        int id = registry.register("campaigns-value", Campaign.getClassSchema());

        assertThat(registry.schemaById(id)).isEqualTo(Campaign.getClassSchema());
    }

    @Test
    void unknownIdIsASchemaRegistryExceptionNamingTheId() {
        assertThatThrownBy(() -> new InMemorySchemaRegistry().schemaById(7))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("id 7")
                .satisfies(e -> assertThat(((SchemaRegistryException) e).isRetriable()).isFalse());
    }

    @Test
    void newInstancesAreIsolated() {
        InMemorySchemaRegistry one = new InMemorySchemaRegistry();
        InMemorySchemaRegistry other = new InMemorySchemaRegistry();
        one.register("s", Outcome.getClassSchema());

        assertThat(other.subjects()).isEmpty();
        assertThatThrownBy(() -> other.schemaById(1)).isInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void scopeWithTheSameNameIsSharedAndOtherNamesAreIsolated() {
        InMemorySchemaRegistry a = InMemorySchemaRegistry.scope(scopeA);
        int id = a.register("outcomes-value", Outcome.getClassSchema());

        assertThat(InMemorySchemaRegistry.scope(scopeA)).isSameAs(a);
        assertThat(InMemorySchemaRegistry.scope(scopeA).schemaById(id)).isEqualTo(Outcome.getClassSchema());
        assertThat(InMemorySchemaRegistry.scope(scopeB).subjects()).isEmpty();
        assertThatThrownBy(() -> InMemorySchemaRegistry.scope(scopeB).schemaById(id))
                .isInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void droppedScopeStartsEmptyNextTime() {
        InMemorySchemaRegistry before = InMemorySchemaRegistry.scope(scopeA);
        before.register("outcomes-value", Outcome.getClassSchema());

        InMemorySchemaRegistry.dropScope(scopeA);
        InMemorySchemaRegistry after = InMemorySchemaRegistry.scope(scopeA);

        assertThat(after).isNotSameAs(before);
        assertThat(after.subjects()).isEmpty();
        InMemorySchemaRegistry.dropScope("never-created-" + UUID.randomUUID()); // no error
    }

    @Test
    void concurrentRegistrationsAgreeOnIds() throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                results.add(pool.submit(() -> new int[] {
                        registry.register("o-" + n, Outcome.getClassSchema()),
                        registry.register("c-" + n, Campaign.getClassSchema())}));
            }
            int outcomeId = registry.register("o", Outcome.getClassSchema());
            int campaignId = registry.register("c", Campaign.getClassSchema());
            for (Future<int[]> result : results) {
                assertThat(result.get()).containsExactly(outcomeId, campaignId);
            }
            assertThat(List.of(outcomeId, campaignId)).containsExactlyInAnyOrder(1, 2);
        } finally {
            pool.shutdownNow();
        }
    }
}
