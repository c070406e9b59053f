"""Peers for tests/unit/test_mbedtls_live.c, each on 127.0.0.1 with a free port written to
PORTFILE (written to a temporary name, then renamed: a reader never sees half a number).

  raw HEX PORTFILE              accept one connection, read the ClientHello, answer the bytes
                                HEX (a record header) and then hold the connection silent
  case20 CERT KEY PORTFILE V    Python ssl (TLS 1.2) server answering each request with the
                                bytes of shared case 20 variant V (A, B, C, D; E, F: HTTP/1.1
                                close-delimited SSE) and ending the
                                connection the way the case says (close_notify or bare EOF)
  proxy CERT KEY PORTFILE PORT  TLS front for a plain HTTP server on 127.0.0.1:PORT (the sim)

Everything exits on SIGTERM or after 60 s.
"""
import os
import select
import signal
import socket
import ssl
import sys
import threading
import time

# Shared case 20 (cases/20-...txt), byte for byte.
CASE20 = {
    "A": b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{\"score\":0.5}",
    "B": b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"score\":0.5}",
    "C": b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"score\":0.5}",
    "D": (b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
          b"Transfer-Encoding: chunked\r\n\r\n",
          b"3a\r\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n\r\n"),
}
# Not in the case: an HTTP/1.1 close-delimited SSE stream (no Content-Length, no chunked), ended
# by a bare EOF (E: may be a truncation attack, RFC 2818 2.2.2) or by close_notify (F).
SSE11 = (b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n",
         b"data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n",
         b"data: [DONE]\n\n")
CASE20["E"] = SSE11
CASE20["F"] = SSE11
# close_notify (True) or bare TCP close (False) after each variant, as in the case.
CLOSE_NOTIFY = {"A": False, "B": True, "C": False, "D": True, "E": False, "F": True}


def listen(portfile):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    os.rename(tmp, portfile)
    return s


def read_head(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            want = int(line.split(b":", 1)[1])
            while len(rest) < want:
                chunk = conn.recv(4096)
                if not chunk:
                    return None
                rest += chunk
    return head


def raw(hexbytes, portfile):
    s = listen(portfile)
    conn, _ = s.accept()
    conn.recv(4096)
    conn.sendall(bytes.fromhex(hexbytes))
    time.sleep(30)


def tls_context(cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert, key)
    return ctx


def case20(cert, key, portfile, variant):
    ctx = tls_context(cert, key)
    s = listen(portfile)
    while True:
        conn, _ = s.accept()
        try:
            t = ctx.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            conn.close()
            continue
        try:
            if read_head(t) is None:
                t.close()
                continue
            parts = CASE20[variant]
            for p in parts if isinstance(parts, tuple) else (parts,):
                t.sendall(p)
                time.sleep(0.05)  # separate records, as the |split| in the case
            if CLOSE_NOTIFY[variant]:
                t.unwrap().close()  # close_notify, then TCP close
            else:
                # Bare EOF: close the TCP socket under the TLS object, no close_notify.
                raw_sock = socket.socket(fileno=os.dup(t.fileno()))
                raw_sock.shutdown(socket.SHUT_RDWR)
                raw_sock.close()
                t.close()
        except (ssl.SSLError, OSError):
            t.close()


def pump(a, b):
    try:
        while True:
            r, _, _ = select.select([a, b], [], [], 30)
            if not r:
                return
            for src in r:
                dst = b if src is a else a
                data = src.recv(65536)
                if not data:
                    return
                dst.sendall(data)
    except (ssl.SSLError, OSError):
        return
    finally:
        for x in (a, b):
            try:
                if isinstance(x, ssl.SSLSocket):
                    x.unwrap()
            except (ssl.SSLError, OSError, ValueError):
                pass
            x.close()


def proxy(cert, key, portfile, target):
    ctx = tls_context(cert, key)
    s = listen(portfile)
    while True:
        conn, _ = s.accept()
        try:
            t = ctx.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            conn.close()
            continue
        up = socket.create_connection(("127.0.0.1", target))
        threading.Thread(target=pump, args=(t, up), daemon=True).start()


def main():
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    signal.signal(signal.SIGALRM, lambda *a: os._exit(0))
    signal.alarm(60)
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "raw":
        raw(*args)
    elif mode == "case20":
        case20(*args)
    elif mode == "proxy":
        proxy(args[0], args[1], args[2], int(args[3]))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
