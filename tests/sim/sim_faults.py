"""Fault injection: the fault spec, the per-request queue and the wire writer."""

import threading
import time

INT_KEYS = ("every", "truncate_at", "reset_at", "stall_ms", "stall_at",
            "error_event_after", "chunk_size", "count", "delay_ms")
ALL_KEYS = frozenset(INT_KEYS + ("split", "drip", "status503", "status429", "serve"))

SPLIT_DELAY_S = 0.020
EVERY_DELAY_S = 0.001
RESET_GRACE_S = 0.050


class FaultError(ValueError):
    pass


def _int(obj, key, minimum):
    v = obj.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
        raise FaultError("%s must be an integer >= %d" % (key, minimum))
    return v


def _times(obj, key, defaults):
    """status503/status429: dict (or true) with an integer 'times' >= 0."""
    v = obj.get(key)
    if v is None or v is False:
        return None
    if v is True:
        v = {}
    if not isinstance(v, dict):
        raise FaultError("%s must be an object" % key)
    out = dict(defaults)
    for k, val in v.items():
        if k not in defaults:
            raise FaultError("%s: unknown key %r" % (key, k))
        if isinstance(val, bool) or not isinstance(val, (int, float)) or val < 0:
            raise FaultError("%s.%s must be a number >= 0" % (key, k))
        out[k] = val
    if int(out["times"]) != out["times"]:
        raise FaultError("%s.times must be an integer" % key)
    out["times"] = int(out["times"])
    return out


class Fault(object):
    """One fault set, as posted to /__sim/faults or given by command-line flags."""

    def __init__(self, obj):
        if not isinstance(obj, dict):
            raise FaultError("fault spec must be a JSON object")
        unknown = sorted(set(obj) - ALL_KEYS)
        if unknown:
            raise FaultError("unknown fault key(s): %s" % ", ".join(unknown))
        split = obj.get("split") or []
        if not isinstance(split, list) or not all(
                isinstance(o, int) and not isinstance(o, bool) and o >= 0 for o in split):
            raise FaultError("split must be a list of integers >= 0")
        self.split = sorted(set(o for o in split if o > 0))
        for k in INT_KEYS:
            setattr(self, k, _int(obj, k, 1 if k in ("every", "chunk_size") else 0))
        self.drip = bool(obj.get("drip", False))
        # Pin the answer to one recording (by file name), whatever the matching would pick;
        # the log says whether the request path was one of that recording's paths.
        self.serve = obj.get("serve")
        if self.serve is not None and not isinstance(self.serve, str):
            raise FaultError("serve must be a recording file name")
        self.status503 = _times(obj, "status503", {"estimated_time": 2.5, "times": 1})
        self.status429 = _times(obj, "status429", {"retry_after": 1, "times": 1})
        if self.count is None:
            self.count = 1
        self.left503 = self.status503["times"] if self.status503 else 0
        self.left429 = self.status429["times"] if self.status429 else 0
        self.left = self.count
        self._raw = dict(obj)

    def spent(self):
        return self.left503 == 0 and self.left429 == 0 and self.left == 0

    def as_dict(self):
        d = dict(self._raw)
        d["remaining"] = {"status503": self.left503, "status429": self.left429,
                          "count": self.left}
        return d


class Plan(object):
    """What one request gets: kind is 'normal', '503' or '429'."""

    def __init__(self, kind="normal", fault=None):
        self.kind = kind
        self.fault = fault


