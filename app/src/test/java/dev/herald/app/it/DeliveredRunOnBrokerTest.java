package dev.herald.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.app.Herald;
import dev.herald.avro.RecipientChange;
import dev.herald.avro.RecipientUpdate;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The whole loop on a real broker: a run is rendered, Herald's senders deliver it over SMTP (GreenMail, a real SMTP
 * server in the JVM, refusing one mailbox) and FCM's HTTP v1 API (a local server answering as Google documents: one
 * token unregistered, one unavailable once), and the receipts make the run DELIVERED with summaries equal to what the
 * servers received.
 */
class DeliveredRunOnBrokerTest {
    private static final int RECIPIENTS = 1_000;
    /** Population gives recipient 3 two tokens; the first one is no longer registered. */
    private static final String DEAD_TOKEN = "r00003-t0";
    /** Recipient 2's only token: FCM is unavailable for it once, then accepts it. */
    private static final String FLAKY_TOKEN = "r00002-t0";
    /** Recipient 5's address: GreenMail refuses it at RCPT TO with 550, as a server refuses an unknown mailbox. */
    private static final String REFUSED_MAILBOX = "r00005@example.com";

    @Test
    void runIsDeliveredAndItsSummariesEqualWhatTheProvidersReceived() throws Exception {
        GreenMail smtp = new RefusingGreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        try (HeraldFixture fixture = new HeraldFixture(); FakeFcm fcm = new FakeFcm()) {
            Map<String, String> settings = fixture.settings("delivered", 2);
            settings.put("herald.sender.enabled", "true");
            settings.put("herald.sender.mail.transport", "smtp");
            settings.put("herald.sender.mail.smtp.host", "127.0.0.1");
            settings.put("herald.sender.mail.smtp.port", Integer.toString(smtp.getSmtp().getPort()));
            settings.put("herald.sender.mail.smtp.from", "herald@example.com");
            settings.put("herald.sender.push.transport", "providers");
            settings.put("herald.sender.push.fcm.project", FakeFcm.PROJECT);
            settings.put("herald.sender.push.fcm.credentials", fcm.serviceAccount(fixture.root).toString());
            settings.put("herald.sender.push.fcm.url", fcm.url());
            settings.put("herald.sender.retry.backoffs", "200ms,500ms,1s");
            Instant slot = Population.SLOT;
            String runPath = "/api/runs/" + URLEncoder.encode("loop@" + slot, StandardCharsets.UTF_8);

            try (Herald herald = fixture.start(settings)) {
                HeraldFixture.awaitRunning(herald);
                fixture.produce(fixture.topics.recipients(), Population.recipients(RECIPIENTS));
                fixture.produce(fixture.topics.campaigns(), Map.of("loop", Population.campaign("loop", null)));
                HeraldFixture.await("campaign visible",
                        () -> fixture.getRaw(herald, "/api/campaigns/loop").statusCode() == 200);
                fixture.produce(fixture.topics.scheduleTicks(), Map.of("loop", Population.tick("loop", slot)));
                HeraldFixture.await("run delivered", () -> fixture.getRaw(herald, runPath).statusCode() == 200
                        && "DELIVERED".equals(fixture.get(herald, runPath).path("status").asText()));

                JsonNode run = fixture.get(herald, runPath);
                JsonNode push = run.path("push");
                JsonNode mail = run.path("mail");
                assertThat(push.path("messages").asLong()).isEqualTo(Population.expectedPushMessages(RECIPIENTS));
                assertThat(mail.path("messages").asLong()).isEqualTo(Population.expectedMailMessages(RECIPIENTS));
                assertThat(push.path("delivered").asLong()).as("FCM accepted").isEqualTo(fcm.accepted.size());
                assertThat(push.path("rejectedTarget").asLong()).isEqualTo(1);
                assertThat(push.path("retries").asLong()).as("the unavailable token was retried").isEqualTo(1);
                assertThat(push.path("failed").asLong()).isZero();
                assertThat(push.path("delivered").asLong() + 1).isEqualTo(push.path("messages").asLong());
                assertThat(fcm.accepted).contains(FLAKY_TOKEN).doesNotContain(DEAD_TOKEN);
                MimeMessage[] received = smtp.getReceivedMessages();
                assertThat(mail.path("delivered").asLong()).as("GreenMail received").isEqualTo(received.length)
                        .isEqualTo(mail.path("messages").asLong() - 1);
                assertThat(mail.path("rejectedTarget").asLong()).as("the refused mailbox").isEqualTo(1);
                assertThat(mail.path("retries").asLong()).as("a refused mailbox is not retried").isZero();
                assertThat(mail.path("failed").asLong()).isZero();
                assertThat(run.path("receipted").asLong())
                        .isEqualTo(push.path("messages").asLong() + mail.path("messages").asLong());

                JsonNode summary = fixture.get(herald, "/api/campaigns/loop/summary?window=1h&from="
                        + slot.minusSeconds(3600) + "&to=" + Instant.now().plusSeconds(3600)).path("totals");
                assertThat(summary.path("push").path("delivered").asLong()).isEqualTo(fcm.accepted.size());
                assertThat(summary.path("push").path("rejectedTarget").asLong()).isEqualTo(1);
                assertThat(summary.path("mail").path("delivered").asLong()).isEqualTo(received.length);
                assertThat(summary.path("mail").path("rejectedTarget").asLong()).isEqualTo(1);

                // A sender counts a receipt just after committing it: the summaries may be a hair ahead.
                String mailDelivered = "herald_sender_receipts_total{channel=\"mail\",status=\"DELIVERED\"} "
                        + received.length + ".0";
                HeraldFixture.await("sender meters", () -> fixture.getRaw(herald, "/metrics").body()
                        .contains(mailDelivered));
                String metrics = fixture.getRaw(herald, "/metrics").body();
                assertThat(metrics)
                        .contains("herald_sender_receipts_total{channel=\"mail\",status=\"REJECTED_TARGET\"} 1.0")
                        .contains("herald_sender_receipts_total{channel=\"push\",status=\"RETRYING\"} 1.0")
                        .contains("herald_sender_receipts_total{channel=\"push\",status=\"DELIVERED\"} "
                                + fcm.accepted.size() + ".0")
                        .contains("herald_sender_running{channel=\"push\"} 1.0")
                        .contains("herald_sender_running{channel=\"mail\"} 1.0");

                List<ConsumerRecord<String, RecipientUpdate>> updates =
                        fixture.readCommitted(fixture.topics.recipientUpdates(), 2);
                assertThat(updates).hasSize(2).anySatisfy(update -> {
                    assertThat(update.key()).isEqualTo("r00003");
                    assertThat(update.value().getChange()).isEqualTo(RecipientChange.DEAD_PUSH_TOKEN);
                    assertThat(update.value().getTarget()).isEqualTo(DEAD_TOKEN);
                }).anySatisfy(update -> {
                    assertThat(update.key()).isEqualTo("r00005");
                    assertThat(update.value().getChange()).isEqualTo(RecipientChange.DEAD_EMAIL);
                    assertThat(update.value().getTarget()).isEqualTo(REFUSED_MAILBOX);
                });
            }
        } finally {
            smtp.stop();
        }
    }

