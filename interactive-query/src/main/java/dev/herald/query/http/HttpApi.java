package dev.herald.query.http;

import dev.herald.query.ApiPaths;
import dev.herald.query.HeraldQueryService;
import dev.herald.query.model.Answer;
import dev.herald.query.model.Answer.Found;
import dev.herald.query.model.Answer.NotFound;
import dev.herald.query.model.Answer.ServiceUnavailable;
import dev.herald.query.model.GatheredAnswer;
import dev.herald.query.model.Granularity;
import dev.herald.query.model.Json;
import dev.herald.query.model.Keyed;
import dev.herald.query.model.Relayed;
import dev.herald.query.model.Served;
import dev.herald.query.routing.ApiToken;
import dev.herald.query.routing.ForwardedHeader;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.eclipse.jetty.server.Connector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Herald's HTTP API on Javalin: handlers parse and validate, ask HeraldQueryService, and serialize its answer. */
public final class HttpApi implements AutoCloseable {
    static final String JSON = "application/json";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** Seconds a client should wait before retrying a 503: rebalances usually settle within a few. */
    static final String RETRY_AFTER_SECONDS = "1";
    /** The meter counting accepted connections ({@code herald_http_connections_opened_total} on /metrics). */
    public static final String CONNECTIONS_OPENED = "herald.http.connections.opened";

    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    /** Null between {@link #bind} and {@link #attach}: the instance is starting and answers 503. */
    private volatile HeraldQueryService service;
    private final PrometheusMeterRegistry metrics;
    private final Access access;
    private final Duration summaryRetention;
    private final Clock clock;
    private final Json json = new Json();
    private final OpenApi openApi = new OpenApi();
    private final Dashboard dashboard = new Dashboard();
    private final Javalin app;
    private final ConnectionCounter connections = new ConnectionCounter();

    /**
     * Who may call the API: with a token, every {@code /api} route (and {@code /metrics} if {@code metrics}) needs
     * {@code Authorization: Bearer <token>}; health endpoints stay open for orchestrators.
     */
    public record Access(ApiToken token, boolean metrics) {
        public static final Access OPEN = new Access(ApiToken.NONE, false);

        public Access {
            Objects.requireNonNull(token, "token");
        }
    }

