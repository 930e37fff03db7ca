package io.siplb.route;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

/**
 * Send a REGISTER to its home proxy and a marked copy to the AOR's second choice (DESIGN
 * "Home-proxy failure without losing reachability"): the second choice then already knows the
 * user, with the same Path, when it has to take over. The replica's response comes back with a
 * replica branch ({@link ViaBranch#isReplica}) and ends at siplb ({@link DropReason#REPLICA_RESPONSE}).
 *
 * <p>Each part is spliced and sent on its own; the two share the received bytes, which the
 * pipeline releases after both splices.
 *
 * @param primary the REGISTER to the home proxy, exactly as it goes without replication
 * @param replica the copy to the second choice: its own Via branch and the replica marker header
 */
public record Replicate(Forward primary, Forward replica) implements Decision {
    public Replicate {
        requireNonNull(primary, "primary");
        requireNonNull(replica, "replica");
        checkArgument(replica.backendId() != null && !replica.backendId().equals(primary.backendId()),
                "replica: %s (expected: a backend other than the primary's %s)", replica.backendId(),
                primary.backendId());
    }
}
