"""Reads py-spy's raw output (``py-spy record --format raw``, as bench/load.py --profile writes it)
and prints where the server's time went: the share of samples under each function (inclusive)
and at its top (self), for the functions of our code and of the libraries under it.

    .venv/bin/python bench/profile_summary.py /tmp/profile/workshop-gevent-single-PORT.txt [--top 40] [--match workshop/]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter

FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def frames(stack: str) -> list[str]:
    out = []
    for frame in stack.split(";"):
        match = FRAME.match(frame.strip())
        if match:
            path = match["file"]
            short = path.split("site-packages/")[-1].split("/work/main/")[-1]
            out.append(f"{match['function']} ({short})")
        else:
            out.append(frame.strip())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--match", default="", help="only functions whose file contains this")
    parser.add_argument(
        "--idle", default="hub.py|select|epoll|wait (threading.py)|_recv_loop", help="stacks ending here are idle"
    )
    args = parser.parse_args()
    inclusive, own = Counter(), Counter()
    total = idle = 0
    idle_markers = args.idle.split("|")
    for name in args.files:
        with open(name) as lines:
            for line in lines:
                stack, _, count = line.rstrip().rpartition(" ")
                if not count.isdigit():
                    continue
                n = int(count)
                stack_frames = frames(stack)
                total += n
                if stack_frames and any(m in stack_frames[-1] for m in idle_markers):
                    idle += n
                    continue
                for frame in set(stack_frames):
                    inclusive[frame] += n
                if stack_frames:
                    own[stack_frames[-1]] += n
    busy = total - idle
    print(f"{total} samples, {busy} busy ({100 * busy / max(1, total):.0f} %), {idle} idle")
    print(f"\nInclusive (share of busy samples){' matching ' + args.match if args.match else ''}:")
    for frame, n in inclusive.most_common():
        if args.match in frame:
            print(f"  {100 * n / max(1, busy):5.1f} %  {frame}")
            args.top -= 1
            if args.top <= 0:
                break
    print("\nSelf (top of the stack):")
    for frame, n in own.most_common(25):
        print(f"  {100 * n / max(1, busy):5.1f} %  {frame}")


if __name__ == "__main__":
    main()
