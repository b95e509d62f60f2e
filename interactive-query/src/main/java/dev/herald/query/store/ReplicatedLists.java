package dev.herald.query.store;

import dev.herald.query.model.CampaignItem;
import dev.herald.query.model.RunProgress;
import java.util.List;
import java.util.OptionalLong;

/**
 * The campaign list and the run index as every instance keeps them whole, so that a list can be answered without
 * asking the other instances. Like a standby replica it trails the owners' stores: by what they have not yet
 * flushed to their changelogs, plus {@link #lag()} records it has not read yet.
 */
public interface ReplicatedLists {

    /** No replica: every list is gathered from the instances that own its parts. */
    ReplicatedLists NONE = new ReplicatedLists() {
        @Override
        public OptionalLong lag() {
            return OptionalLong.empty();
        }

        @Override
        public List<CampaignItem> campaigns() {
            return List.of();
        }

        @Override
        public boolean hasCampaign(String campaignId) {
            return false;
        }

        @Override
        public List<RunProgress> runs(String campaignId) {
            return List.of();
        }
    };

    /**
     * How many records the replica has still to read, summed over its changelog partitions; empty while it cannot
     * tell (before it has fetched from every partition, or when it has lost touch with the brokers); then it must
     * not answer.
     */
    OptionalLong lag();

    /** Every campaign, sorted by id, as /api/campaigns lists them. */
    List<CampaignItem> campaigns();

    /** Whether the campaign is defined (an empty run list of an unknown campaign is a 404). */
    boolean hasCampaign(String campaignId);

    /** The campaign's runs in run order, as /api/campaigns/{id}/runs lists them. */
    List<RunProgress> runs(String campaignId);
}
