package dev.herald.sender.push;

import dev.herald.avro.PushMessage;
import dev.herald.avro.PushPlatform;
import dev.herald.sender.SendResult;
import dev.herald.sender.Transport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class PushRouterTest {

    /** Records what it is given and answers DELIVERED with its name. */
    private static final class Recording implements Transport<PushMessage> {
        final String name;
        final List<String> sent = new CopyOnWriteArrayList<>();
        boolean closed;

        Recording(String name) {
            this.name = name;
        }

        @Override
        public CompletableFuture<SendResult> send(PushMessage message) {
            sent.add(message.getMessageId());
            return CompletableFuture.completedFuture(SendResult.delivered(name));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static PushMessage push(String id, PushPlatform platform) {
        return PushMessages.push(id, platform, "token-" + id);
    }

    @Test
    void iosGoesToApnsAndEveryOtherPlatformToFcm() {
        Recording apns = new Recording("apns");
        Recording fcm = new Recording("fcm");
        PushRouter router = new PushRouter(apns, fcm);

        assertThat(router.send(push("i", PushPlatform.IOS)).join().providerCode()).isEqualTo("apns");
        assertThat(router.send(push("a", PushPlatform.ANDROID)).join().providerCode()).isEqualTo("fcm");
        assertThat(router.send(push("w", PushPlatform.WEB)).join().providerCode()).isEqualTo("fcm");
        assertThat(router.send(push("o", PushPlatform.OTHER)).join().providerCode()).isEqualTo("fcm");

        assertThat(apns.sent).containsExactly("i");
        assertThat(fcm.sent).containsExactly("a", "w", "o");
    }

    @Test
    void aPlatformWithoutItsTransportIsPermanentWithAClearDetail() {
        Recording fcm = new Recording("fcm");
        PushRouter router = new PushRouter(null, fcm);

        SendResult result = router.send(push("i", PushPlatform.IOS)).join();

        assertThat(result.kind()).isEqualTo(SendResult.Kind.PERMANENT);
        assertThat(result.detail()).isEqualTo("no APNs transport configured for IOS push tokens");
        assertThat(new PushRouter(new Recording("apns"), null).send(push("a", PushPlatform.ANDROID)).join().detail())
                .isEqualTo("no FCM transport configured for ANDROID push tokens");
        assertThat(fcm.sent).isEmpty();
    }

    @Test
    void closingTheRouterClosesBothTransports() {
        Recording apns = new Recording("apns");
        Recording fcm = new Recording("fcm");

        new PushRouter(apns, fcm).close();

        assertThat(apns.closed).isTrue();
        assertThat(fcm.closed).isTrue();
    }
}
