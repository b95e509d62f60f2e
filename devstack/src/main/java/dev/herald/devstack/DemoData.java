package dev.herald.devstack;

import dev.herald.avro.Audience;
import dev.herald.avro.Campaign;
import dev.herald.avro.CampaignStatus;
import dev.herald.avro.Channel;
import dev.herald.avro.Limits;
import dev.herald.avro.MailTemplate;
import dev.herald.avro.MisfirePolicy;
import dev.herald.avro.PushPlatform;
import dev.herald.avro.PushTemplate;
import dev.herald.avro.PushToken;
import dev.herald.avro.QuietHours;
import dev.herald.avro.Recipient;
import dev.herald.avro.Schedule;
import dev.herald.avro.ScheduleType;
import dev.herald.topology.HeraldSerdes;
import dev.herald.topology.HeraldTopics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo data set of the embedded default: three campaigns that fire within minutes of the first start, and a
 * population of recipients with a realistic mix of devices, addresses, opt-outs, time zones and segments. Generated
 * from a fixed seed, so every fresh start shows the same numbers.
 */
public final class DemoData {
    /** The demo campaign to look at first (push and mail, one minute after the first start): the banner links it. */
    public static final String FEATURED_CAMPAIGN = "spring-sale";
    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    private static final String DEMO_OWNER = "demo";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final String[] ZONES = {"America/New_York", "America/Los_Angeles", "Europe/Berlin", "Europe/London",
        "Asia/Seoul", "Asia/Tokyo", "Australia/Sydney", "UTC"};
    private static final String[] NAMES = {"Ada", "Grace", "Linus", "Minji", "Jisoo", "Hana", "Noah", "Emma", "Lucas",
        "Mia", "Yuki", "Ravi", "Sofia", "Mateo", "Chloe"};
    private static final String[] LOCALES = {"en", "de", "ko", "ja", "fr", "es"};
    private static final String[] SEGMENTS = {"new", "vip", "beta", "dormant", "newsletter"};
    private static final String[] COUNTRIES = {"US", "DE", "KR", "JP", "GB", "AU", "FR"};

    private DemoData() {
    }

    static List<Campaign> campaigns(Instant now) {
        Instant created = now.truncatedTo(ChronoUnit.SECONDS);
        Instant inOneMinute = created.plus(1, ChronoUnit.MINUTES);
        Instant inTwoMinutes = created.plus(2, ChronoUnit.MINUTES);
        Campaign welcome = base("welcome-once", "Welcome push", created)
                .setDescription("A one-off push to recipients in the 'new' segment, two minutes after first start.")
                .setChannels(List.of(Channel.PUSH))
                .setSchedule(Schedule.newBuilder().setType(ScheduleType.ONCE).setSendAt(inTwoMinutes)
                        .setMisfirePolicy(MisfirePolicy.FIRE_ONCE).build())
                .setAudience(Audience.newBuilder().setSegments(List.of("new")).build())
                .setPush(PushTemplate.newBuilder().setTitle("Welcome, {{firstName}}!")
                        .setBody("Thanks for joining from {{country}}.").setData(Map.of("screen", "onboarding"))
                        .build())
                .build();
        Campaign digest = base("digest-every-5-minutes", "Pro digest", created)
                .setDescription("A recurring e-mail to pro-plan recipients, every five minutes (Europe/Berlin).")
                .setChannels(List.of(Channel.MAIL))
                .setSchedule(Schedule.newBuilder().setType(ScheduleType.CRON).setCron("*/5 * * * *")
                        .setTimeZone("Europe/Berlin").setMisfirePolicy(MisfirePolicy.SKIP).build())
                .setAudience(Audience.newBuilder().setAttributes(Map.of("plan", "pro")).build())
                .setMail(MailTemplate.newBuilder().setSubject("Your digest, {{firstName}}")
                        .setText("Hello {{firstName}}, here is what happened in {{campaign.name}}.")
                        .setHtml("<h1>Hello {{firstName}}</h1><p>Your digest for run {{run.id}}.</p>").build())
                .build();
        Campaign sale = base(FEATURED_CAMPAIGN, "Spring sale (push + mail, quiet hours)", created)
                .setDescription("Push and e-mail to VIPs and newsletter readers one minute after first start, "
                        + "never between 22:00 and 08:00 in the recipient's zone.")
                .setChannels(List.of(Channel.PUSH, Channel.MAIL))
                .setSchedule(Schedule.newBuilder().setType(ScheduleType.ONCE).setSendAt(inOneMinute)
                        .setMisfirePolicy(MisfirePolicy.FIRE_ONCE).build())
                .setAudience(Audience.newBuilder().setSegments(List.of("vip", "newsletter")).build())
                .setPush(PushTemplate.newBuilder().setTitle("{{firstName}}, 20% off today")
                        .setBody("The spring sale is on.").setData(Map.of("coupon", "SPRING20")).build())
                .setMail(MailTemplate.newBuilder().setSubject("Spring sale: 20% off, {{firstName}}")
                        .setText("Use SPRING20 at checkout.").setHtml("<p>Use <b>SPRING20</b> at checkout.</p>")
                        .build())
                .setLimits(Limits.newBuilder().setMessagesPerSecond(5_000)
                        .setQuietHours(QuietHours.newBuilder().setStart("22:00").setEnd("08:00").build()).build())
                .build();
        return List.of(welcome, digest, sale);
    }

