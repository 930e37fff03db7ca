/*
 * flood-blast: the sending half of FloodE2ETest's flood (issue 8), in C because
 * the test needs more loopback datagrams per second than a Java thread sends.
 * Each send(2) carries BATCH datagrams of SEGMENT bytes with UDP GSO
 * (UDP_SEGMENT, Linux 4.18): the kernel cuts them apart below the socket, so
 * one pass through the sending stack serves BATCH datagrams and the flood
 * leaves most of the CPU to siplb. siplb sees ordinary datagrams.
 *
 *   flood-blast TEMPLATES TARGET_IP PORT SOURCES SECONDS RATE
 *
 * TEMPLATES is written by FloodGenerator (Java): records of big-endian
 * u32 kind (0 REGISTER, 1 garbage, 2 scanner), u32 Call-ID counter offset
 * (0xffffffff: none), u32 length (= SEGMENT), then the bytes. The datagrams go
 * out in FloodGenerator's order (2 REGISTER : 1 garbage : 1 scanner), each
 * REGISTER with a new Call-ID, from SOURCES sockets bound to 127.1.H.L
 * (L = 1..255), one batch per source in turn, paced to RATE datagrams a second
 * for SECONDS. The sockets never read: answers are dropped by the kernel, as
 * for a spoofed flood. Prints FloodGenerator's result line:
 *   FLOOD-RESULT sent refused registers garbage scanners elapsedNanos
 * Bounded: it stops after SECONDS whatever happens.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#define BATCH 16
#define SEGMENT 512
#define MAX_TEMPLATES 16384

struct tmpl { uint32_t kind, callid_at, len; unsigned char *bytes; };

static struct tmpl kinds[3][MAX_TEMPLATES];
static int counts[3];

static int64_t nanos(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000 + t.tv_nsec;
}

static int read_u32(FILE *f, uint32_t *v) {
    unsigned char b[4];
    if (fread(b, 1, 4, f) != 4) return 0;
    *v = (uint32_t) b[0] << 24 | (uint32_t) b[1] << 16 | (uint32_t) b[2] << 8 | b[3];
    return 1;
}

static void die(const char *what) {
    fprintf(stderr, "flood-blast: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void stamp(unsigned char *at, uint64_t n) {
    static const char hex[] = "0123456789abcdef";
    for (int i = 15; i >= 0; i--, n >>= 4) at[i] = (unsigned char) hex[n & 15];
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: flood-blast TEMPLATES TARGET_IP PORT SOURCES SECONDS RATE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) die(argv[1]);
    uint32_t kind, at, len;
    while (read_u32(f, &kind) && read_u32(f, &at) && read_u32(f, &len)) {
        if (kind > 2 || len != SEGMENT || counts[kind] == MAX_TEMPLATES) { fprintf(stderr, "flood-blast: bad template\n"); return 1; }
        struct tmpl *t = &kinds[kind][counts[kind]++];
        t->kind = kind; t->callid_at = at; t->len = len;
        t->bytes = malloc(len);
        if (!t->bytes || fread(t->bytes, 1, len, f) != len) { fprintf(stderr, "flood-blast: short template\n"); return 1; }
    }
    fclose(f);
    if (!counts[0] || !counts[1] || !counts[2]) { fprintf(stderr, "flood-blast: a kind has no template\n"); return 1; }

    struct sockaddr_in target = {0};
    target.sin_family = AF_INET;
    target.sin_port = htons((uint16_t) atoi(argv[3]));
    if (inet_pton(AF_INET, argv[2], &target.sin_addr) != 1) { fprintf(stderr, "flood-blast: bad target %s\n", argv[2]); return 1; }
    int sources = atoi(argv[4]);
    double seconds = atof(argv[5]);
    int64_t rate = atoll(argv[6]);
    if (sources < 1 || sources > 255 * 256 || seconds <= 0 || seconds > 600 || rate < 1) { fprintf(stderr, "flood-blast: bad arguments\n"); return 2; }

    int *fds = malloc(sizeof(int) * (size_t) sources);
    for (int i = 0; i < sources; i++) {
        fds[i] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        if (fds[i] < 0) die("socket");
        int small = 4096; /* answers are never read */
        setsockopt(fds[i], SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        struct sockaddr_in a = {0};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(0x7f010000u | (uint32_t) (i / 255) << 8 | (uint32_t) (i % 255 + 1));
        if (bind(fds[i], (struct sockaddr *) &a, sizeof a)) die("bind 127.1.x.y");
        int segment = SEGMENT;
        if (setsockopt(fds[i], SOL_UDP, UDP_SEGMENT, &segment, sizeof segment)) die("UDP_SEGMENT");
    }

    static unsigned char batch[BATCH * SEGMENT];
    uint64_t attempt = 0, sent = 0, refused = 0, by_kind[3] = {0, 0, 0};
    int next = 0;
    int64_t start = nanos(), end = start + (int64_t) (seconds * 1e9);
    for (;;) {
        int64_t now = nanos();
        if (now >= end) break;
        /* datagrams allowed so far: paced per 100 us, so a batch never runs far ahead */
        uint64_t allowed = (uint64_t) ((now - start) / 100000 * rate / 10000 + BATCH);
        if (attempt >= allowed) {
            /* ahead of the pace: yield the core (SIPp and siplb may share it) instead of spinning */
            struct timespec pause = {0, 50000};
            nanosleep(&pause, NULL);
            continue;
        }
        int n = 0;
        int kind_of[BATCH];
        for (; n < BATCH && attempt < allowed; n++, attempt++) {
            int k = attempt % 4 == 3 ? 2 : attempt % 4 == 2 ? 1 : 0;
            struct tmpl *t = k == 0 ? &kinds[0][(attempt / 2) % (uint64_t) counts[0]]
                           : &kinds[k][(attempt / 4) % (uint64_t) counts[k]];
            unsigned char *slot = batch + n * SEGMENT;
            memcpy(slot, t->bytes, SEGMENT);
            if (k == 0) stamp(slot + t->callid_at, attempt);
            kind_of[n] = k;
        }
        ssize_t r = sendto(fds[next], batch, (size_t) n * SEGMENT, 0, (struct sockaddr *) &target, sizeof target);
        next = next + 1 == sources ? 0 : next + 1;
        if (r == (ssize_t) n * SEGMENT) {
            for (int i = 0; i < n; i++) by_kind[kind_of[i]]++;
            sent += (uint64_t) n;
        } else {
            refused += (uint64_t) n; /* socket buffer full: not sent, not retried */
        }
    }
    printf("FLOOD-RESULT %llu %llu %llu %llu %llu %lld\n", (unsigned long long) sent, (unsigned long long) refused,
           (unsigned long long) by_kind[0], (unsigned long long) by_kind[1], (unsigned long long) by_kind[2],
           (long long) (nanos() - start));
    return 0;
}
