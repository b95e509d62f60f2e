package dev.herald.query.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Counts of both channels plus the tally of non-success reasons, summed over some windows or campaigns. */
public record Totals(ChannelTotals push, ChannelTotals mail, Map<String, Long> reasons) {
    public static final Totals ZERO = new Totals(ChannelTotals.ZERO, ChannelTotals.ZERO, Map.of());

    public Totals {
        reasons = Collections.unmodifiableMap(new TreeMap<>(reasons));
    }

    public Totals plus(ChannelTotals morePush, ChannelTotals moreMail, Map<String, Long> moreReasons) {
        return new Totals(push.plus(morePush), mail.plus(moreMail), sum(reasons, moreReasons));
    }

    /** Reason tallies added key by key, sorted so answers are stable. */
    static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> sum = new TreeMap<>(a);
        b.forEach((reason, n) -> sum.merge(reason, n, Long::sum));
        return sum;
    }
}
