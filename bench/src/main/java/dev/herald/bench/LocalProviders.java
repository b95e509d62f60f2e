package dev.herald.bench;

import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The providers the sender case sends to, all in this JVM and all speaking the real protocols: {@link LocalFcm}
 * (HTTP/2 over TLS, with its OAuth token endpoint), Pushy's mock APNs server (HTTP/2 over TLS) and GreenMail (SMTP).
 * Also writes what Herald's settings point at: a service account's JSON key whose {@code token_uri} is the local
 * endpoint, an APNs {@code .p8} signing key, and a trust store holding the local certificate (for
 * {@code localhost}), which the JVM's default trust must name ({@link #trustThisJvm()}) since Herald's production
 * clients trust only the default store.
 */
final class LocalProviders implements AutoCloseable {
    static final String PROJECT = "bench-project";
    static final String TEAM = "BENCHTEAM1";
    static final String KEY_ID = "BENCHKEY01";
    static final String BUNDLE = "dev.herald.bench";
    static final String FROM = "bench@herald.local";
    private static final String TRUST_PASSWORD = "bench-trust";

    private final EventLoopGroup eventLoop = new NioEventLoopGroup(1);
    private final Path serviceAccount;
    private final Path p8;
    private final Path trustStore;
    private final LocalFcm fcm;
    private final MockApnsServer apns;
    private final int apnsPort;
    private final AtomicLong apnsAccepted = new AtomicLong();
    private final Set<String> apnsIds = ConcurrentHashMap.newKeySet();
    private final GreenMail smtp;

    LocalProviders(Path dir) {
        try {
            Files.createDirectories(dir);
            KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
            ec.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair tlsKey = ec.generateKeyPair();
            X509Certificate certificate = selfSigned(tlsKey);
            trustStore = dir.resolve("trust.p12");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("localhost", certificate);
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                trust.store(out, TRUST_PASSWORD.toCharArray());
            }

            fcm = new LocalFcm(certificate, tlsKey.getPrivate(), eventLoop);
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            Map<String, String> account = new LinkedHashMap<>();
            account.put("type", "service_account");
            account.put("project_id", PROJECT);
            account.put("private_key_id", "bench-key");
            account.put("private_key", pem(rsa.generateKeyPair().getPrivate()));
            account.put("client_email", "herald@" + PROJECT + ".iam.gserviceaccount.com");
            account.put("token_uri", fcm.tokenUri().toString());
            serviceAccount = dir.resolve("service-account.json");
            Files.writeString(serviceAccount, new ObjectMapper().writeValueAsString(account));

            p8 = dir.resolve("apns.p8");
            Files.writeString(p8, pem(ec.generateKeyPair().getPrivate()));
            apns = new MockApnsServerBuilder()
                    .setServerCredentials(new X509Certificate[] {certificate}, tlsKey.getPrivate(), null)
                    .setHandlerFactory(session -> (headers, payload) -> {
                        apnsAccepted.incrementAndGet();
                        apnsIds.add(String.valueOf(headers.get("apns-id")));
                    })
                    .setEventLoopGroup(eventLoop)
                    .build();
            apnsPort = apns.start(0).get(10, TimeUnit.SECONDS);

            smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            smtp.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the local providers: " + e, e);
        }
    }

    /**
     * Makes this JVM trust the local certificate by default: Herald's FCM and APNs clients, as in production, trust
     * the default only. The default SSL context (the JDK HTTP client's) is replaced, since an earlier HTTP client may
     * have fixed it already, and the trust store properties are set for clients that build their own (Netty's,
     * Pushy's). Nothing else in the harness's JVM speaks TLS.
     */
    void trustThisJvm() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(trustStore)) {
                trust.load(in, TRUST_PASSWORD.toCharArray());
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            SSLContext.setDefault(context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not trust the local certificate: " + e, e);
        }
        System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        System.setProperty("javax.net.ssl.trustStorePassword", TRUST_PASSWORD);
    }

    /**
     * Herald's sender settings for these providers: SMTP to GreenMail, push to FCM and APNs through the router; all
     * else (connections, messages in flight, batches) as Herald's defaults have it.
     */
    Map<String, String> senderSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("herald.sender.mail.transport", "smtp");
        s.put("herald.sender.mail.smtp.host", "127.0.0.1");
        s.put("herald.sender.mail.smtp.port", Integer.toString(smtp.getSmtp().getPort()));
        s.put("herald.sender.mail.smtp.from", FROM);
        s.put("herald.sender.push.transport", "providers");
        s.put("herald.sender.push.fcm.project", PROJECT);
        s.put("herald.sender.push.fcm.credentials", serviceAccount.toString());
        s.put("herald.sender.push.fcm.url", fcm.baseUrl().toString());
        s.put("herald.sender.push.apns.key", p8.toString());
        s.put("herald.sender.push.apns.team", TEAM);
        s.put("herald.sender.push.apns.key.id", KEY_ID);
        s.put("herald.sender.push.apns.bundle", BUNDLE);
        s.put("herald.sender.push.apns.host", "localhost");
        s.put("herald.sender.push.apns.port", Integer.toString(apnsPort));
        return s;
    }

    LocalFcm fcm() {
        return fcm;
    }

    long apnsAccepted() {
        return apnsAccepted.get();
    }

    long apnsDistinct() {
        return apnsIds.size();
    }

    /** Messages GreenMail has received (in every mailbox). */
    long mailsReceived() {
        return smtp.getReceivedMessages().length;
    }

    /** Forgets what every provider received, so each phase counts its own. */
    void reset() {
        fcm.reset();
        apnsAccepted.set(0);
        apnsIds.clear();
        try {
            smtp.purgeEmailFromAllMailboxes();
        } catch (Exception e) {
            throw new IllegalStateException("could not empty GreenMail's mailboxes: " + e, e);
        }
    }

    private static X509Certificate selfSigned(KeyPair key) throws Exception {
        X500Name name = new X500Name("CN=localhost");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
                Date.from(now.plusSeconds(86_400)), name, key.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }

    private static String pem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    @Override
    public void close() {
        smtp.stop();
        try {
            apns.shutdown().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            Bench.say("could not stop the local APNs server: " + e);
        }
        fcm.close();
        eventLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    }
}
