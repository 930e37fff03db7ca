package io.siplb.route;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ViaBranchTest {

    private final ViaBranch branches = new ViaBranch(RouterFixture.SECRET);

    private String branch(String transaction, String host, int port, long connectionId) {
        return branches.branch(branches.transactionHasher().putString(transaction).hash(), host, port, connectionId);
    }

    @Test
    void startsWithTheMagicCookieAndOurMarker() {
        assertThat(branch("z9hG4bK74bf9", "198.51.100.7", 40312, 0)).startsWith("z9hG4bKsl");
    }

    @Test
    void isTheSameForTheSameTransactionAndNextHop() {
        assertThat(branch("t1", "198.51.100.7", 40312, 0)).isEqualTo(branch("t1", "198.51.100.7", 40312, 0));
    }

    @Test
    void verifiesAgainstTheNextHopItWasMadeFor() {
        String b = branch("t1", "198.51.100.7", 40312, 0);
        assertThat(branches.verify(b, "198.51.100.7", 40312)).isZero();
        assertThat(branches.verify(b, "198.51.100.8", 40312)).isEqualTo(-1);
        assertThat(branches.verify(b, "198.51.100.7", 40313)).isEqualTo(-1);
    }

    @Test
    void carriesTheClientsConnectionId() {
        String b = branch("t1", "198.51.100.7", 40312, 123_456_789L);
        assertThat(branches.verify(b, "198.51.100.7", 40312)).isEqualTo(123_456_789L);
    }

    @Test
    void refusesABranchWhoseConnectionIdWasChanged() {
        String b = branch("t1", "198.51.100.7", 40312, 17);
        String other = b.substring(0, b.lastIndexOf('.') + 1) + Long.toString(18, 36);
        assertThat(branches.verify(other, "198.51.100.7", 40312)).isEqualTo(-1);
    }

    @Test
    void refusesABranchMadeWithAnotherSecret() {
        ViaBranch other = new ViaBranch("another secret of 32 bytes......".getBytes(StandardCharsets.US_ASCII));
        String b = other.branch(other.transactionHasher().putInt(1).hash(), "198.51.100.7", 40312, 0);
        assertThat(branches.verify(b, "198.51.100.7", 40312)).isEqualTo(-1);
    }

    @Test
    void refusesBranchesThatAreNotOurs() {
        assertThat(branches.verify("z9hG4bK74bf9", "198.51.100.7", 40312)).isEqualTo(-1);
        assertThat(branches.verify(null, "198.51.100.7", 40312)).isEqualTo(-1);
        assertThat(branches.verify("z9hG4bKsl!!!!!!!!!!!!!!!!!!!!", "198.51.100.7", 40312)).isEqualTo(-1);
    }

    /**
     * Branches in flight when a node is upgraded, and the two nodes of a pair during a rolling
     * upgrade, must agree: these were made by the Guava-hasher implementation (before the
     * allocation-free one), with the fixture's secret.
     */
    @Test
    void makesTheSameBranchesAsEarlierVersions() {
        assertThat(branches.branch(branches.transaction("z9hG4bK74bf9", "192.168.1.20", 5060), "198.51.100.7", 40312, 0))
                .isEqualTo("z9hG4bKslWC5-Y5ZTz7MSLhO2OgB");
        assertThat(branches.branch(branches.transaction("z9hG4bK74bf9", "192.168.1.20", -1), "2001:db8::7", 5061,
                123_456_789L)).isEqualTo("z9hG4bKslThLELkCtoCYi6mnl5rX.21i3v9");
        assertThat(branches.replicaBranch(branches.transaction("z9hG4bKnashds7", "192.168.1.30", 5060), "203.0.113.7",
                40123, 0)).isEqualTo("z9hG4bKsrb8R0Bfr7hjwfKgtKZgA");
        assertThat(branches.branch(branches.transaction("t\u00e9st\u20ac", "h\uD83D\uDE00", 7), "198.51.100.7", 1, 0))
                .isEqualTo("z9hG4bKslrvwGwKBMpYo-CCBa-hx");
    }

    @Test
    void appendsTheSameBranchItReturns() {
        long t = branches.transaction("z9hG4bK74bf9", "192.168.1.20", 5060);
        StringBuilder sb = new StringBuilder("x");
        branches.appendBranch(sb, t, "198.51.100.7", 40312, 77, false);
        assertThat(sb.toString()).isEqualTo("x" + branches.branch(t, "198.51.100.7", 40312, 77));
    }
}