    private HttpApi(PrometheusMeterRegistry metrics, Access access, Duration summaryRetention, Clock clock) {
        this.access = Objects.requireNonNull(access, "access");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.summaryRetention = Objects.requireNonNull(summaryRetention, "summaryRetention");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.http.defaultContentType = JSON;
            config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
            config.staticFiles.enableWebjars();
        });
        routes();
    }

    /**
     * Starts serving on {@code bindHost:port} (port 0: any free port, see {@link #port()}).
     *
     * @param summaryRetention how far back summaries can be asked for (the topology's summary retention)
     * @param clock            what "now" is for default and retention-checked ranges
     */
    public static HttpApi start(String bindHost, int port, HeraldQueryService service,
            PrometheusMeterRegistry metrics, Duration summaryRetention, Clock clock) {
        HttpApi api = bind(bindHost, port, metrics, Access.OPEN, summaryRetention, clock);
        api.attach(service);
        return api;
    }

    /**
     * Starts serving before there is anything to query, so an instance can learn the port it was given (port 0)
     * and advertise it to Kafka Streams; until {@link #attach} every route but liveness and metrics answers 503.
     */
    public static HttpApi bind(String bindHost, int port, PrometheusMeterRegistry metrics, Access access,
            Duration summaryRetention, Clock clock) {
        HttpApi api = new HttpApi(metrics, access, summaryRetention, clock);
        api.app.start(bindHost, port);
        for (Connector connector : api.app.jettyServer().server().getConnectors()) {
            connector.addEventListener(api.connections);
        }
        FunctionCounter.builder(CONNECTIONS_OPENED, api.connections, ConnectionCounter::opened)
                .description("TCP connections accepted by the HTTP API; far fewer than requests when clients and "
                        + "other instances keep their connections alive")
                .register(metrics);
        return api;
    }

    /** Starts answering from {@code service}; it is closed with this API. */
    public void attach(HeraldQueryService service) {
        if (this.service != null) {
            throw new IllegalStateException("a query service is already attached");
        }
        this.service = Objects.requireNonNull(service, "service");
    }

    /** The port actually bound. */
    public int port() {
        return app.port();
    }

    /** Stops serving, then closes the service (its connections to other instances) it was started with. */
    @Override
    public void close() {
        app.stop();
        HeraldQueryService attached = service;
        if (attached != null) {
            attached.close();
        }
    }

    private void routes() {
        app.before(ctx -> {
            if (needsToken(ctx.path()) && !access.token().admits(ctx.header("Authorization"))) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"herald\"");
                problem(ctx, 401, Problem.UNAUTHORIZED, "Unauthorized", ctx.header("Authorization") == null
                        ? "this API needs 'Authorization: Bearer <token>'" : "the bearer token is not valid");
                ctx.skipRemainingHandlers();
                return;
            }
            if (service == null && ctx.path().startsWith("/api/")) {
                unavailable(ctx, "instance is starting");
                ctx.skipRemainingHandlers();
            }
        });
        app.get(ApiPaths.CAMPAIGNS, ctx -> gathered(ctx, service.campaigns(forwarded(ctx), maxLag(ctx))));
        app.get(ApiPaths.CAMPAIGN, ctx -> keyed(ctx, service.campaign(ctx.pathParam("id"), forwarded(ctx), maxLag(ctx))));
        app.get(ApiPaths.CAMPAIGN_SUMMARY, ctx -> {
            Granularity window = window(ctx.queryParam("window"));
            TimeRange range = range(ctx);
            keyed(ctx, service.campaignSummary(ctx.pathParam("id"), window, range.from(), range.to(),
                    forwarded(ctx), maxLag(ctx)), range.retainedFrom());
        });
        app.get(ApiPaths.CAMPAIGN_RUNS, ctx -> gathered(ctx, service.runs(ctx.pathParam("id"), forwarded(ctx),
                maxLag(ctx))));
        app.get(ApiPaths.RUN, ctx -> keyed(ctx, service.run(ctx.pathParam("runId"), forwarded(ctx), maxLag(ctx))));
        app.get(ApiPaths.SUMMARY, ctx -> {
            TimeRange range = range(ctx);
            gathered(ctx, service.summary(range.from(), range.to(), forwarded(ctx)), range.retainedFrom());
        });
        app.get(ApiPaths.INSTANCES, ctx -> ok(ctx, json.write(service.instances())));
        app.get(ApiPaths.LIVE, ctx -> {
            if (service == null || service.alive()) {
                ok(ctx, json.write(Map.of("status", "UP")));
            } else {
                problem(ctx, 503, Problem.UNAVAILABLE, "Service Unavailable",
                        "instance " + service.self() + " is " + service.state() + " and will not recover");
            }
        });
        app.get(ApiPaths.READY, ctx -> {
            if (service == null) {
                unavailable(ctx, "instance is starting");
            } else if (service.ready()) {
                ok(ctx, json.write(Map.of("status", "UP", "state", service.state())));
            } else {
                unavailable(ctx, "instance " + service.self() + " is " + service.state());
            }
        });
        app.get(Dashboard.PAGE, ctx -> ctx.status(200).contentType("text/html; charset=utf-8").result(dashboard.html));
        app.get(Dashboard.SCRIPT, ctx -> ctx.status(200).contentType("text/javascript; charset=utf-8")
                .result(dashboard.script));
        app.get(OpenApi.DOCUMENT, ctx -> ok(ctx, openApi.json()));
        app.get(OpenApi.PAGE, ctx -> ctx.status(200).contentType("text/html; charset=utf-8")
                .result(OpenApi.PAGE_HTML));
        app.get(ApiPaths.METRICS, ctx -> ctx.status(200).contentType(PROMETHEUS_TEXT).result(metrics.scrape()));

        app.exception(BadRequestException.class, (e, ctx) ->
                problem(ctx, 400, Problem.INVALID_PARAMETER, "Bad Request", e.getMessage()));
        // Normally turned into an Answer by the service; this catches any that slip past it.
        app.exception(InvalidStateStoreException.class, (e, ctx) ->
                unavailable(ctx, "stores cannot be queried now: " + e.getMessage()));
        // Javalin's own errors, e.g. the 404 for a path no route matches.
        app.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            problem(ctx, status, status == 404 ? Problem.NOT_FOUND : "about:blank", reason(status),
                    status == 404 ? "no resource at " + ctx.method() + " " + ctx.path() : e.getMessage());
        });
        app.exception(Exception.class, (e, ctx) -> {
            log.error("Unexpected error answering {} {}", ctx.method(), ctx.path(), e);
            // No stack trace or exception message: they may reveal internals.
            problem(ctx, 500, Problem.INTERNAL, "Internal Server Error", "an unexpected error occurred");
        });
    }

    private boolean needsToken(String path) {
        return access.token().required()
                && (path.startsWith("/api/") || path.equals("/api") || (access.metrics() && path.equals(ApiPaths.METRICS)));
    }

    private static boolean forwarded(Context ctx) {
        return ctx.header(ForwardedHeader.NAME) != null;
    }

    /** How many records behind a replica may be for the request to accept its answer; empty: not at all. */
    private static OptionalLong maxLag(Context ctx) {
        String param = ctx.queryParam("maxLag");
        if (param == null || param.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            long maxLag = Long.parseLong(param.trim());
            if (maxLag >= 0) {
                return OptionalLong.of(maxLag);
            }
        } catch (NumberFormatException e) {
            // Reported below, like a negative number.
        }
        throw new BadRequestException("query parameter 'maxLag' must be a number of records, 0 or more (was '"
                + param + "')");
    }

    private static Granularity window(String param) {
        if (param == null || param.isBlank()) {
            return Granularity.HOUR;
        }
        return Granularity.parse(param).orElseThrow(() -> new BadRequestException(
                "query parameter 'window' must be 1m or 1h (was '" + param + "')"));
    }

    private TimeRange range(Context ctx) {
        return TimeRange.parse(ctx.queryParam("from"), ctx.queryParam("to"), clock.instant(), summaryRetention,
                !forwarded(ctx));
    }

    /**
     * A keyed answer's body is one object: the value's own fields plus the servedBy of the instance it came from;
     * an owner's relayed answer is that object already.
     */
    private <T> void keyed(Context ctx, CompletableFuture<Answer<Keyed<T>>> answer) throws Exception {
        keyed(ctx, answer, null);
    }

    /** As {@link #keyed(Context, CompletableFuture)}, noting {@code retainedFrom} when the range was clamped. */
    private <T> void keyed(Context ctx, CompletableFuture<Answer<Keyed<T>>> answer, Instant retainedFrom)
            throws Exception {
        respond(ctx, answer, (c, keyed) -> {
            if (keyed instanceof Relayed<T> relayed) {
                send(c, 200, JSON, retained(relayed.body(), retainedFrom));
            } else {
                ok(c, retained(json.writeServed((Served<T>) keyed), retainedFrom));
            }
        });
    }

    /** A gathered answer's body is the value as it is: it carries its own servedBy list, missing and partial. */
    private <T extends GatheredAnswer> void gathered(Context ctx, CompletableFuture<Answer<T>> answer)
            throws Exception {
        gathered(ctx, answer, null);
    }

    private <T extends GatheredAnswer> void gathered(Context ctx, CompletableFuture<Answer<T>> answer,
            Instant retainedFrom) throws Exception {
        respond(ctx, answer, (c, value) -> ok(c, retained(json.write(value), retainedFrom)));
    }

    /**
     * The answer object with {@code "retainedFrom"} as its first field when the range was clamped. Only this
     * instance knows it clamped (a forwarded request carries the clamped range), and an owner's answer is relayed
     * byte for byte, so the note is put in front of the object rather than parsed into it.
     */
    static byte[] retained(byte[] body, Instant retainedFrom) {
        return retainedFrom == null ? body
                : retained(new String(body, StandardCharsets.UTF_8), retainedFrom).getBytes(StandardCharsets.UTF_8);
    }

    static String retained(String body, Instant retainedFrom) {
        if (retainedFrom == null) {
            return body;
        }
        int open = body.indexOf('{');
        String rest = body.substring(open + 1);
        return body.substring(0, open + 1) + "\"retainedFrom\":\"" + retainedFrom + "\""
                + (rest.stripLeading().startsWith("}") ? "" : ",") + rest;
    }

    /**
     * Answers now when the answer is there (read from local stores), else when it completes: the request then
     * goes asynchronous and no server thread waits for another instance.
     */
    private <T> void respond(Context ctx, CompletableFuture<Answer<T>> answer, BiConsumer<Context, T> ok)
            throws Exception {
        if (answer.isDone()) {
            reply(ctx, completed(answer), ok);
        } else {
            ctx.future(() -> answer.thenAccept(value -> reply(ctx, value, ok)));
        }
    }

    /** The value of a completed future, or what it failed with, for the exception handlers. */
    private static <T> T completed(CompletableFuture<T> done) throws Exception {
        try {
            return done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private <T> void reply(Context ctx, Answer<T> answer, BiConsumer<Context, T> ok) {
        if (answer instanceof Found<T> found) {
            ok.accept(ctx, found.value());
        } else if (answer instanceof NotFound<T> notFound) {
            problem(ctx, 404, Problem.NOT_FOUND, "Not Found", notFound.detail());
        } else {
            unavailable(ctx, ((ServiceUnavailable<T>) answer).detail());
        }
    }

    private static void ok(Context ctx, String body) {
        send(ctx, 200, JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes the body to the response as it is. {@code ctx.result(...)} would wrap it in a stream that Javalin copies
     * through a new buffer of Jetty's output buffer size (32 KiB) per request: two thirds of what a request allocated,
     * and so of how often the collector paused every request in flight.
     */
    private static void send(Context ctx, int status, String contentType, byte[] body) {
        ctx.status(status).contentType(contentType);
        try {
            ctx.outputStream().write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the response to " + ctx.method() + " " + ctx.path(), e);
        }
    }

    private void unavailable(Context ctx, String detail) {
        ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        problem(ctx, 503, Problem.UNAVAILABLE, "Service Unavailable", detail);
    }

    private void problem(Context ctx, int status, String type, String title, String detail) {
        send(ctx, status, Problem.CONTENT_TYPE,
                json.write(new Problem(type, title, status, detail, ctx.path())).getBytes(StandardCharsets.UTF_8));
    }

    private static String reason(int status) {
        HttpStatus known = HttpStatus.forStatus(status);
        return known == HttpStatus.UNKNOWN ? "Error" : known.getMessage();
    }
}
