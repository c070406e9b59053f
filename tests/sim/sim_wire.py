"""Building responses as HTTP/1.1 wire bytes (status line, headers, framed body)."""

import itertools
import json
import time
from http import HTTPStatus

# Framing is ours to decide, never the recorder's: three recordings carry a
# wrong Content-Length and the rest describe a connection we are not on.
DROPPED_HEADERS = frozenset((
    "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
    "trailer", "upgrade", "content-length", "content-encoding",
))

DEFAULT_CHUNK = 8192

INJECTED_ERROR_EVENT = (
    b'data: {"error":"Request failed during generation: Server error: '
    b'sim injected error","error_type":"generation"}\n\n')

SYN_EVENT = (
    b'data: {"id":"sim","object":"chat.completion.chunk","created":1700000000,'
    b'"model":"sim","choices":[{"index":0,"delta":{"content":"tok "},'
    b'"finish_reason":null}]}\n\n')
SYN_FINAL = (
    b'data: {"id":"sim","object":"chat.completion.chunk","created":1700000000,'
    b'"model":"sim","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n')
SYN_DONE = b"data: [DONE]\n\n"
SYN_TAIL = len(SYN_FINAL) + len(SYN_DONE)


def reason(status):
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def is_sse(content_type):
    if not content_type:
        return False
    return content_type.split(";", 1)[0].strip().lower() == "text/event-stream"


def split_events(body):
    """SSE body -> list of events, each keeping its terminating blank line."""
    events = []
    pos = 0
    n = len(body)
    while pos < n:
        best = None
        for sep in (b"\r\n\r\n", b"\n\n", b"\r\r"):
            i = body.find(sep, pos)
            if i >= 0 and (best is None or i + len(sep) < best):
                best = i + len(sep)
        if best is None:
            events.append(body[pos:])
            break
        events.append(body[pos:best])
        pos = best
    return events


def fixed_pieces(body, size):
    return [body[i:i + size] for i in range(0, len(body), size)]


def sized_pieces(body, sizes):
    """Partition body by the scenario's chunk_sizes; leftover goes last."""
    out, pos = [], 0
    for n in sizes:
        if pos >= len(body):
            break
        out.append(body[pos:pos + n])
        pos += n
    if pos < len(body):
        out.append(body[pos:])
    return out


class Outgoing(object):
    """A response ready to be framed: chunked bodies are a list/iterator of chunks."""

    def __init__(self, status, headers, body=b"", chunks=None):
        self.status = status
        self.headers = [(k, v) for k, v in headers if k.lower() not in DROPPED_HEADERS]
        self.body = body
        self.chunks = chunks  # None -> Content-Length framing

    @property
    def chunked(self):
        return self.chunks is not None

    def head(self, close, head_only=False):
        lines = ["HTTP/1.1 %d %s" % (self.status, reason(self.status))]
        for k, v in self.headers:
            lines.append("%s: %s" % (k, v.replace("\r", " ").replace("\n", " ")))
        if self.chunked:
            lines.append("Transfer-Encoding: chunked")
        else:
            lines.append("Content-Length: %d" % len(self.body))
        if close:
            lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")

    def body_wire(self):
        """Framed body bytes, piece by piece (lazy for the synthetic stream)."""
        if not self.chunked:
            if self.body:
                yield self.body
            return
        for c in self.chunks:
            if c:
                yield b"%x\r\n" % len(c) + c + b"\r\n"
        yield b"0\r\n\r\n"


def from_recorded(resp, fault):
    """Outgoing for a stored Response, with body-level faults applied."""
    sse = is_sse(resp.header("content-type"))
    te = (resp.header("transfer-encoding") or "").lower()
    body = resp.body
    if sse and fault is not None and fault.error_event_after is not None:
        events = split_events(body)[:fault.error_event_after]
        body = b"".join(events) + INJECTED_ERROR_EVENT
        chunks = events + [INJECTED_ERROR_EVENT]
    elif resp.chunk_sizes:
        chunks = sized_pieces(body, resp.chunk_sizes)
    elif sse:
        chunks = split_events(body)
    elif "chunked" in te:
        chunks = fixed_pieces(body, DEFAULT_CHUNK)
    else:
        chunks = None
    if chunks is not None and fault is not None and fault.chunk_size:
        chunks = fixed_pieces(body, fault.chunk_size)
    return Outgoing(resp.status, resp.headers, body=body, chunks=chunks)


def json_response(status, obj, headers=()):
    body = json.dumps(obj, separators=(",", ":")).encode("utf-8")
    return Outgoing(status, [("Content-Type", "application/json")] + list(headers), body=body)


def loading_503(model, estimated_time):
    return json_response(503, {"error": "Model %s is currently loading" % model,
                               "estimated_time": float(estimated_time)})


def overloaded_429(retry_after):
    return json_response(429, {"error": "Model is overloaded", "error_type": "overloaded"},
                         [("Retry-After", str(retry_after))])


def synthetic_count(events, nbytes):
    """Number of content events: explicit, or the fewest giving >= nbytes."""
    if events is not None:
        return events
    if nbytes is not None:
        need = max(0, nbytes - SYN_TAIL)
        return (need + len(SYN_EVENT) - 1) // len(SYN_EVENT)
    return 16


def synthetic_stream(n, delay_ms=0, fault=None):
    """Benchmark stream: n identical content events, a stop chunk, [DONE]."""
    def gen():
        for i in range(n):
            if delay_ms and i:
                time.sleep(delay_ms / 1000.0)
            yield SYN_EVENT
        yield SYN_FINAL
        yield SYN_DONE

    chunks = gen()
    if fault is not None and fault.error_event_after is not None:
        chunks = itertools.chain(itertools.islice(chunks, fault.error_event_after),
                                 [INJECTED_ERROR_EVENT])
    if fault is not None and fault.chunk_size:
        body = b"".join(chunks)
        chunks = fixed_pieces(body, fault.chunk_size)
    headers = [("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache"),
               ("X-Sim-Events", str(n))]
    return Outgoing(200, headers, chunks=chunks)
