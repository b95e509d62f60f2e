package dev.herald.sender;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.herald.avro.MailMessage;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SmtpTransportTest {
    private GreenMail greenMail;

    @BeforeEach
    void startGreenMail() {
        greenMail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        greenMail.start();
    }

    @AfterEach
    void stopGreenMail() {
        greenMail.stop();
    }

    private static SmtpTransport transport(int port) {
        return new SmtpTransport(new SmtpTransport.Settings("127.0.0.1", port, null, null, false,
                "herald@example.com", 2, Duration.ofSeconds(5)));
    }

    private static SendResult send(SmtpTransport transport, MailMessage message) throws Exception {
        return transport.send(message).get(20, TimeUnit.SECONDS);
    }

    @Test
    void deliversWithTheMessageIdAsMessageIdHeader() throws Exception {
        try (SmtpTransport smtp = transport(greenMail.getSmtp().getPort())) {
            SendResult result = send(smtp, Messages.mail("m-1", "r-1", "ada@example.com"));
            assertThat(result.kind()).isEqualTo(SendResult.Kind.DELIVERED);
            assertThat(result.providerCode()).isEqualTo("250");
            // The connection is kept: a second message goes over it.
            assertThat(send(smtp, Messages.mail("m-2", "r-2", "bob@example.com")).kind())
                    .isEqualTo(SendResult.Kind.DELIVERED);
        }
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(2);
        MimeMessage first = received[0];
        assertThat(first.getHeader("Message-ID")).containsExactly("<m-1@herald>");
        assertThat(first.getSubject()).isEqualTo("Spring sale for r-1");
        assertThat(first.getAllRecipients()).extracting(Object::toString).containsExactly("ada@example.com");
        assertThat(first.getFrom()).extracting(Object::toString).containsExactly("herald@example.com");
        assertThat(((String) first.getContent()).strip()).isEqualTo("Hello r-1");
    }

    @Test
    void htmlMakesAMultipartAlternative() throws Exception {
        MailMessage message = Messages.mail("m-3", "r-3", "cy@example.com");
        message.setHtml("<p>Hello r-3</p>");
        try (SmtpTransport smtp = transport(greenMail.getSmtp().getPort())) {
            assertThat(send(smtp, message).kind()).isEqualTo(SendResult.Kind.DELIVERED);
        }
        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertThat(received.getContentType()).startsWith("multipart/alternative");
        MimeMultipart parts = (MimeMultipart) received.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
    }

    @Test
    void anAddressThatIsNotOneIsRejectedTarget() throws Exception {
        try (SmtpTransport smtp = transport(greenMail.getSmtp().getPort())) {
            SendResult result = send(smtp, Messages.mail("m-4", "r-4", "not an address"));
            assertThat(result.kind()).isEqualTo(SendResult.Kind.REJECTED_TARGET);
        }
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void aServerThatIsDownIsTransient() throws Exception {
        int port = greenMail.getSmtp().getPort();
        greenMail.stop();
        try (SmtpTransport smtp = transport(port)) {
            SendResult result = send(smtp, Messages.mail("m-5", "r-5", "ada@example.com"));
            assertThat(result.kind()).isEqualTo(SendResult.Kind.TRANSIENT);
            assertThat(result.providerCode()).isEqualTo("connection");
        }
    }

    @Test
    void theConnectionComesBackAfterTheServerDoes() throws Exception {
        int port = greenMail.getSmtp().getPort();
        try (SmtpTransport smtp = new SmtpTransport(new SmtpTransport.Settings("127.0.0.1", port, null, null, false,
                "herald@example.com", 1, Duration.ofSeconds(5)))) {
            assertThat(send(smtp, Messages.mail("m-6", "r-6", "ada@example.com")).kind())
                    .isEqualTo(SendResult.Kind.DELIVERED);
            greenMail.stop();
            assertThat(send(smtp, Messages.mail("m-7", "r-7", "ada@example.com")).kind())
                    .isEqualTo(SendResult.Kind.TRANSIENT);
            greenMail = new GreenMail(ServerSetupTest.SMTP.port(port));
            greenMail.start();
            assertThat(send(smtp, Messages.mail("m-8", "r-8", "ada@example.com")).kind())
                    .isEqualTo(SendResult.Kind.DELIVERED);
        }
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void smtpRepliesAreClassifiedByCode() throws Exception {
        try (FakeSmtpServer fake = new FakeSmtpServer(); SmtpTransport smtp = transport(fake.port())) {
            fake.rcptReplies.put("gone@example.com", "550 5.1.1 no such user");
            fake.rcptReplies.put("moved@example.com", "551 5.1.6 user not local");
            fake.rcptReplies.put("busy@example.com", "450 4.2.1 mailbox busy");
            fake.rcptReplies.put("policy@example.com", "554 5.7.1 relay denied");
            fake.dataReplies.put("greylist@example.com", "451 4.7.1 try again later");
            fake.dataReplies.put("spam@example.com", "554 5.7.1 looks like spam");

            assertThat(send(smtp, Messages.mail("a", "r", "ok@example.com")).kind())
                    .isEqualTo(SendResult.Kind.DELIVERED);
            SendResult gone = send(smtp, Messages.mail("b", "r", "gone@example.com"));
            assertThat(gone.kind()).isEqualTo(SendResult.Kind.REJECTED_TARGET);
            assertThat(gone.providerCode()).isEqualTo("550");
            assertThat(send(smtp, Messages.mail("c", "r", "moved@example.com")).kind())
                    .isEqualTo(SendResult.Kind.REJECTED_TARGET);
            SendResult busy = send(smtp, Messages.mail("d", "r", "busy@example.com"));
            assertThat(busy.kind()).isEqualTo(SendResult.Kind.TRANSIENT);
            assertThat(busy.providerCode()).isEqualTo("450");
            assertThat(send(smtp, Messages.mail("e", "r", "policy@example.com")).kind())
                    .isEqualTo(SendResult.Kind.PERMANENT);
            SendResult greylist = send(smtp, Messages.mail("f", "r", "greylist@example.com"));
            assertThat(greylist.kind()).isEqualTo(SendResult.Kind.TRANSIENT);
            assertThat(greylist.providerCode()).isEqualTo("451");
            SendResult spam = send(smtp, Messages.mail("g", "r", "spam@example.com"));
            assertThat(spam.kind()).isEqualTo(SendResult.Kind.PERMANENT);
            assertThat(spam.providerCode()).isEqualTo("554");
            assertThat(send(smtp, Messages.mail("h", "r", "ok@example.com")).kind())
                    .isEqualTo(SendResult.Kind.DELIVERED);
        }
    }

    @Test
    void aPortNobodyListensOnIsTransient() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (SmtpTransport smtp = transport(port)) {
            assertThat(send(smtp, Messages.mail("m", "r", "ada@example.com")).kind())
                    .isEqualTo(SendResult.Kind.TRANSIENT);
        }
    }
}
