package dev.herald.query;

/** The HTTP paths, shared by the routes HttpApi serves and the requests forwarded to other instances. */
public final class ApiPaths {
    public static final String CAMPAIGNS = "/api/campaigns";
    public static final String CAMPAIGN = "/api/campaigns/{id}";
    public static final String CAMPAIGN_SUMMARY = "/api/campaigns/{id}/summary";
    public static final String CAMPAIGN_RUNS = "/api/campaigns/{id}/runs";
    public static final String RUN = "/api/runs/{runId}";
    public static final String SUMMARY = "/api/summary";
    public static final String INSTANCES = "/api/instances";
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    public static final String METRICS = "/metrics";

    private ApiPaths() {
    }

    // Unencoded: Peers builds URIs with the multi-argument URI constructor, which quotes what needs quoting.
    public static String campaign(String id) {
        return "/api/campaigns/" + id;
    }

    public static String campaignSummary(String id) {
        return campaign(id) + "/summary";
    }

    public static String campaignRuns(String id) {
        return campaign(id) + "/runs";
    }

    public static String run(String runId) {
        return "/api/runs/" + runId;
    }
}
