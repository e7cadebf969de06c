#!/usr/bin/env python3
"""Records a stretch of a running Prometheus' history as promtool input series.

Usage: record.py PROMETHEUS_URL START END STEP_SECONDS > history.yml

START and END are RFC 3339 times or Unix seconds. Writes, as YAML for promtool's `input_series`,
every scraped series whose metric name an alerting or recording rule loaded in that Prometheus
reads (the rules' own recorded names and ALERTS are left out: promtool evaluates the rules again),
sampled every STEP_SECONDS from START to END as PromQL sees them ('_' where a series had no sample).
HealthyHistoryReplayTest replays such a recording through every rule file with promtool.

Standard library only; talks to Prometheus' HTTP API (/api/v1/rules, /api/v1/label/__name__/values,
/api/v1/query_range).
"""
import json
import re
import sys
import urllib.parse
import urllib.request


def api(base, path, **params):
    url = base.rstrip("/") + path + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=60) as r:
        body = json.load(r)
    if body.get("status") != "success":
        sys.exit(f"{url}: {body}")
    return body["data"]


def number(v):
    f = float(v)
    return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)


def expand_notation(values):
    """promtool's expanding notation of a sample list (None: no sample): 'a+bxn' for n + 1 values
    rising by b (integers only, so that promtool expands to the very values), '_xn' for n gaps."""
    parts, i = [], 0
    while i < len(values):
        v = values[i]
        j = i + 1
        if v is None:
            while j < len(values) and values[j] is None:
                j += 1
            parts.append("_" if j - i == 1 else f"_x{j - i}")
        else:
            exact = float(v).is_integer() and (j >= len(values) or values[j] is None or float(values[j]).is_integer())
            if j < len(values) and values[j] is not None and (exact or float(values[j]) == float(v)):
                d = float(values[j]) - float(v)
                while j + 1 < len(values) and values[j + 1] is not None and float(values[j + 1]) - float(values[j]) == d \
                        and (d == 0 or float(values[j + 1]).is_integer()):
                    j += 1
                n = j - i
                parts.append(f"{number(v)}{'+' + number(d) if d > 0 else ('-' + number(-d) if d < 0 else '')}x{n}")
                j += 1
            else:
                parts.append(number(v))
        i = j
    return " ".join(parts)


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    base, start, end, step = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    queries, recorded = [], {"ALERTS", "ALERTS_FOR_STATE"}
    for group in api(base, "/api/v1/rules")["groups"]:
        for rule in group["rules"]:
            queries.append(rule["query"])
            if rule["type"] == "recording":
                recorded.add(rule["name"])
    words = set(re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", "\n".join(queries)))
    names = sorted(n for n in api(base, "/api/v1/label/__name__/values") if n in words and n not in recorded)
    out = [f"# recorded from {base} from {start} to {end} every {step}s by deploy/prometheus/history/record.py",
           f"# metric names the rules read: {len(names)}"]
    count = 0
    grid = range(int(api_time(start)), int(api_time(end)) + 1, step)
    for name in names:
        data = api(base, "/api/v1/query_range", query=f'{{__name__="{name}"}}', start=start, end=end, step=step)
        for series in data["result"]:
            labels = series["metric"]
            metric = labels.pop("__name__")
            selector = metric + "{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"
            values = {int(float(t)): v for t, v in series["values"]}
            out.append("- series: '" + selector.replace("'", "''") + "'")
            out.append("  values: '" + expand_notation([values.get(t) for t in grid]) + "'")
            count += 1
    out.insert(2, f"# series: {count}")
    out.insert(3, f"# samples per series: {len(grid)}")
    print("\n".join(out))


def api_time(t):
    """Unix seconds of an RFC 3339 time or of Unix seconds given as text."""
    try:
        return float(t)
    except ValueError:
        from datetime import datetime
        return datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()


if __name__ == "__main__":
    main()
