package dev.herald.sender;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scripted SMTP server for the replies GreenMail never gives: RCPT TO for an address in {@code rcptReplies} gets
 * that reply (such as {@code 550 5.1.1 no such user}); a message whose recipient is in {@code dataReplies} gets that
 * reply after DATA. Everything else is accepted and dropped.
 */
final class FakeSmtpServer implements AutoCloseable {
    final Map<String, String> rcptReplies = new ConcurrentHashMap<>();
    final Map<String, String> dataReplies = new ConcurrentHashMap<>();
    private final ServerSocket server;

    FakeSmtpServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "fake-smtp");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread t = new Thread(() -> serve(socket), "fake-smtp-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket;
             BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
             PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.US_ASCII)) {
            reply(out, "220 fake ESMTP");
            String rcpt = null;
            String line;
            while ((line = in.readLine()) != null) {
                String upper = line.toUpperCase();
                if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
                    reply(out, "250 fake");
                } else if (upper.startsWith("MAIL")) {
                    rcpt = null;
                    reply(out, "250 OK");
                } else if (upper.startsWith("RCPT")) {
                    String address = line.substring(line.indexOf('<') + 1, line.indexOf('>'));
                    String r = rcptReplies.get(address);
                    if (r == null) {
                        rcpt = address;
                    }
                    reply(out, r == null ? "250 OK" : r);
                } else if (upper.startsWith("DATA")) {
                    reply(out, "354 go ahead");
                    while ((line = in.readLine()) != null && !line.equals(".")) {
                        // the message, dropped
                    }
                    String r = rcpt == null ? null : dataReplies.get(rcpt);
                    reply(out, r == null ? "250 OK queued" : r);
                } else if (upper.startsWith("QUIT")) {
                    reply(out, "221 bye");
                    return;
                } else {
                    reply(out, "250 OK");
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // the client went away
        }
    }

    private static void reply(PrintWriter out, String line) {
        out.print(line + "\r\n");
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
