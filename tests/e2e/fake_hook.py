#!/usr/bin/env python3
"""Stand-in hook command: appends each hook's stdin payload as one JSON line to a log.

Usage (as a hook "command"):  fake_hook.py LOGFILE [--context TEXT]

With --context, it answers on stdout with
  {"hookSpecificOutput": {"hookEventName": <event>, "additionalContext": TEXT}}
(meaningful for SessionStart / UserPromptSubmit). Also usable as a Bash-tool / `!` command:
with no stdin payload it logs {"argv": [...]} and prints a line.
"""
import json
import os
import sys
import time


def main():
    args = sys.argv[1:]
    if not args:
        print("fake_hook: no log file given")
        return 0
    log, rest = args[0], args[1:]
    context = None
    if "--context" in rest:
        i = rest.index("--context")
        context = rest[i + 1] if i + 1 < len(rest) else ""
        rest = rest[:i] + rest[i + 2:]
    raw = "" if sys.stdin.isatty() else sys.stdin.read()
    try:
        payload = json.loads(raw) if raw.strip() else None
    except ValueError:
        payload = {"_raw": raw}
    entry = {"time": time.time(), "pid": os.getpid(), "argv": rest, "cwd": os.getcwd(),
             "env": {k: v for k, v in os.environ.items()
                     if k.startswith("CLAUDE") and "KEY" not in k and "TOKEN" not in k},
             "payload": payload}
    with open(log, "a") as f:
        f.write(json.dumps(entry) + "\n")
    event = (payload or {}).get("hook_event_name") if isinstance(payload, dict) else None
    if context is not None and event:
        print(json.dumps({"hookSpecificOutput": {"hookEventName": event,
                                                 "additionalContext": context}}))
    elif payload is None:
        print("fake_hook ran: " + " ".join(rest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
