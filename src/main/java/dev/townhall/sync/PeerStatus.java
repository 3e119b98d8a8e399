package dev.townhall.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Both directions of sync with one peer: {@code pull} (its changes applied here) and {@code push} (ours there). */
public record PeerStatus(String peer, Flow pull, Flow push) {
    /**
     * @param queued      changes past the cursor not yet applied
     * @param lag         age of the oldest queued change
     * @param parked      changes set aside (see {@code sync.parked_changes} on the applying side)
     */
    public record Flow(long queued, Optional<Instant> lastSuccess, Optional<Duration> lag, Optional<String> lastError,
                       long parked) {
    }
}
