package dev.herald.sender.push;

import dev.herald.avro.PushMessage;
import dev.herald.avro.PushPlatform;
import dev.herald.sender.SendResult;
import dev.herald.sender.Transport;

import java.util.concurrent.CompletableFuture;

/**
 * The push sender's one transport: hands each message to APNs or FCM by its token's platform.
 *
 * <table>
 *   <caption>Routing</caption>
 *   <tr><th>platform</th><th>transport</th></tr>
 *   <tr><td>IOS</td><td>APNs</td></tr>
 *   <tr><td>ANDROID, WEB, OTHER</td><td>FCM</td></tr>
 *   <tr><td>a platform whose transport is not configured</td><td>PERMANENT, providerCode null, detail naming the
 *       platform and the missing transport (the message is parked, not retried: configuration will not appear by
 *       itself)</td></tr>
 * </table>
 * The chosen transport's result is returned as is. Closing the router closes both transports.
 */
public final class PushRouter implements Transport<PushMessage> {

    private final Transport<PushMessage> apns;
    private final Transport<PushMessage> fcm;

    /**
     * @param apns the iOS transport ({@link ApnsTransport}), or null when APNs is not configured
     * @param fcm  the transport for every other platform ({@link FcmTransport}), or null when FCM is not configured
     */
    public PushRouter(Transport<PushMessage> apns, Transport<PushMessage> fcm) {
        this.apns = apns;
        this.fcm = fcm;
    }

    @Override
    public String name() {
        return "push";
    }

    @Override
    public CompletableFuture<SendResult> send(PushMessage message) {
        PushPlatform platform = message.getPlatform();
        boolean ios = platform == PushPlatform.IOS;
        Transport<PushMessage> transport = ios ? apns : fcm;
        if (transport == null) {
            return CompletableFuture.completedFuture(SendResult.permanent(null,
                    "no " + (ios ? "APNs" : "FCM") + " transport configured for " + platform + " push tokens"));
        }
        return transport.send(message);
    }

    @Override
    public void close() {
        try {
            if (apns != null) {
                apns.close();
            }
        } finally {
            if (fcm != null && fcm != apns) {
                fcm.close();
            }
        }
    }
}
