package dev.herald.testkit;

import dev.herald.avro.Channel;
import dev.herald.avro.PushPlatform;
import dev.herald.avro.PushToken;
import dev.herald.avro.Recipient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A recipient built in a test: {@code recipient("kim").zone("Asia/Seoul").attribute("firstName", "Minji")}. Starts
 * reachable on both channels (e-mail {@code ID@example.com}, one iOS token {@code token-ID}), locale en, zone UTC,
 * in no segment, with no attributes; each method changes one thing.
 */
public final class TestRecipient {
    private final String id;
    private String email;
    private List<PushToken> pushTokens;
    private boolean defaultTokens = true;
    private String locale = "en";
    private String timeZone = "UTC";
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private final List<String> segments = new ArrayList<>();
    private final List<Channel> optOuts = new ArrayList<>();

    private TestRecipient(String id) {
        this.id = Objects.requireNonNull(id, "id");
        this.email = id + "@example.com";
        this.pushTokens = new ArrayList<>(List.of(token(PushPlatform.IOS, "token-" + id)));
    }

    /** A recipient reachable on both channels, in zone UTC. */
    public static TestRecipient recipient(String id) {
        return new TestRecipient(id);
    }

    public TestRecipient email(String email) {
        this.email = email;
        return this;
    }

    public TestRecipient noEmail() {
        this.email = null;
        return this;
    }

    /** A device token; the first one given replaces the default token. */
    public TestRecipient pushToken(PushPlatform platform, String token) {
        if (defaultTokens) {
            pushTokens.clear();
            defaultTokens = false;
        }
        pushTokens.add(token(platform, token));
        return this;
    }

    public TestRecipient noPushTokens() {
        pushTokens.clear();
        defaultTokens = false;
        return this;
    }

    public TestRecipient locale(String locale) {
        this.locale = locale;
        return this;
    }

    /** The recipient's IANA time zone, in which quiet hours are judged. */
    public TestRecipient zone(String timeZone) {
        this.timeZone = timeZone;
        return this;
    }

    /** An attribute templates can use ({@code {{firstName}}}) and audiences can match. */
    public TestRecipient attribute(String name, String value) {
        attributes.put(name, value);
        return this;
    }

    public TestRecipient segments(String... segments) {
        this.segments.addAll(Arrays.asList(segments));
        return this;
    }

    public TestRecipient optOut(Channel... channels) {
        optOuts.addAll(Arrays.asList(channels));
        return this;
    }

    public String id() {
        return id;
    }

    public Recipient build() {
        return Recipient.newBuilder()
                .setId(id)
                .setEmail(email)
                .setPushTokens(new ArrayList<>(pushTokens))
                .setLocale(locale)
                .setTimeZone(timeZone)
                .setAttributes(new LinkedHashMap<>(attributes))
                .setSegments(new ArrayList<>(segments))
                .setOptOuts(new ArrayList<>(optOuts))
                .build();
    }

    private static PushToken token(PushPlatform platform, String token) {
        return PushToken.newBuilder().setPlatform(platform).setToken(token).build();
    }
}
