"""Extract response bodies (and SSE events) of the recorded exchanges as fuzz seeds."""
import base64, json, os, sys

src, dst = sys.argv[1], os.path.join(sys.argv[2], "seed")
os.makedirs(dst, exist_ok=True)
n = 0
for name in sorted(os.listdir(src)):
    if not name.endswith(".json"):
        continue
    with open(os.path.join(src, name), encoding="utf-8") as f:
        ex = json.load(f)
    resp = ex["response"]
    body = resp.get("body_text")
    data = body.encode("utf-8") if body is not None else base64.b64decode(resp.get("body_base64", ""))
    if len(data) > 64 * 1024:
        continue
    head = "HTTP/1.1 %d X\r\n" % resp["status"]
    for k, v in resp["headers"].items():
        if k.lower() not in ("content-length", "transfer-encoding"):
            head += "%s: %s\r\n" % (k, v)
    head += "Content-Length: %d\r\n\r\n" % len(data)
    for i, blob in enumerate((data, head.encode() + data)):
        with open(os.path.join(dst, "%s.%d" % (name[:-5], i)), "wb") as out:
            out.write(blob)
        n += 1
print("fuzz: %d seeds from %s" % (n, src))
