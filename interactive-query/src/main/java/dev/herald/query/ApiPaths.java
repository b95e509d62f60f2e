package dev.herald.query;

/** The HTTP paths, shared by the routes HttpApi serves and the requests HeraldQueryService forwards. */
final class ApiPaths {
    static final String CAMPAIGNS = "/api/campaigns";
    static final String CAMPAIGN = "/api/campaigns/{id}";
    static final String CAMPAIGN_SUMMARY = "/api/campaigns/{id}/summary";
    static final String CAMPAIGN_RUNS = "/api/campaigns/{id}/runs";
    static final String RUN = "/api/runs/{runId}";
    static final String SUMMARY = "/api/summary";
    static final String INSTANCES = "/api/instances";
    static final String LIVE = "/health/live";
    static final String READY = "/health/ready";
    static final String METRICS = "/metrics";

    private ApiPaths() {
    }

    // Unencoded: Peers builds URIs with the multi-argument URI constructor, which quotes what needs quoting.
    static String campaign(String id) {
        return "/api/campaigns/" + id;
    }

    static String campaignSummary(String id) {
        return campaign(id) + "/summary";
    }

    static String campaignRuns(String id) {
        return campaign(id) + "/runs";
    }

    static String run(String runId) {
        return "/api/runs/" + runId;
    }
}
