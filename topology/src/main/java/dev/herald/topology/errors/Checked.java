package dev.herald.topology.errors;

import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Lets through the records a check finds nothing wrong with; any other is dead-lettered with what the check said, so
 * input rules are written once, as a function the command line can apply too before it produces.
 *
 * @param <V> the record's value type
 */
public final class Checked<V> implements FixedKeyProcessor<String, V, V> {

    private final BiFunction<String, V, Optional<String>> check;
    private FixedKeyProcessorContext<String, V> context;

    /** @param check what is wrong with a record (key, value), if anything */
    public Checked(BiFunction<String, V, Optional<String>> check) {
        this.check = check;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        Optional<String> problem = check.apply(record.key(), record.value());
        if (problem.isPresent()) {
            throw new InvalidRecordException(problem.get());
        }
        context.forward(record);
    }
}
