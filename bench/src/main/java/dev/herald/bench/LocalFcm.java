package dev.herald.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * A local FCM HTTP v1 endpoint for the sender case: HTTP/2 over TLS (ALPN {@code h2}, as Google serves it) on
 * Netty, so the figure is the sender's speed and not a slow fake's. It serves the OAuth token endpoint
 * ({@code POST /token}, one fixed access token) and {@code POST /v1/projects/{project}/messages:send}, which answers
 * 200 with a message name when the bearer is that token (401 otherwise) and records the request's
 * {@code herald_message_id}, so the case can count what arrived and whether anything arrived twice.
 */
final class LocalFcm implements AutoCloseable {
    static final String ACCESS_TOKEN = "bench-access-token";
    private static final byte[] TOKEN_ANSWER = ("{\"access_token\":\"" + ACCESS_TOKEN
            + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}").getBytes(StandardCharsets.UTF_8);
    private static final String ID_FIELD = "\"herald_message_id\":\"";

    private final Channel server;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Set<String> messageIds = ConcurrentHashMap.newKeySet();

    LocalFcm(X509Certificate certificate, PrivateKey key, EventLoopGroup group) throws SSLException,
            InterruptedException {
        SslContext tls = SslContextBuilder.forServer(key, certificate)
                .sslProvider(SslProvider.JDK)
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2))
                .build();
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()),
                                Http2FrameCodecBuilder.forServer()
                                        .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(1_000))
                                        .build(),
                                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                                    @Override
                                    protected void initChannel(Http2StreamChannel stream) {
                                        stream.pipeline().addLast(new Exchange());
                                    }
                                }));
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
    }

    /** {@code https://localhost:<port>}: the certificate names localhost. */
    URI baseUrl() {
        return URI.create("https://localhost:" + ((InetSocketAddress) server.localAddress()).getPort());
    }

    URI tokenUri() {
        return URI.create(baseUrl() + "/token");
    }

    /** Messages answered 200. */
    long accepted() {
        return accepted.get();
    }

    /** Sends answered 401 (a wrong or missing bearer). */
    long refused() {
        return refused.get();
    }

    /** Distinct message ids among the accepted messages. */
    long distinctMessages() {
        return messageIds.size();
    }

    void reset() {
        accepted.set(0);
        refused.set(0);
        messageIds.clear();
    }

    /** One request on one stream: headers, then the body's frames, answered once the body ended. */
    private final class Exchange extends SimpleChannelInboundHandler<Http2StreamFrame> {
        private Http2Headers request;
        private final StringBuilder body = new StringBuilder();

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
            if (frame instanceof Http2HeadersFrame headers) {
                request = headers.headers();
                if (headers.isEndStream()) {
                    answer(ctx);
                }
            } else if (frame instanceof Http2DataFrame data) {
                body.append(data.content().toString(StandardCharsets.UTF_8));
                if (data.isEndStream()) {
                    answer(ctx);
                }
            }
        }

        private void answer(ChannelHandlerContext ctx) {
            String path = String.valueOf(request.path());
            if (path.equals("/token")) {
                respond(ctx, "200", TOKEN_ANSWER);
            } else if (!path.endsWith("/messages:send")) {
                respond(ctx, "404", "{}".getBytes(StandardCharsets.UTF_8));
            } else if (!("Bearer " + ACCESS_TOKEN).contentEquals(String.valueOf(request.get("authorization")))) {
                refused.incrementAndGet();
                respond(ctx, "401", ("{\"error\":{\"code\":401,\"status\":\"UNAUTHENTICATED\"}}")
                        .getBytes(StandardCharsets.UTF_8));
            } else {
                long n = accepted.incrementAndGet();
                int at = body.indexOf(ID_FIELD);
                if (at >= 0) {
                    int from = at + ID_FIELD.length();
                    messageIds.add(body.substring(from, body.indexOf("\"", from)));
                }
                respond(ctx, "200", ("{\"name\":\"projects/bench/messages/" + n + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }

        private void respond(ChannelHandlerContext ctx, String status, byte[] json) {
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status(status)
                    .add("content-type", "application/json; charset=UTF-8")));
            ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(json), true));
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
    }
}
