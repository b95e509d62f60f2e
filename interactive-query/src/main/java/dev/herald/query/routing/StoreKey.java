package dev.herald.query.routing;

/** A key of a state store: what the cluster looks up an owner by, named the same way in every problem detail. */
public record StoreKey(String store, String key) {

    /** How details name the key, e.g. {@code key 'spring-sale' of herald-campaigns}. */
    public String describe() {
        return "key '" + key + "' of " + store;
    }
}
