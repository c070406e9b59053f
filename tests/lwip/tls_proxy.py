#!/usr/bin/env python3
"""TLS front for the simulator in the lwIP netns test: accepts TLS (1.2 and up) on --host/--port,
forwards the plaintext to --upstream HOST:PORT, one upstream connection per client connection
(so the simulator's connection count still counts client connections). Standard library only.
Writes the bound port to --port-file once listening; SIGTERM stops it."""
import argparse
import os
import signal
import socket
import ssl
import sys
import threading


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except (OSError, ssl.SSLError):
        pass
    finally:
        # pass the end on: the peer sees a FIN (or close_notify) where the other side ended
        for s, how in ((dst, socket.SHUT_WR), (src, socket.SHUT_RD)):
            try:
                s.shutdown(how)
            except (OSError, ssl.SSLError, ValueError):
                pass


def serve(conn, ctx, upstream):
    try:
        tls = ctx.wrap_socket(conn, server_side=True)
    except (OSError, ssl.SSLError) as e:
        sys.stderr.write("tls_proxy: handshake failed: %s\n" % e)
        conn.close()
        return
    try:
        up = socket.create_connection(upstream, timeout=10)
        up.settimeout(None)
    except OSError as e:
        sys.stderr.write("tls_proxy: upstream %s:%d: %s\n" % (upstream[0], upstream[1], e))
        tls.close()
        return
    up.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    t = threading.Thread(target=pump, args=(up, tls), daemon=True)
    t.start()
    pump(tls, up)
    t.join(120)
    tls.close()
    up.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--cert", required=True, help="PEM: leaf then intermediates")
    ap.add_argument("--key", required=True)
    ap.add_argument("--upstream", required=True, help="HOST:PORT of the plain simulator")
    a = ap.parse_args()
    uh, up = a.upstream.rsplit(":", 1)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2  # mbedTLS 2.28 speaks TLS 1.2
    ctx.load_cert_chain(a.cert, a.key)
    srv = socket.create_server((a.host, a.port))
    srv.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(tmp, a.port_file)
    while True:
        conn, _ = srv.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=serve, args=(conn, ctx, (uh, int(up))), daemon=True).start()


if __name__ == "__main__":
    main()