    /**
     * GreenMail, whose SMTP service answers RCPT TO for {@link #REFUSED_MAILBOX} with {@code 550 5.1.1}: its SMTP
     * manager is replaced by one that checks recipients, over the same users and mailboxes, so what it received is
     * still what {@link GreenMail#getReceivedMessages()} shows.
     */
    static final class RefusingGreenMail extends GreenMail {
        RefusingGreenMail(ServerSetup setup) {
            super(setup);
        }

        @Override
        protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers managers) {
            SmtpManager refusing = new SmtpManager(managers.getImapHostManager(), managers.getUserManager()) {
                @Override
                public String checkRecipient(SmtpState state, MailAddress address) {
                    return REFUSED_MAILBOX.equalsIgnoreCase(address.getEmail())
                            ? "550 5.1.1 <" + address.getEmail() + ">: mailbox unavailable" : null;
                }
            };
            return super.createServices(config, new Managers() {
                @Override
                public SmtpManager getSmtpManager() {
                    return refusing;
                }

                @Override
                public UserManager getUserManager() {
                    return managers.getUserManager();
                }

                @Override
                public ImapHostManager getImapHostManager() {
                    return managers.getImapHostManager();
                }
            });
        }
    }

    /** FCM's HTTP v1 send endpoint and Google's token endpoint, answering as documented. */
    static final class FakeFcm implements AutoCloseable {
        static final String PROJECT = "herald-loop";
        final Set<String> accepted = ConcurrentHashMap.newKeySet();
        private final AtomicInteger flakyCalls = new AtomicInteger();
        private final HttpServer server;

        FakeFcm() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/token", exchange -> answer(exchange, 200,
                    "{\"access_token\":\"test-token\",\"expires_in\":3600,\"token_type\":\"Bearer\"}", null));
            server.createContext("/v1/projects/" + PROJECT + "/messages:send", this::send);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        /** A service-account file whose token_uri is this server. */
        Path serviceAccount(Path dir) throws Exception {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            String pem = "-----BEGIN PRIVATE KEY-----\\n"
                    + Base64.getEncoder().encodeToString(rsa.generateKeyPair().getPrivate().getEncoded())
                    + "\\n-----END PRIVATE KEY-----\\n";
            Path file = Files.createDirectories(dir).resolve("fcm-service-account.json");
            Files.writeString(file, "{\"type\":\"service_account\",\"project_id\":\"" + PROJECT + "\","
                    + "\"private_key_id\":\"k1\",\"private_key\":\"" + pem + "\","
                    + "\"client_email\":\"herald@" + PROJECT + ".iam.gserviceaccount.com\","
                    + "\"token_uri\":\"" + url() + "/token\"}");
            return file;
        }

        private void send(HttpExchange exchange) throws IOException {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (body.contains("\"" + DEAD_TOKEN + "\"")) {
                answer(exchange, 404, error(404, "NOT_FOUND", "UNREGISTERED"), null);
            } else if (body.contains("\"" + FLAKY_TOKEN + "\"") && flakyCalls.getAndIncrement() == 0) {
                answer(exchange, 503, error(503, "UNAVAILABLE", "UNAVAILABLE"), "1");
            } else {
                int start = body.indexOf("\"token\":\"") + 9;
                accepted.add(body.substring(start, body.indexOf('"', start)));
                answer(exchange, 200, "{\"name\":\"projects/" + PROJECT + "/messages/" + accepted.size() + "\"}",
                        null);
            }
        }

        private static String error(int code, String status, String fcmCode) {
            return "{\"error\":{\"code\":" + code + ",\"message\":\"" + status + "\",\"status\":\"" + status
                    + "\",\"details\":[{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\","
                    + "\"errorCode\":\"" + fcmCode + "\"}]}}";
        }

        private static void answer(HttpExchange exchange, int status, String json, String retryAfter)
                throws IOException {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
