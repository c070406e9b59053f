"""Recorded and scenario exchanges: loading, path normalisation, matching.

An *exchange* is one JSON file in the format of shared/fixtures/README.md
(request + response), or a hand-written scenario in tests/sim/scenarios/ that
may add ``match`` (method/path overrides) and ``responses`` (a list served in
order instead of the single ``response``).
"""

import base64
import json
import os
import re
import sys
import threading
from urllib.parse import parse_qsl, unquote, urlsplit

_PIPELINE_FIRST = re.compile(r"^/pipeline/([^/]+)/(.+)$")
_PIPELINE_LAST = re.compile(r"^(/models/.+)/pipeline/[^/]+$")


def canonical_path(path):
    """Map every URL form of the same endpoint to one key.

    The client under test builds router paths against a local base URL, while
    the recordings hold api-inference, inference-proxy and router URLs that
    upstream rewrote between each other (fixtures README "URLs edited").
    """
    path = urlsplit(path).path if "?" in path or "://" in path else path
    path = unquote(path)
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    if not path.startswith("/"):
        path = "/" + path
    if path.startswith("/api/inference-proxy/hf-inference/"):
        path = path[len("/api/inference-proxy"):]
    if path.startswith("/hf-inference/"):
        path = path[len("/hf-inference"):]
    m = _PIPELINE_FIRST.match(path)
    if m:
        path = "/models/%s/pipeline/%s" % (m.group(2), m.group(1))
    # Model id "sim/<name>" reaches the scenarios through any router prefix.
    if path == "/models/sim" or path.startswith("/models/sim/"):
        path = path[len("/models"):]
    return path


def loose_path(canon):
    """Canonical path without a trailing /pipeline/<task> (router accepts both)."""
    m = _PIPELINE_LAST.match(canon)
    return m.group(1) if m else canon


def model_from_path(canon):
    """Best guess of the model id in a canonical path (for fault messages)."""
    if canon.startswith("/sim/"):
        return "sim/" + canon[5:].split("/")[0]
    if not canon.startswith("/models/"):
        return None
    segs = canon[len("/models/"):].split("/")
    out = []
    for s in segs:
        if s in ("v1", "pipeline") or len(out) == 2:
            break
        out.append(s)
    return "/".join(out) or None


def query_key(query):
    return tuple(sorted(parse_qsl(query, keep_blank_values=True)))


def decode_body(obj):
    """Body bytes of a fixture request/response, or None when not stored."""
    if "body_text" in obj:
        return obj["body_text"].encode("utf-8")
    if "body_base64" in obj:
        return base64.b64decode(obj["body_base64"])
    return None


def parse_json(data):
    if not data:
        return None
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def flatten(value, prefix="", out=None):
    """Leaf path -> value; message texts end up as their own leaves."""
    if out is None:
        out = {}
    if isinstance(value, dict) and value:
        for k, v in value.items():
            if v is not None:  # a null member means "absent" to the API (clients drop them)
                flatten(v, prefix + "." + str(k), out)
    elif isinstance(value, list) and value:
        for i, v in enumerate(value):
            flatten(v, prefix + "[%d]" % i, out)
    else:
        out[prefix] = json.dumps(value, sort_keys=True)
    return out


def similarity(a_flat, b_flat):
    """Same keys and same values both count; 1.0 only for equal documents."""
    keys = set(a_flat) | set(b_flat)
    if not keys:
        return 1.0
    common = set(a_flat) & set(b_flat)
    same = sum(1 for k in common if a_flat[k] == b_flat[k])
    return (len(common) + same) / (2.0 * len(keys))


class Response(object):
    """One stored response: status, headers as recorded, exact body bytes."""

    def __init__(self, obj, where):
        self.status = int(obj["status"])
        self.headers = [(str(k), str(v)) for k, v in obj.get("headers", {}).items()]
        body = decode_body(obj)
        if body is None:
            raise ValueError("%s: response has no body_text/body_base64" % where)
        self.body = body
        sizes = obj.get("chunk_sizes")
        if sizes is not None and (not isinstance(sizes, list) or
                                  not all(isinstance(n, int) and n > 0 for n in sizes)):
            raise ValueError("%s: chunk_sizes must be a list of positive ints" % where)
        self.chunk_sizes = sizes

    def header(self, name):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None