    private static Campaign.Builder base(String id, String name, Instant created) {
        return Campaign.newBuilder().setId(id).setName(name).setOwner(DEMO_OWNER).setStatus(CampaignStatus.SCHEDULED)
                .setCreatedAt(created).setUpdatedAt(created);
    }

    /** Recipient {@code i} of the demo population; the same index always gives the same recipient. */
    static Recipient recipient(int i) {
        Random r = new Random(42L * 1_000_003 + i);
        String id = String.format("user-%06d", i);
        String first = NAMES[r.nextInt(NAMES.length)];
        int emailRoll = r.nextInt(100);
        String email = emailRoll < 8 ? null
                : emailRoll < 11 ? first.toLowerCase() + ".at.example.com"
                : first.toLowerCase() + "." + i + "@example.com";
        List<PushToken> tokens = new ArrayList<>();
        int tokenRoll = r.nextInt(100);
        int tokenCount = tokenRoll < 30 ? 0 : tokenRoll < 85 ? 1 : 2;
        for (int t = 0; t < tokenCount; t++) {
            PushPlatform platform = r.nextBoolean() ? PushPlatform.IOS : PushPlatform.ANDROID;
            tokens.add(PushToken.newBuilder().setPlatform(platform)
                    .setToken(platform.name().toLowerCase() + "-" + Long.toHexString(r.nextLong())).build());
        }
        List<String> segments = new ArrayList<>();
        for (String segment : SEGMENTS) {
            if (r.nextInt(100) < 25) {
                segments.add(segment);
            }
        }
        List<Channel> optOuts = new ArrayList<>();
        if (r.nextInt(100) < 5) {
            optOuts.add(Channel.PUSH);
        }
        if (r.nextInt(100) < 3) {
            optOuts.add(Channel.MAIL);
        }
        return Recipient.newBuilder()
                .setId(id)
                .setEmail(email)
                .setPushTokens(tokens)
                .setLocale(LOCALES[r.nextInt(LOCALES.length)])
                .setTimeZone(ZONES[r.nextInt(ZONES.length)])
                .setAttributes(Map.of("firstName", first, "country", COUNTRIES[r.nextInt(COUNTRIES.length)],
                        "plan", r.nextInt(100) < 20 ? "pro" : "free"))
                .setSegments(segments)
                .setOptOuts(optOuts)
                .build();
    }

    /**
     * Makes sure the demo set is in place and says whether it is. An empty campaigns topic gets the demo set, so it is
     * loaded once and a restart resumes with the data (and the demo's runs) as they were; topics that already hold
     * campaigns keep them, and the answer is whether the demo's campaigns are among them.
     */
    public static boolean ensureLoaded(Admin admin, Map<String, Object> clientConfig, HeraldTopics topics,
            HeraldSerdes serdes, int recipients, Instant now) throws Exception {
        String campaignsTopic = topics.campaigns().name();
        var partitions = admin.describeTopics(List.of(campaignsTopic)).allTopicNames().get().get(campaignsTopic)
                .partitions().stream().map(p -> new TopicPartition(campaignsTopic, p.partition()))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        long existing = admin.listOffsets(partitions).all().get().values().stream()
                .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        if (existing > 0) {
            return demoCampaignsPresent(clientConfig, topics, serdes);
        }
        load(clientConfig, topics, serdes, recipients, now);
        log.info("Loaded the demo data set: {} campaigns, {} recipients", campaigns(now).size(), recipients);
        return true;
    }

    /** Whether the latest value of every demo campaign id is the demo's campaign (not deleted, not someone else's). */
    private static boolean demoCampaignsPresent(Map<String, Object> clientConfig, HeraldTopics topics,
            HeraldSerdes serdes) {
        String topic = topics.campaigns().name();
        Map<String, Boolean> demo = new HashMap<>();
        Set<String> ids = campaigns(Instant.EPOCH).stream().map(Campaign::getId).collect(Collectors.toSet());
        Deserializer<Campaign> campaigns = serdes.campaign().deserializer();
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " within " + READ_TIMEOUT);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (ids.contains(record.key())) {
                        demo.put(record.key(), isDemo(campaigns, topic, record.value()));
                    }
                }
            }
        }
        return ids.stream().allMatch(id -> demo.getOrDefault(id, false));
    }

    private static boolean isDemo(Deserializer<Campaign> campaigns, String topic, byte[] value) {
        if (value == null) {
            return false;
        }
        try {
            return DEMO_OWNER.equals(campaigns.deserialize(topic, value).getOwner());
        } catch (SerializationException e) {
            return false;
        }
    }

    private static void load(Map<String, Object> producerConfig, HeraldTopics topics, HeraldSerdes serdes,
            int recipients, Instant now) throws Exception {
        Map<String, Object> config = new HashMap<>(producerConfig);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (var recipientProducer = new KafkaProducer<>(config, serdes.string().serializer(),
                serdes.recipient().serializer());
             var campaignProducer = new KafkaProducer<>(config, serdes.string().serializer(),
                     serdes.campaign().serializer())) {
            for (int i = 0; i < recipients; i++) {
                Recipient recipient = recipient(i);
                recipientProducer.send(new ProducerRecord<>(topics.recipients().name(), recipient.getId(), recipient));
            }
            recipientProducer.flush();
            // Campaigns after recipients: the first run must find the whole population in place.
            for (Campaign campaign : campaigns(now)) {
                campaignProducer.send(new ProducerRecord<>(topics.campaigns().name(), campaign.getId(), campaign))
                        .get();
            }
        }
    }
}
