package dev.herald.topology.channels;

import dev.herald.avro.Outcome;
import java.util.List;
import java.util.Objects;

/** What a channel branch emits for one delivery: its outcome, and the outbox messages when it succeeded. */
public record ChannelResult<M>(Outcome outcome, List<M> messages) {

    public ChannelResult {
        Objects.requireNonNull(outcome, "outcome");
        // Immutable so a result can be handed to flatMap without anyone changing counts after the fact.
        messages = List.copyOf(messages);
    }
}
