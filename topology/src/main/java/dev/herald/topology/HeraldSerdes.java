package dev.herald.topology;

import dev.herald.avro.Campaign;
import dev.herald.avro.DeadLetter;
import dev.herald.avro.FanoutControl;
import dev.herald.avro.FanoutCursor;
import dev.herald.avro.Job;
import dev.herald.avro.MailMessage;
import dev.herald.avro.Parked;
import dev.herald.avro.Outcome;
import dev.herald.avro.PushMessage;
import dev.herald.avro.Receipt;
import dev.herald.avro.Recipient;
import dev.herald.avro.RecipientUpdate;
import dev.herald.avro.RunControl;
import dev.herald.avro.RunEvent;
import dev.herald.avro.RunSummary;
import dev.herald.avro.ScheduleTick;
import dev.herald.avro.SchedulerState;
import dev.herald.avro.Summary;
import dev.herald.serdes.AvroSerde;
import dev.herald.serdes.SchemaRegistryClient;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Every serde Herald uses, built once from one schema registry and passed explicitly (never default.*.serde). */
public record HeraldSerdes(
        Serde<String> string,
        Serde<Long> longs,
        Serde<Campaign> campaign,
        Serde<Recipient> recipient,
        Serde<ScheduleTick> tick,
        Serde<Job> job,
        Serde<Outcome> outcome,
        Serde<RunEvent> runEvent,
        Serde<PushMessage> pushMessage,
        Serde<MailMessage> mailMessage,
        Serde<Summary> summary,
        Serde<RunSummary> runSummary,
        Serde<SchedulerState> schedulerState,
        Serde<FanoutCursor> fanoutCursor,
        Serde<RunControl> runControl,
        Serde<FanoutControl> fanoutControl,
        Serde<DeadLetter> deadLetter,
        Serde<Receipt> receipt,
        Serde<Parked> parked,
        Serde<RecipientUpdate> recipientUpdate) {

    public static HeraldSerdes using(SchemaRegistryClient registry) {
        return new HeraldSerdes(
                Serdes.String(),
                Serdes.Long(),
                AvroSerde.forValue(Campaign.class, registry),
                AvroSerde.forValue(Recipient.class, registry),
                AvroSerde.forValue(ScheduleTick.class, registry),
                AvroSerde.forValue(Job.class, registry),
                AvroSerde.forValue(Outcome.class, registry),
                AvroSerde.forValue(RunEvent.class, registry),
                AvroSerde.forValue(PushMessage.class, registry),
                AvroSerde.forValue(MailMessage.class, registry),
                AvroSerde.forValue(Summary.class, registry),
                AvroSerde.forValue(RunSummary.class, registry),
                AvroSerde.forValue(SchedulerState.class, registry),
                AvroSerde.forValue(FanoutCursor.class, registry),
                AvroSerde.forValue(RunControl.class, registry),
                AvroSerde.forValue(FanoutControl.class, registry),
                AvroSerde.forValue(DeadLetter.class, registry),
                AvroSerde.forValue(Receipt.class, registry),
                AvroSerde.forValue(Parked.class, registry),
                AvroSerde.forValue(RecipientUpdate.class, registry));
    }
}
