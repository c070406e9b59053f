"""nginx (Debian) as the TLS front of hfsim, with certificates made at run time by openssl.

    from tlsenv import Front, missing_tools
    f = Front()                      # certificates, hfsim on loopback, nginx in front of it
    f.url("rsa")                     # "https://localhost:PORT" of one server block
    f.certs.root                     # the only CA a client should trust
    f.access_log()                   # nginx's log lines as dicts (see LOG_FIELDS)
    f.stop()                         # nginx and hfsim stopped, temporary directory removed

Everything lives in one temporary directory (HF_TLS_KEEP=1 keeps it for a post-mortem).
nginx runs in the foreground as a single process (daemon off, master_process off) with its own
prefix, configuration, pid file and logs, so it needs no root and leaves nothing behind.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "sim"))
from simclient import Sim  # noqa: E402

# The order of $-variables in nginx.conf.in's log_format "hf".
LOG_FIELDS = ("port", "connection", "requests", "reused", "protocol", "cipher", "status",
              "method", "uri", "request_length", "body_bytes")

SAN = "localhost"


def find_nginx():
    """nginx's path: PATH first, then /usr/sbin (often not on a normal user's PATH)."""
    found = shutil.which("nginx")
    if found:
        return found
    for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx"):
        if os.access(p, os.X_OK):
            return p
    return None


def missing_tools():
    """The tools these tests need that are not installed (empty when all are there)."""
    missing = []
    if find_nginx() is None:
        missing.append("nginx")
    if shutil.which("openssl") is None:
        missing.append("openssl")
    return missing


def _run(argv, env=None, timeout=60):
    p = subprocess.run(argv, env=env, capture_output=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(argv), p.returncode,
                                                   p.stderr.decode(errors="replace")))
    return p.stdout


class Certs(object):
    """A small PKI, made fresh by openssl in `dir`.

    root (RSA 2048)  -> int-rsa (RSA 2048) -> leaf rsa, wrongname, expired, future
                     -> int-ec (P-256)     -> leaf ec (P-256)
    rogue root (RSA) -> leaf untrusted       (the client is never given the rogue root)
    selfsigned: a self-signed leaf (CA:FALSE) naming localhost
    Every leaf names localhost (subjectAltName DNS) except wrongname (wrong.example).
    `chains[name]` is (certificate file as served: leaf + intermediate, key file).
    """

    def __init__(self, dir):
        self.dir = dir
        os.makedirs(dir, exist_ok=True)
        self.cnf = os.path.join(HERE, "openssl.cnf")
        self.chains = {}
        self.root = self._root("root", "hfmicro test root CA")
        self.rogue_root = self._root("rogue", "hfmicro rogue root CA")
        self._intermediate("int-rsa", "root", "hfmicro test intermediate RSA", "rsa")
        self._intermediate("int-ec", "root", "hfmicro test intermediate ECDSA", "ec")
        self._leaf("rsa", "int-rsa", "rsa")
        self._leaf("ec", "int-ec", "ec")
        self._leaf("wrongname", "int-rsa", "rsa", san="wrong.example")
        self._leaf("expired", "int-rsa", "rsa", dates=("20200101000000Z", "20210101000000Z"))
        self._leaf("future", "int-rsa", "rsa", dates=("20900101000000Z", "20910101000000Z"))
        self._leaf("untrusted", "rogue", "rsa", chain=False)
        self._selfsigned("selfsigned")
        # The rsa leaf without its intermediate: a client that trusts only the root must refuse it.
        self.chains["nochain"] = (self._path("rsa.crt"), self._path("rsa.key"))

    def _path(self, name):
        return os.path.join(self.dir, name)

    def _env(self, ca=None, san=SAN):
        env = dict(os.environ, HF_SAN=san, HF_CA_DIR=self._path(ca or "."))
        env.pop("OPENSSL_CONF", None)
        return env

    def _key(self, name, kind):
        key = self._path(name + ".key")
        if kind == "ec":
            _run(["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                  "-out", key])
        else:
            _run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                  "-out", key])
        return key

    def _ca_dir(self, name):
        d = self._path(name)
        os.makedirs(os.path.join(d, "issued"), exist_ok=True)
        open(os.path.join(d, "index.txt"), "w").close()
        with open(os.path.join(d, "serial"), "w") as f:
            f.write("%016X\n" % (int(time.time() * 1000) & 0xFFFFFFFFFFFF | 1 << 60))
        return d

    def _root(self, name, cn):
        key = self._key(name, "rsa")
        crt = self._path(name + ".crt")
        _run(["openssl", "req", "-config", self.cnf, "-x509", "-new", "-key", key, "-sha256",
              "-days", "3650", "-subj", "/CN=" + cn, "-extensions", "v3_root", "-out", crt],
             env=self._env())
        self._ca_dir(name)
        return crt

    def _sign(self, name, ca, cn, kind, ext, san=SAN, dates=None):
        key = self._key(name, kind)
        csr = self._path(name + ".csr")
        crt = self._path(name + ".crt")
        _run(["openssl", "req", "-config", self.cnf, "-new", "-key", key, "-subj", "/CN=" + cn,
              "-out", csr], env=self._env(ca, san))
        argv = ["openssl", "ca", "-config", self.cnf, "-batch", "-notext", "-md", "sha256",
                "-cert", self._path(ca + ".crt"), "-keyfile", self._path(ca + ".key"),
                "-extensions", ext, "-in", csr, "-out", crt]
        if dates:
            argv += ["-startdate", dates[0], "-enddate", dates[1]]
        else:
            argv += ["-days", "825"]
        _run(argv, env=self._env(ca, san))
        return crt, key

    def _intermediate(self, name, ca, cn, kind):
        self._sign(name, ca, cn, kind, "v3_intermediate")
        self._ca_dir(name)

    def _leaf(self, name, ca, kind, san=SAN, dates=None, chain=True):
        crt, key = self._sign(name, ca, san, kind, "v3_leaf", san=san, dates=dates)
        served = crt
        if chain:
            served = self._path(name + ".chain.pem")
            with open(served, "w") as out:
                for part in (crt, self._path(ca + ".crt")):
                    with open(part) as f:
                        out.write(f.read())
        self.chains[name] = (served, key)

    def _selfsigned(self, name):
        key = self._key(name, "rsa")
        crt = self._path(name + ".crt")
        _run(["openssl", "req", "-config", self.cnf, "-x509", "-new", "-key", key, "-sha256",
              "-days", "825", "-subj", "/CN=" + SAN, "-extensions", "v3_self", "-out", crt],
             env=self._env())
        self.chains[name] = (crt, key)


# Server blocks: name -> (certificate chain name, ssl_protocols).
SERVERS = (
    ("rsa", "rsa", "TLSv1.2"),
    ("ec", "ec", "TLSv1.2"),
    ("wrongname", "wrongname", "TLSv1.2"),
    ("expired", "expired", "TLSv1.2"),
    ("future", "future", "TLSv1.2"),
    ("untrusted", "untrusted", "TLSv1.2"),
    ("selfsigned", "selfsigned", "TLSv1.2"),
    ("nochain", "nochain", "TLSv1.2"),
    ("tls13", "rsa", "TLSv1.3"),
)


def _fill(template, values):
    """Replace @name@ placeholders; an unknown or leftover one is an error, not a silent gap."""
    def one(m):
        return str(values[m.group(1)])
    out = re.sub(r"@([a-z_]+)@", one, template)
    assert "@" not in re.sub(r"#[^\n]*", "", out), "unfilled placeholder"
    return out


def _free_ports(n):
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _wait_listening(port, deadline):
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.02)
    return False


class Front(object):
    """hfsim on loopback with nginx terminating TLS in front of it, one port per server block."""

    def __init__(self, sim_args=("--fixtures", "none")):
        self.dir = tempfile.mkdtemp(prefix="hftls-")
        os.chmod(self.dir, 0o755)
        self.nginx = None
        self.sim = None
        try:
            self.certs = Certs(os.path.join(self.dir, "certs"))
            self.sim = Sim(*sim_args)
            self._start_nginx()
        except BaseException:
            self.stop()
            raise

    def _write_conf(self, ports):
        prefix = os.path.join(self.dir, "nginx")
        for sub in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi"):
            os.makedirs(os.path.join(prefix, sub), exist_ok=True)
        with open(os.path.join(HERE, "server.conf.in")) as f:
            server_t = f.read()
        with open(os.path.join(HERE, "nginx.conf.in")) as f:
            main_t = f.read()
        blocks = []
        for (name, chain, protocols), port in zip(SERVERS, ports):
            cert, key = self.certs.chains[chain]
            blocks.append(_fill(server_t, dict(name=name, port=port, cert=cert, key=key,
                                               protocols=protocols, sim_port=self.sim.port)))
        conf = os.path.join(prefix, "nginx.conf")
        with open(conf, "w") as f:
            f.write(_fill(main_t, dict(prefix=prefix, servers="".join(blocks))))
        return prefix, conf

    def _start_nginx(self):
        last = ""
        for _attempt in range(3):  # a reserved port can be taken before nginx binds it
            ports = _free_ports(len(SERVERS))
            prefix, conf = self._write_conf(ports)
            self.prefix = prefix
            argv = [find_nginx(), "-p", prefix + "/", "-c", conf, "-e", prefix + "/error.log"]
            self.nginx = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            deadline = time.time() + 10
            if all(_wait_listening(p, deadline) for p in ports) and self.nginx.poll() is None:
                self.ports = dict(zip((s[0] for s in SERVERS), ports))
                return
            last = self._stop_nginx()
        raise RuntimeError("nginx did not start: " + last)

    def url(self, name):
        return "https://%s:%d" % (SAN, self.ports[name])

    def access_log(self, want=0, timeout=5):
        """The access log's lines as dicts; waits until there are at least `want` of them."""
        path = os.path.join(self.prefix, "access.log")
        deadline = time.time() + timeout
        while True:
            lines = []
            if os.path.exists(path):
                with open(path) as f:
                    lines = [dict(zip(LOG_FIELDS, ln.split())) for ln in f if ln.strip()]
            if len(lines) >= want or time.time() > deadline:
                return lines
            time.sleep(0.02)

    def log_mark(self, quiet=0.05):
        """The number of access log lines, once no line came for `quiet` s (so that a
        finished test's last line is not counted to the next one)."""
        n, since, deadline = -1, time.time(), time.time() + 5
        while time.time() < deadline:
            now = len(self.access_log())
            if now != n:
                n, since = now, time.time()
            elif time.time() - since >= quiet:
                break
            time.sleep(0.01)
        return n

    def server_log(self, name, want=0, since=0, timeout=5):
        """One server block's access log lines after line `since` (a log_mark());
        waits until there are at least `want` of them."""
        port = str(self.ports[name])
        deadline = time.time() + timeout
        while True:
            got = [ln for ln in self.access_log()[since:] if ln["port"] == port]
            if len(got) >= want or time.time() > deadline:
                return got
            time.sleep(0.02)

    def error_log(self):
        with open(os.path.join(self.prefix, "error.log"), errors="replace") as f:
            return f.read()

    def _stop_nginx(self):
        if self.nginx is None:
            return ""
        if self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGTERM)
        try:
            _, err = self.nginx.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.nginx.kill()
            _, err = self.nginx.communicate(timeout=10)
        self.nginx = None
        return err.decode(errors="replace")

    def stop(self):
        self._stop_nginx()
        if self.sim is not None:
            self.sim.stop()
            shutil.rmtree(self.sim.dir, ignore_errors=True)  # its port file
            self.sim = None
        if os.environ.get("HF_TLS_KEEP") == "1":
            sys.stderr.write("tlsenv: kept %s\n" % self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)
