package io.siplb.route;

import com.google.common.hash.Hasher;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ViaBranchTest {

    private final ViaBranch branches = new ViaBranch(RouterFixture.SECRET);

    private String branch(String transaction, String host, int port, long connectionId) {
        Hasher h = branches.newTransactionHasher().putString(transaction, StandardCharsets.UTF_8);
        return branches.branch(h, host, port, connectionId);
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
        String b = other.branch(other.newTransactionHasher().putInt(1), "198.51.100.7", 40312, 0);
        assertThat(branches.verify(b, "198.51.100.7", 40312)).isEqualTo(-1);
    }

    @Test
    void refusesBranchesThatAreNotOurs() {
        assertThat(branches.verify("z9hG4bK74bf9", "198.51.100.7", 40312)).isEqualTo(-1);
        assertThat(branches.verify(null, "198.51.100.7", 40312)).isEqualTo(-1);
        assertThat(branches.verify("z9hG4bKsl!!!!!!!!!!!!!!!!!!!!", "198.51.100.7", 40312)).isEqualTo(-1);
    }
}
