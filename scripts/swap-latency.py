#!/usr/bin/env python3
"""Time from a change on disk to the new version serving, for `pacto serve`.

usage: swap-latency.py BASE_URL BUNDLE_DIR [SWAPS] [PAUSE_S]

Rewrites BUNDLE_DIR/policy.toml SWAPS times (default 20), PAUSE_S seconds apart
(default 0.5), each time with another comment at its end (a new digest, the same name
and version, so a Wasm component still matches it), and after each write polls
GET /v1/policies every millisecond until a new digest serves. Prints each time and the
median and maximum. Standard library only.
"""

import json
import re
import statistics
import sys
import time
import urllib.request


def serving(base, name):
    with urllib.request.urlopen(f"{base}/v1/policies") as r:
        for p in json.load(r):
            if p["name"] == name:
                return p["digest"]
    return None


def main():
    base, bundle = sys.argv[1], sys.argv[2]
    swaps = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    pause = float(sys.argv[4]) if len(sys.argv) > 4 else 0.5
    path = f"{bundle}/policy.toml"
    original = open(path).read()
    name = re.search(r'^name = "([^"]+)"', original, re.M).group(1)
    times = []
    try:
        for i in range(swaps):
            before = serving(base, name)
            start = time.perf_counter()
            with open(path, "w") as f:
                f.write(f"{original}\n# swap {i}\n")
            while serving(base, name) == before:
                if time.perf_counter() - start > 30:
                    sys.exit(f"swap {i} never served")
                time.sleep(0.001)
            times.append((time.perf_counter() - start) * 1000)
            print(f"swap {i + 1}: {times[-1]:.0f} ms", flush=True)
            time.sleep(pause)
    finally:
        with open(path, "w") as f:
            f.write(original)
    print(f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms over {len(times)} swaps")


if __name__ == "__main__":
    main()