class Exchange(object):
    def __init__(self, obj, name, order, scenario):
        self.name = name
        self.order = order
        self.scenario = scenario
        req = obj["request"]
        match = obj.get("match") or {}
        self.method = str(match.get("method") or req.get("method") or "POST").upper()
        url = req.get("url", "")
        paths = match.get("path") or urlsplit(url).path
        if isinstance(paths, str):
            paths = [paths]
        self.paths = [canonical_path(p) for p in paths]
        self.query = query_key(match.get("query", urlsplit(url).query))
        self.req_body = decode_body(req)
        self.req_json = parse_json(self.req_body)
        self.req_flat = flatten(self.req_json) if self.req_json is not None else None
        self.stream = bool(obj.get("stream", False))
        source = obj.get("source") or {}
        self.source_key = (source.get("repo"), source.get("path"))
        self.entry = source.get("entry", 0)
        if "responses" in obj:
            resps = obj["responses"]
            if not isinstance(resps, list) or not resps:
                raise ValueError("%s: responses must be a non-empty list" % name)
            self.responses = [Response(r, name) for r in resps]
        else:
            self.responses = [Response(obj["response"], name)]
        self.cycle = bool(obj.get("cycle", False))

    def rank(self, req, exact_path):
        """Sort key, larger is better (see README "Matching")."""
        stream_agree = self.stream == req.wants_stream
        query_same = self.query == req.query
        if self.req_body is None:
            tier, sim = 0, 0.0
        elif self.req_body == req.body:
            tier, sim = 3, 1.0
        elif self.req_json is not None and req.json is not None:
            if self.req_json == req.json:
                tier, sim = 2, 1.0
            else:
                tier, sim = 1, similarity(self.req_flat, req.flat)
        else:
            tier, sim = 1, 0.0
        return (stream_agree, exact_path, query_same, tier, sim, -self.order)

    def same_request(self, other):
        return (self.query == other.query and self.req_body == other.req_body
                and self.source_key == other.source_key and self.source_key[0])

    def describe(self):
        return {"name": self.name, "method": self.method, "paths": self.paths,
                "scenario": self.scenario, "responses": len(self.responses)}


class Request(object):
    """What matching needs from an incoming request."""

    def __init__(self, method, target, body):
        split = urlsplit(target)
        self.method = method.upper()
        self.path = canonical_path(split.path)
        self.loose = loose_path(self.path)
        self.query = query_key(split.query)
        self.body = body or b""
        self.json = parse_json(self.body)
        self.flat = flatten(self.json) if self.json is not None else None
        self.wants_stream = (isinstance(self.json, dict) and
                             self.json.get("stream") is True)

    def model(self):
        m = model_from_path(self.path)
        if m is None and isinstance(self.json, dict):
            m = self.json.get("model")
        return str(m) if m else "sim"


class Store(object):
    def __init__(self):
        self.exchanges = []
        self._by_path = {}
        self._by_loose = {}
        self._seq = {}
        self._lock = threading.Lock()

    def load_dir(self, directory, scenario, log=sys.stderr):
        names = sorted(n for n in os.listdir(directory) if n.endswith(".json"))
        loaded = 0
        for n in names:
            full = os.path.join(directory, n)
            try:
                with open(full, "rb") as f:
                    obj = json.loads(f.read().decode("utf-8"))
                self.add(Exchange(obj, n, len(self.exchanges), scenario))
                loaded += 1
            except (OSError, ValueError, KeyError, TypeError) as e:
                log.write("hfsim: skipping %s: %s\n" % (full, e))
        return loaded

    def add(self, ex):
        self.exchanges.append(ex)
        for p in ex.paths:
            self._by_path.setdefault((ex.method, p), []).append(ex)
            self._by_loose.setdefault((ex.method, loose_path(p)), []).append(ex)

    def by_name(self, name):
        for ex in self.exchanges:
            if ex.name == name or ex.name == name + ".json" or ex.name + ".json" == name:
                return ex
        return None

    def candidates(self, req):
        exact = self._by_path.get((req.method, req.path), [])
        if exact:
            return [(ex, True) for ex in exact]
        return [(ex, False) for ex in self._by_loose.get((req.method, req.loose), [])]

    def match(self, req):
        """(exchange, response) for the request, or (None, None)."""
        cands = self.candidates(req)
        if not cands:
            return None, None
        ranked = sorted(((ex.rank(req, ex_exact), ex) for ex, ex_exact in cands),
                        key=lambda t: t[0], reverse=True)
        best_rank, best = ranked[0]
        # Identical requests recorded in one test are a sequence (e.g. polling).
        ties = [ex for r, ex in ranked if r[:5] == best_rank[:5] and best.same_request(ex)]
        if len(ties) > 1:
            ties.sort(key=lambda ex: (ex.entry, ex.order))
            group = tuple(ex.name for ex in ties)
            ex = ties[self._advance(group, len(ties), False)]
            return ex, ex.responses[0]
        return best, best.responses[self._advance((best.name,), len(best.responses), best.cycle)]

    def _advance(self, key, n, cycle):
        with self._lock:
            i = self._seq.get(key, 0)
            self._seq[key] = (i + 1) % n if cycle else min(i + 1, n - 1)
            return i

    def reset_sequences(self):
        with self._lock:
            self._seq.clear()
