package dev.townhall.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Both directions of sync with one peer: {@code pull} (its changes applied here) and {@code push} (ours there). A
 * peer that cannot be reached shows what this side knows (the pull flow's progress lives here) and why.
 */
public record PeerStatus(String peer, Flow pull, Flow push, Optional<String> unreachable) {
    /**
     * @param queued      changes past the cursor not yet applied; empty when the source cannot be asked
     * @param inFlight    changes committed behind a transaction still running on the source: read once it ends
     * @param lag         age of the oldest queued change
     * @param parked      changes set aside (see {@code sync.parked_changes} on the applying side); empty when that
     *                    side cannot be asked
     */
    public record Flow(OptionalLong queued, OptionalLong inFlight, Optional<Instant> lastSuccess,
                       Optional<Duration> lag, Optional<String> lastError, OptionalLong parked) {
        static final Flow UNKNOWN = new Flow(OptionalLong.empty(), OptionalLong.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), OptionalLong.empty());
    }
}
