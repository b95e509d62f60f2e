package dev.herald.query.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
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
        String value = write(served.value());
        int end = value.lastIndexOf('}');
        if (end < 0) {
            // Not an object (no keyed answer is one): nest it rather than write invalid JSON.
            ObjectNode node = mapper.createObjectNode();
            node.set("value", mapper.valueToTree(served.value()));
            node.put(SERVED_BY, served.servedBy());
            if (served.stale()) {
                node.put("stale", true);
                node.put("lag", served.lag());
            }
            return write(node);
        }
        // The value's own JSON with servedBy appended as its last field: the same text as building a tree and
        // adding the field, for half the work, as this runs for every keyed answer.
        boolean empty = value.substring(0, end).trim().equals("{");
        String staleness = served.stale() ? ",\"stale\":true,\"lag\":" + served.lag() : "";
        return value.substring(0, end) + (empty ? "" : ",") + '"' + SERVED_BY + "\":" + write(served.servedBy())
                + staleness + value.substring(end);
    }

    public <T> T read(String body, Class<T> type) {
        try {
            return mapper.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public <T> T read(byte[] body, Class<T> type) {
        try {
            return mapper.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The inverse of {@link #writeServed(Served)}, for answers forwarded from the owner. */
    public <T> Served<T> readServed(String body, Class<T> type) {
        try {
            return served(mapper.readTree(body), type);
        } catch (JsonProcessingException e) {
            throw notAnAnswer(e);
        }
    }

    /** {@link #readServed(String, Class)} of the UTF-8 bytes a peer sent. */
    public <T> Served<T> readServed(byte[] body, Class<T> type) {
        try {
            return served(mapper.readTree(body), type);
        } catch (IOException e) {
            throw notAnAnswer(e);
        }
    }

    private <T> Served<T> served(JsonNode tree, Class<T> type) throws JsonProcessingException {
        if (!(tree instanceof ObjectNode node)) {
            throw notAnAnswer(new IOException("not an object"));
        }
        JsonNode servedBy = node.remove(SERVED_BY);
        return new Served<>(mapper.treeToValue(node, type), servedBy == null ? null : servedBy.asText());
    }

    private static UncheckedIOException notAnAnswer(Exception e) {
        return new UncheckedIOException(new IOException("not a JSON object answer: " + e.getMessage(), e));
    }

    /**
     * Whether {@code body} is one well-formed JSON object and nothing else: checked by streaming over its tokens,
     * which costs a fraction of reading it into values, so a relayed answer can be vouched for cheaply.
     */
    public boolean isObject(byte[] body) {
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The detail of a problem+json answer, if there is one. */
    public String problemDetail(byte[] body) {
        try {
            JsonNode detail = mapper.readTree(body).get("detail");
            return detail == null ? null : detail.asText();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
