package dev.herald.query.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Query strings for other instances are built in one place, in the order the parameters were given. */
class PeerRequestTest {

    @Test
    void aRequestWithoutParametersHasNoQueryString() {
        assertThat(PeerRequest.get("/api/campaigns").query()).isNull();
    }

    @Test
    void parametersKeepTheirOrderAndValuesTheirStringForm() {
        PeerRequest request = PeerRequest.get("/api/campaigns/spring-sale/summary")
                .with("from", Instant.parse("2026-05-01T09:00:00Z"))
                .with("to", Instant.parse("2026-05-01T11:00:00Z"))
                .with("window", "1m");

        assertThat(request.path()).isEqualTo("/api/campaigns/spring-sale/summary");
        assertThat(request.query()).isEqualTo("from=2026-05-01T09:00:00Z&to=2026-05-01T11:00:00Z&window=1m");
    }

    @Test
    void addingAParameterLeavesTheOriginalAsItWas() {
        PeerRequest base = PeerRequest.get("/api/summary");

        base.with("from", "x");

        assertThat(base.query()).isNull();
    }
}
