package dev.herald.sender;

import dev.herald.avro.MailMessage;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Sends mail over SMTP (Jakarta Mail, implemented by Angus Mail). The message id is the Message-ID header
 * ({@code <messageId@herald>}); a message with html is multipart/alternative (text, then html).
 *
 * <p>Each of {@code connections} threads keeps one SMTP connection open and reconnects after a failure, so
 * {@link #send} never blocks its caller. Answers are classified: a recipient refused with 550, 551 or 553 or an
 * address that is not one is REJECTED_TARGET; any 4xx reply and connection or I/O failures are TRANSIENT; other
 * 5xx replies and a failed login are PERMANENT.
 */
public final class SmtpTransport implements Transport<MailMessage> {

    /**
     * @param host        the SMTP server
     * @param port        its port (25, 587, 2525...)
     * @param username    the login, or null for none
     * @param password    the password (with a username)
     * @param startTls    require STARTTLS before anything is sent
     * @param from        the From address
     * @param connections connections (and threads) at most
     * @param timeout     connect, read and write timeout
     */
    public record Settings(String host, int port, String username, String password, boolean startTls, String from,
                           int connections, Duration timeout) {
        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(timeout, "timeout");
            if (connections < 1) {
                throw new IllegalArgumentException("connections must be 1 or more");
            }
        }
    }

    private final Settings settings;
    private final Session session;
    private final InternetAddress from;
    private final ExecutorService executor;
    private final ThreadLocal<jakarta.mail.Transport> connection = new ThreadLocal<>();
    private final List<jakarta.mail.Transport> connections = new ArrayList<>();

    public SmtpTransport(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Properties p = new Properties();
        p.put("mail.transport.protocol", "smtp");
        p.put("mail.smtp.host", settings.host());
        p.put("mail.smtp.port", Integer.toString(settings.port()));
        String millis = Long.toString(settings.timeout().toMillis());
        p.put("mail.smtp.connectiontimeout", millis);
        p.put("mail.smtp.timeout", millis);
        p.put("mail.smtp.writetimeout", millis);
        // One message to one address: report the refused address instead of sending to none.
        p.put("mail.smtp.reportsuccess", "false");
        p.put("mail.smtp.sendpartial", "false");
        if (settings.username() != null && !settings.username().isEmpty()) {
            p.put("mail.smtp.auth", "true");
        }
        if (settings.startTls()) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        this.session = Session.getInstance(p);
        try {
            this.from = new InternetAddress(settings.from(), true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("not a mail address: " + settings.from(), e);
        }
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(settings.connections(), r -> {
            Thread t = new Thread(r, "herald-smtp-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public CompletableFuture<SendResult> send(MailMessage message) {
        return CompletableFuture.supplyAsync(() -> sendNow(message), executor);
    }

    @Override
    public String name() {
        return "smtp";
    }

    /** The Message-ID header a message gets: {@code <messageId@herald>}. */
    public static String messageIdHeader(String messageId) {
        return "<" + messageId + "@herald>";
    }

    private SendResult sendNow(MailMessage message) {
        MimeMessage mime;
        InternetAddress to;
        try {
            to = new InternetAddress(message.getTo(), true);
            to.validate();
        } catch (AddressException e) {
            return SendResult.rejectedTarget("address", "not a mail address: " + e.getMessage());
        }
        try {
            mime = mime(message, to);
        } catch (MessagingException e) {
            return SendResult.permanent("message", "cannot build the message: " + e.getMessage());
        }
        jakarta.mail.Transport transport = null;
        try {
            transport = connected();
            transport.sendMessage(mime, new Address[] {to});
            return SendResult.delivered("250");
        } catch (MessagingException e) {
            disconnect(transport);
            return classify(e);
        } catch (RuntimeException e) {
            disconnect(transport);
            return SendResult.transientError("error", e.toString(), null);
        }
    }

    private MimeMessage mime(MailMessage message, InternetAddress to) throws MessagingException {
        String id = messageIdHeader(message.getMessageId());
        MimeMessage mime = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", id);
            }
        };
        mime.setFrom(from);
        mime.setRecipient(Message.RecipientType.TO, to);
        mime.setSubject(message.getSubject(), "UTF-8");
        mime.setSentDate(new Date());
        if (message.getHtml() == null) {
            mime.setText(message.getText(), "UTF-8");
        } else {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(message.getText(), "UTF-8");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(message.getHtml(), "UTF-8", "html");
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            mime.setContent(alternative);
        }
        if (message.getLocale() != null) {
            mime.setHeader("Content-Language", message.getLocale().replace('_', '-'));
        }
        mime.setHeader("X-Herald-Campaign", message.getCampaignId());
        mime.saveChanges();
        return mime;
    }

    private jakarta.mail.Transport connected() throws MessagingException {
        jakarta.mail.Transport transport = connection.get();
        if (transport == null) {
            transport = session.getTransport("smtp");
            connection.set(transport);
            synchronized (connections) {
                connections.add(transport);
            }
        }
        if (!transport.isConnected()) {
            if (settings.username() != null && !settings.username().isEmpty()) {
                transport.connect(settings.host(), settings.port(), settings.username(), settings.password());
            } else {
                transport.connect();
            }
        }
        return transport;
    }

    private static void disconnect(jakarta.mail.Transport transport) {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException | RuntimeException ignored) {
                // reconnects on the next message
            }
        }
    }

    /** Classifies a failed send by its SMTP reply code or, without one, as a connection failure. */
    static SendResult classify(MessagingException e) {
        if (e instanceof AuthenticationFailedException) {
            return SendResult.permanent("auth", "login refused: " + e.getMessage());
        }
        // The reply to RCPT TO names the target: find it in the chain first.
        for (Exception x = e; x != null; x = x instanceof MessagingException m ? m.getNextException() : null) {
            if (x instanceof SMTPAddressFailedException refused) {
                int code = refused.getReturnCode();
                String detail = "recipient refused: " + oneLine(refused.getMessage());
                if (code >= 400 && code < 500) {
                    return SendResult.transientError(Integer.toString(code), detail, null);
                }
                return code == 550 || code == 551 || code == 553
                        ? SendResult.rejectedTarget(Integer.toString(code), detail)
                        : SendResult.permanent(Integer.toString(code), detail);
            }
        }
        int code = -1;
        if (e instanceof SMTPSendFailedException failed) {
            code = failed.getReturnCode();
        } else if (e instanceof SMTPSenderFailedException failed) {
            code = failed.getReturnCode();
        }
        if (code < 0 && e instanceof SendFailedException failed && failed.getInvalidAddresses() != null
                && failed.getInvalidAddresses().length > 0) {
            return SendResult.rejectedTarget("invalid", oneLine(e.getMessage()));
        }
        if (code >= 400 && code < 500) {
            return SendResult.transientError(Integer.toString(code), oneLine(e.getMessage()), null);
        }
        if (code >= 500) {
            return SendResult.permanent(Integer.toString(code), oneLine(e.getMessage()));
        }
        // No reply code: the connection could not be made or broke (MailConnectException, an IOException).
        Throwable cause = e.getCause() != null ? e.getCause() : e.getNextException();
        String detail = oneLine(e.getMessage()) + (cause instanceof IOException ? " (" + cause + ")" : "");
        return SendResult.transientError("connection", detail, null);
    }

    private static String oneLine(String s) {
        return s == null ? null : s.strip().replaceAll("\\s+", " ");
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (connections) {
            connections.forEach(SmtpTransport::disconnect);
            connections.clear();
        }
    }
}