class FaultQueue(object):
    """FIFO of posted faults; the run-wide default applies when it is empty."""

    def __init__(self, default=None):
        self._q = []
        self._default = default
        self._lock = threading.Lock()

    def push(self, fault):
        with self._lock:
            if not fault.spent():
                self._q.append(fault)
            return len(self._q)

    def clear(self):
        with self._lock:
            n = len(self._q)
            self._q = []
            return n

    def snapshot(self):
        with self._lock:
            return {"queue": [f.as_dict() for f in self._q],
                    "default": self._default.as_dict() if self._default else None}

    def take(self):
        with self._lock:
            if self._q:
                f, sticky = self._q[0], False
            elif self._default is not None:
                f, sticky = self._default, True
            else:
                return Plan()
            if f.left503 > 0:
                f.left503 -= 1
                plan = Plan("503", f)
            elif f.left429 > 0:
                f.left429 -= 1
                plan = Plan("429", f)
            else:
                if not sticky:
                    f.left -= 1
                plan = Plan("normal", f)
            if not sticky and f.spent():
                self._q.pop(0)
            return plan


class WireWriter(object):
    """Sends response bytes, cutting them where the fault says.

    Offsets count wire bytes from the first byte of the status line, after
    chunked framing, so a test can aim at any byte of what the client reads.
    """

    def __init__(self, sock, fault, body_offset, destructive=True):
        self.sock = sock
        self.off = 0
        self.writes = 0
        self.ended = None  # None, "truncate" or "reset"
        f = fault
        self.split = list(f.split) if f else []
        self.every = 1 if f and f.drip else (f.every if f else None)
        if f and f.delay_ms is not None:
            self.delay = f.delay_ms / 1000.0
        else:
            self.delay = EVERY_DELAY_S if self.every else SPLIT_DELAY_S
        self.limit, self.limit_kind = None, None
        if f and destructive:
            if f.reset_at is not None:
                self.limit, self.limit_kind = f.reset_at, "reset"
            elif f.truncate_at is not None:
                self.limit, self.limit_kind = f.truncate_at, "truncate"
        self.stall_ms = f.stall_ms if f else None
        self.stall_at = None
        if self.stall_ms:
            self.stall_at = f.stall_at if f.stall_at is not None else body_offset
        self._sleep_pending = False
        self.pending = b""
        self.cutting = bool(self.split or self.every or self.limit is not None or self.stall_at is not None)

    def _next_cut(self):
        while self.split and self.split[0] <= self.off:
            self.split.pop(0)
        cuts = []
        if self.split:
            cuts.append(self.split[0])
        if self.every:
            cuts.append((self.off // self.every + 1) * self.every)
        if self.stall_at is not None and self.stall_at > self.off:
            cuts.append(self.stall_at)
        if self.limit is not None:
            cuts.append(self.limit)
        return min(cuts) if cuts else None

    def _is_boundary(self):
        if self.every and self.off % self.every == 0:
            return True
        return bool(self.split) and self.split[0] == self.off

    def _before_send(self):
        if self._sleep_pending:
            time.sleep(self.delay)
            self._sleep_pending = False
        if self.stall_at is not None and self.off == self.stall_at:
            time.sleep(self.stall_ms / 1000.0)
            self.stall_at = None

    def _send(self, data):
        self.sock.sendall(data)
        self.writes += 1
        self.off += len(data)

    def write(self, data):
        """Queue data for sending; False once the fault ended the connection."""
        if self.ended is not None:
            return False
        if not self.cutting:
            self._send(data)
            return True
        self.pending += data
        return self._drain(final=False)

    def _drain(self, final):
        # Bytes go out only at cut points, so the only read boundaries the
        # client can see are the ones the fault asked for.
        while self.pending:
            if self.limit is not None and self.off >= self.limit:
                self.ended, self.pending = self.limit_kind, b""
                return False
            cut = self._next_cut()
            if cut is None:
                n = len(self.pending)
            elif cut - self.off <= len(self.pending):
                n = cut - self.off
            elif final:
                n = len(self.pending)
            else:
                return True
            self._before_send()
            data, self.pending = self.pending[:n], self.pending[n:]
            self._send(data)
            if self._is_boundary():
                self._sleep_pending = True
        return True

    def finish(self):
        """After the last piece: a truncate/reset past the end still closes."""
        if self.ended is None:
            self._drain(final=True)
        if self.ended is None and self.limit is not None:
            self.ended = self.limit_kind
        return self.ended
