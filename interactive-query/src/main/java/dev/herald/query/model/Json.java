package dev.herald.query.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/**
 * The JSON form of the answers: one configuration for the bodies this instance writes and for reading the answers of
 * other instances, which are the same bodies. Here rather than in http because routing reads them too.
 */
public final class Json {
    static final String SERVED_BY = "servedBy";

    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            // ISO-8601 instants, as people and dashboards read them.
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            // A newer instance may answer with fields this one does not know yet (rolling upgrade).
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A keyed answer as one object: the value's fields plus servedBy. Not an overload of {@link #write(Object)},
     * which would nest the value under "value" instead.
     */
    public String writeServed(Served<?> served) {
        ObjectNode node = mapper.valueToTree(served.value());
        node.put(SERVED_BY, served.servedBy());
        return write(node);
    }

    public <T> T read(String body, Class<T> type) {
        try {
            return mapper.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The inverse of {@link #writeServed(Served)}, for answers forwarded from the owner. */
    public <T> Served<T> readServed(String body, Class<T> type) {
        try {
            ObjectNode node = (ObjectNode) mapper.readTree(body);
            JsonNode servedBy = node.remove(SERVED_BY);
            return new Served<>(mapper.treeToValue(node, type), servedBy == null ? null : servedBy.asText());
        } catch (JsonProcessingException | ClassCastException e) {
            throw new UncheckedIOException(new java.io.IOException("not a JSON object answer: " + e.getMessage(), e));
        }
    }

    /** The detail of a problem+json answer, if there is one. */
    public String problemDetail(String body) {
        try {
            JsonNode detail = mapper.readTree(body).get("detail");
            return detail == null ? null : detail.asText();
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }
}
