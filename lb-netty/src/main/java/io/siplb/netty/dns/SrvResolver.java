package io.siplb.netty.dns;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.siplb.config.DnsConfig;
import io.siplb.config.HostPort;
import io.siplb.netty.Transports;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Asks DNS for an SRV record and its targets' A and AAAA records with Netty's resolver, on one
 * event loop of its own (never a SIP loop). Caches are off: every refresh asks the servers, and
 * the TTLs in the answers decide when the next refresh happens.
 *
 * <p>Not thread-safe: call {@link #resolve} on the loop; its future completes there.
 */
public final class SrvResolver implements AutoCloseable {

    private final EventLoop loop;
    private final DnsNameResolver resolver;

    /** A resolver for {@code config}'s servers (or the system's) on {@code loop}. */
    public SrvResolver(EventLoop loop, DnsConfig config) {
        this.loop = requireNonNull(loop, "loop");
        DnsNameResolverBuilder builder = new DnsNameResolverBuilder(loop)
                .datagramChannelType(Transports.epoll() ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .resolveCache(NoopDnsCache.INSTANCE)
                .cnameCache(NoopDnsCnameCache.INSTANCE)
                .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
                .queryTimeoutMillis(config.timeout().toMillis())
                .searchDomains(List.of()) // configured names are absolute
                .ndots(1)
                .recursionDesired(true);
        if (!config.servers().isEmpty()) {
            List<InetSocketAddress> servers = new ArrayList<>();
            for (HostPort s : config.servers()) {
                servers.add(new InetSocketAddress(s.host(), s.port()));
            }
            builder.nameServerProvider(new SequentialDnsServerAddressStreamProvider(servers));
        } else {
            builder.nameServerProvider(DnsServerAddressStreamProviders.platformDefault());
        }
        this.resolver = builder.build();
    }

    /**
     * What one SRV lookup found.
     *
     * @param records    the SRV records
     * @param addresses  target → its addresses (A, then AAAA); targets that did not resolve are absent
     * @param ttlSeconds the smallest TTL of the records used (SRV and the addresses)
     * @param unresolved targets without an address, for the log
     */
    public record Answer(List<SrvRecord> records, Map<String, List<InetAddress>> addresses, long ttlSeconds,
                         List<String> unresolved) {}

    /**
     * Looks {@code name} up; fails when the SRV query fails or finds no record (NXDOMAIN, no
     * data, timeout: to the caller all mean "keep what you had").
     */
    public Future<Answer> resolve(String name) {
        Promise<Answer> promise = loop.newPromise();
        resolver.resolveAll(new DefaultDnsQuestion(name, DnsRecordType.SRV)).addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
                return;
            }
            @SuppressWarnings("unchecked")
            List<DnsRecord> found = (List<DnsRecord>) f.getNow();
            List<SrvRecord> records;
            try {
                records = srvRecords(found);
            } catch (RuntimeException e) {
                promise.tryFailure(e);
                return;
            } finally {
                release(found);
            }
            if (records.isEmpty()) {
                promise.tryFailure(new UnknownHostException("no SRV record for " + name));
                return;
            }
            resolveTargets(records, promise);
        });
        return promise;
    }

    private void resolveTargets(List<SrvRecord> records, Promise<Answer> promise) {
        long ttl = Long.MAX_VALUE;
        Set<String> targets = new LinkedHashSet<>();
        for (SrvRecord r : records) {
            ttl = Math.min(ttl, r.ttlSeconds());
            if (!r.target().isEmpty() && r.port() != 0) {
                targets.add(r.target());
            }
        }
        Map<String, List<InetAddress>> addresses = new LinkedHashMap<>();
        List<String> unresolved = new ArrayList<>();
        long[] minTtl = {ttl};
        int[] pending = {targets.size() * 2};
        Map<String, List<InetAddress>> v4 = new LinkedHashMap<>();
        Map<String, List<InetAddress>> v6 = new LinkedHashMap<>();
        if (targets.isEmpty()) {
            promise.trySuccess(new Answer(records, addresses, ttl, unresolved));
            return;
        }
        for (String target : targets) {
            for (DnsRecordType type : List.of(DnsRecordType.A, DnsRecordType.AAAA)) {
                resolver.resolveAll(new DefaultDnsQuestion(target, type)).addListener(f -> {
                    if (f.isSuccess()) {
                        @SuppressWarnings("unchecked")
                        List<DnsRecord> found = (List<DnsRecord>) f.getNow();
                        try {
                            for (DnsRecord r : found) {
                                InetAddress a = address(r, target);
                                if (a != null) {
                                    (type == DnsRecordType.A ? v4 : v6).computeIfAbsent(target, t -> new ArrayList<>())
                                            .add(a);
                                    minTtl[0] = Math.min(minTtl[0], r.timeToLive());
                                }
                            }
                        } finally {
                            release(found);
                        }
                    }
                    if (--pending[0] == 0) {
                        for (String t : targets) {
                            List<InetAddress> all = new ArrayList<>(v4.getOrDefault(t, List.of()));
                            all.addAll(v6.getOrDefault(t, List.of()));
                            if (all.isEmpty()) {
                                unresolved.add(t);
                            } else {
                                addresses.put(t, List.copyOf(all));
                            }
                        }
                        promise.trySuccess(new Answer(records, addresses, minTtl[0], unresolved));
                    }
                });
            }
        }
    }

    /** The SRV records of an answer (RFC 2782 RDATA: priority, weight, port, target). */
    static List<SrvRecord> srvRecords(List<DnsRecord> found) {
        List<SrvRecord> out = new ArrayList<>();
        for (DnsRecord r : found) {
            if (r.type() == DnsRecordType.SRV && r instanceof DnsRawRecord raw) {
                // a duplicate of the whole message, so a compressed target name can be followed
                ByteBuf c = raw.content().duplicate();
                int priority = c.readUnsignedShort();
                int weight = c.readUnsignedShort();
                int port = c.readUnsignedShort();
                String target = DefaultDnsRecordDecoder.decodeName(c);
                out.add(new SrvRecord(priority, weight, port, target.equals(".") ? "" : target, r.timeToLive()));
            }
        }
        return out;
    }

    private static InetAddress address(DnsRecord r, String target) {
        if (!(r instanceof DnsRawRecord raw)) {
            return null;
        }
        ByteBuf c = raw.content();
        int n = c.readableBytes();
        if ((r.type() == DnsRecordType.A && n != 4) || (r.type() == DnsRecordType.AAAA && n != 16)
                || (r.type() != DnsRecordType.A && r.type() != DnsRecordType.AAAA)) {
            return null; // a CNAME on the way: the resolver follows it and returns the address too
        }
        byte[] bytes = new byte[n];
        c.getBytes(c.readerIndex(), bytes);
        try {
            return InetAddress.getByAddress(target, bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static void release(List<DnsRecord> records) {
        for (DnsRecord r : records) {
            ReferenceCountUtil.release(r);
        }
    }

    @Override
    public void close() {
        resolver.close();
    }
}
