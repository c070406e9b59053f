#!/bin/sh
# Run the lwIP port's test on a real lwIP, isolated from the machine's own network:
#   - a fresh network namespace with a TAP device (tap0); the kernel side gets 10.77.0.1/24;
#   - the simulator listens on 10.77.0.1 inside the namespace;
#   - the test program (also inside) brings up Debian's lwIP with tapif on tap0 as 10.77.0.2,
#     so every lwIP byte crosses the TAP link as Ethernet frames, ARP included (MTU 560: see below).
# Only addresses inside the namespace are used; everything is torn down on exit (trap), and
# every step is bounded in time. Exit 77 (ctest SKIP) when not root or without TAP/netns.
# Usage: run_netns.sh TEST_BINARY [PYTHON]
set -u
bin=${1:?usage: run_netns.sh TEST_BINARY [PYTHON]}
py=${2:-python3}
here=$(cd "$(dirname "$0")" && pwd)
sim="$here/../sim/hfsim.py"
kern_ip=10.77.0.1
lwip_ip=10.77.0.2
tap=tap0

# HF_LWIP_REQUIRED=1 (for a CI that knows it has root, TUN and netns) turns a skip into a failure.
skip() {
    if [ "${HF_LWIP_REQUIRED:-0}" = 1 ]; then
        echo "FAIL (HF_LWIP_REQUIRED=1): $*"
        exit 1
    fi
    echo "SKIP: $*"
    exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root (creates a network namespace and a TAP device); run as root or through .ci/run"
[ -c /dev/net/tun ] || skip "/dev/net/tun is missing (no TUN/TAP support: modprobe tun)"
command -v ip >/dev/null 2>&1 || skip "ip (iproute2) is missing"
command -v timeout >/dev/null 2>&1 || skip "timeout (coreutils) is missing"
[ -x "$bin" ] || { echo "FAIL: test binary $bin not found"; exit 1; }

ns="hfmicro-lwip-$$"
tmp=$(mktemp -d) || exit 1
simpid=""
tlspid=""

cleanup() {
    # `ip netns exec` may fork, so the pids we hold can be parents of the servers: end every
    # process left in the namespace, then reap ours.
    for p in $(ip netns pids "$ns" 2>/dev/null) $tlspid $simpid; do
        kill -TERM "$p" 2>/dev/null
    done
    sleep 0.2
    for p in $(ip netns pids "$ns" 2>/dev/null); do
        kill -KILL "$p" 2>/dev/null
    done
    for p in $tlspid $simpid; do
        wait "$p" 2>/dev/null
    done
    ip netns exec "$ns" ip tuntap del dev "$tap" mode tap 2>/dev/null
    ip netns del "$ns" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

ip netns add "$ns" 2>"$tmp/err" || skip "cannot create a network namespace: $(cat "$tmp/err")"
nsx() { ip netns exec "$ns" "$@"; }
nsx ip link set lo up || exit 1
nsx ip tuntap add dev "$tap" mode tap 2>"$tmp/err" || skip "cannot create a TAP device: $(cat "$tmp/err")"
nsx ip addr add "$kern_ip/24" dev "$tap" || exit 1
# Debian's liblwip0 2.1.3 sizes its PBUF_POOL blocks for 592 payload bytes (memp.c saw opt.h's
# defaults) while pbuf_alloc fills them up to PBUF_POOL_BUFSIZE = 1536 (lwipopts.h: TCP_MSS 1460),
# so tapif, which receives every frame into PBUF_POOL pbufs, overruns the heap on any frame over
# 592 bytes. An MTU of 560 on the link keeps every frame (<= 574 bytes) inside a block; the kernel
# then announces an MSS of 520, which lwIP honours when it sends.
nsx ip link set "$tap" mtu 560 || exit 1
nsx ip link set "$tap" up || exit 1

nsx timeout 200 "$py" "$sim" --host "$kern_ip" --port 0 --port-file "$tmp/port" >"$tmp/sim.log" 2>&1 &
simpid=$!
i=0
while [ ! -s "$tmp/port" ]; do
    i=$((i + 1))
    if [ "$i" -gt 200 ] || ! kill -0 "$simpid" 2>/dev/null; then
        echo "FAIL: the simulator did not start"
        cat "$tmp/sim.log"
        exit 1
    fi
    sleep 0.05
done
port=$(cat "$tmp/port")
echo "netns $ns: $tap $kern_ip (kernel, simulator port $port) <-> $lwip_ip (lwIP tapif)"

# TLS front (for TLS over lwIP): a CA and a leaf for "sim.lan" made now, and a Python TLS proxy
# in front of the simulator. The test resolves sim.lan through the port's resolver hook.
tls_env=""
if command -v openssl >/dev/null 2>&1; then
    (
        cd "$tmp" &&
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
            -out ca.pem -days 2 -subj "/CN=hfmicro lwIP test CA" &&
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout leaf.key \
            -out leaf.csr -subj "/CN=sim.lan" &&
        printf 'subjectAltName=DNS:sim.lan\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n' >ext &&
        openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem \
            -days 2 -extfile ext
    ) >"$tmp/pki.log" 2>&1 || { echo "FAIL: openssl could not make the test certificates"; cat "$tmp/pki.log"; exit 1; }
    nsx timeout 200 "$py" "$here/tls_proxy.py" --host "$kern_ip" --port-file "$tmp/tlsport" \
        --cert "$tmp/leaf.pem" --key "$tmp/leaf.key" --upstream "$kern_ip:$port" >"$tmp/tls.log" 2>&1 &
    tlspid=$!
    i=0
    while [ ! -s "$tmp/tlsport" ]; do
        i=$((i + 1))
        if [ "$i" -gt 200 ] || ! kill -0 "$tlspid" 2>/dev/null; then
            echo "FAIL: the TLS proxy did not start"
            cat "$tmp/tls.log"
            exit 1
        fi
        sleep 0.05
    done
    tls_env="HF_LWIP_TLS_PORT=$(cat "$tmp/tlsport") HF_LWIP_TLS_CA=$tmp/ca.pem"
    echo "TLS proxy on $kern_ip:$(cat "$tmp/tlsport") (certificate for sim.lan)"
else
    echo "note: openssl missing, TLS over lwIP not exercised"
fi

# shellcheck disable=SC2086
env PRECONFIGURED_TAPIF=$tap HF_LWIP_IP=$lwip_ip HF_LWIP_SIM_HOST=$kern_ip HF_LWIP_SIM_PORT=$port $tls_env \
    ip netns exec "$ns" timeout 180 "$bin"
rc=$?
[ "$rc" = 124 ] && echo "FAIL: the test program timed out"
# The kernel's counters of the TAP link: lwIP's bytes must really have crossed it (the ~1 MB upload).
rx=$(nsx cat "/sys/class/net/$tap/statistics/rx_bytes" 2>/dev/null || echo 0)
tx=$(nsx cat "/sys/class/net/$tap/statistics/tx_bytes" 2>/dev/null || echo 0)
echo "$tap: $rx bytes from lwIP, $tx bytes to lwIP"
if [ "$rc" = 0 ] && [ "$rx" -lt 1048576 ]; then
    echo "FAIL: less than 1 MB crossed the TAP link from lwIP"
    rc=1
fi
if [ "$rc" != 0 ]; then
    echo "--- simulator output"
    tail -n 30 "$tmp/sim.log"
fi
exit "$rc"
