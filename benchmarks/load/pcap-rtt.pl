#!/usr/bin/perl
# pcap-rtt.pl UAC_PORT < capture.pcap
#
# Response times from a classic pcap (dumpcap -P) of the UAC's traffic through
# the LB: for every Call-ID, the time from the UAC's first INVITE or REGISTER to
# the first "SIP/2.0 200" for that method sent to the UAC. Prints one time per
# line in microseconds. Loopback packets are stamped when their sender hands them
# to the device, so this is the time spent in LB + backend + LB.
#
# Plain Perl (perl-base is part of every Debian system): tshark's SIP dissector
# needs minutes for 100,000 packets, this takes about a second.
use strict;
use warnings;

my $uac = shift @ARGV or die "usage: pcap-rtt.pl UAC_PORT < file.pcap\n";
binmode STDIN;
my $hdr;
read(STDIN, $hdr, 24) == 24 or exit 0;
my $magic_le = unpack('V', $hdr);
my ($le, $nano);
if    ($magic_le == 0xa1b2c3d4) { ($le, $nano) = (1, 0) }
elsif ($magic_le == 0xa1b23c4d) { ($le, $nano) = (1, 1) }
else {
    my $magic_be = unpack('N', $hdr);
    if    ($magic_be == 0xa1b2c3d4) { ($le, $nano) = (0, 0) }
    elsif ($magic_be == 0xa1b23c4d) { ($le, $nano) = (0, 1) }
    else  { die "pcap-rtt.pl: not a classic pcap file (use dumpcap -P)\n" }
}
my $u32 = $le ? 'V' : 'N';
my $linktype = unpack($u32, substr($hdr, 20, 4));
# bytes before the IP header
my %l2 = (1 => 14, 113 => 16, 276 => 20, 0 => 4, 101 => 0, 12 => 0);
exists $l2{$linktype} or die "pcap-rtt.pl: link type $linktype not supported\n";
my $l2len = $l2{$linktype};

my (%sent, %done);
my $rec;
while (read(STDIN, $rec, 16) == 16) {
    my ($sec, $frac, $incl) = unpack("$u32$u32$u32", $rec);
    my $pkt;
    read(STDIN, $pkt, $incl) == $incl or last;
    my $t = $sec * 1e6 + ($nano ? $frac / 1000 : $frac);
    next if length($pkt) < $l2len + 28;
    my $ip = $l2len;
    my $ver = ord(substr($pkt, $ip, 1)) >> 4;
    my ($udp, $proto);
    if ($ver == 4) {
        $proto = ord(substr($pkt, $ip + 9, 1));
        $udp = $ip + (ord(substr($pkt, $ip, 1)) & 0x0f) * 4;
    } elsif ($ver == 6) {
        $proto = ord(substr($pkt, $ip + 6, 1));
        $udp = $ip + 40;
    } else { next }
    next unless $proto == 17;
    my ($sport, $dport) = unpack('nn', substr($pkt, $udp, 4));
    my $sip = substr($pkt, $udp + 8);
    my ($callid) = $sip =~ /\r\n(?:Call-ID|i)[ \t]*:[ \t]*([^\r\n]+)/i;
    next unless defined $callid;
    if ($sport == $uac && $sip =~ /^(INVITE|REGISTER) /) {
        $sent{"$1 $callid"} //= $t;
    } elsif ($dport == $uac && $sip =~ /^SIP\/2\.0 200 /) {
        my ($method) = $sip =~ /\r\nCSeq[ \t]*:[ \t]*\d+[ \t]+([A-Z]+)/i;
        next unless defined $method;
        my $k = "$method $callid";
        if (exists $sent{$k} && !$done{$k}++) {
            printf "%.1f\n", $t - $sent{$k};
        }
    }
}
