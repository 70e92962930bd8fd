#!/usr/bin/env bash
# Draws deploy/grafana/dashboard-preview.png, the stand-in for a Grafana screenshot: Grafana cannot be
# installed where edgerag is developed, so this evaluates the dashboard's own panel queries with a real
# Prometheus scraping a real appliance under scripted traffic, and draws the answers.
#
#   mvn -B package -DskipTests && deploy/grafana/render-dashboard.sh [traffic-seconds, default 90]
#
# Needs java, python3, curl, chromium and Debian's prometheus (apt-get install -y chromium prometheus).
# Everything it starts (the appliance, Prometheus, Chromium) runs on free loopback ports with its own
# temporary data, and is stopped on exit; a failing step stops the script with a message.
set -euo pipefail

cd "$(dirname "$0")/../.."
DASHBOARD=deploy/grafana/edgerag-dashboard.json
PNG=${RENDER_DASHBOARD_PNG:-deploy/grafana/dashboard-preview.png}
JAR=target/quarkus-app/quarkus-run.jar
TRAFFIC_SECONDS=${1:-90}
SCRAPE_SECONDS=2
WIDTH=1400

die() { echo "render-dashboard: $*" >&2; exit 1; }
say() { echo "render-dashboard: $*" >&2; }

[ -f "$JAR" ] || die "$JAR is missing: build it first (mvn -B package -DskipTests)"
for tool in java python3 curl chromium prometheus; do
  command -v "$tool" >/dev/null || die "$tool is not installed (Debian: apt-get install -y chromium prometheus python3 curl)"
done

WORK=$(mktemp -d -t edgerag-dashboard.XXXXXX)
STARTED=()

stop_started() {
  local pid
  for pid in "${STARTED[@]}"; do
    kill "$pid" 2>/dev/null || continue
    # The appliance closes its stores on SIGTERM; give it time before forcing it.
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap stop_started EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for NAME PID URL SECONDS LOG: until URL answers 2xx; fails if the process died or time ran out.
wait_for() {
  local name=$1 pid=$2 url=$3 seconds=$4 log=$5
  for _ in $(seq 1 "$seconds"); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$log" >&2; die "$name exited before $url answered"; }
    sleep 1
  done
  tail -n 40 "$log" >&2
  die "$name did not answer $url within ${seconds}s"
}

# --- the appliance -------------------------------------------------------------------------------
APP_PORT=$(free_port)
APP="http://127.0.0.1:$APP_PORT"
say "starting the appliance on $APP (data in $WORK/data)"
EDGERAG_DATA_DIR="$WORK/data" QUARKUS_HTTP_PORT=$APP_PORT QUARKUS_HTTP_HOST=127.0.0.1 \
  EDGERAG_SECURITY_RATE_LIMIT_ENABLED=false \
  java -jar "$JAR" >"$WORK/app.log" 2>&1 &
APP_PID=$!
STARTED+=("$APP_PID")
wait_for appliance "$APP_PID" "$APP/q/health/live" 300 "$WORK/app.log"
# Readiness = index loaded; the sample corpus ingests on this first run.
wait_for appliance "$APP_PID" "$APP/q/health/ready" 300 "$WORK/app.log"

# --- Prometheus ----------------------------------------------------------------------------------
PROM_PORT=$(free_port)
PROM="http://127.0.0.1:$PROM_PORT"
cat >"$WORK/prometheus.yml" <<EOF
global:
  scrape_interval: ${SCRAPE_SECONDS}s
  evaluation_interval: ${SCRAPE_SECONDS}s
scrape_configs:
  - job_name: edgerag
    metrics_path: /q/metrics
    static_configs:
      - targets: ['127.0.0.1:$APP_PORT']
EOF
say "starting Prometheus on $PROM, scraping $APP/q/metrics every ${SCRAPE_SECONDS}s"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prometheus" \
  --web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
STARTED+=("$PROM_PID")
wait_for prometheus "$PROM_PID" "$PROM/-/ready" 60 "$WORK/prometheus.log"
RANGE_START=$(date +%s)

# --- scripted traffic ----------------------------------------------------------------------------
api() { # api METHOD PATH [JSON]: fails the script on a non-2xx answer
  local body=()
  [ $# -lt 3 ] || body=(--data "$3")
  curl -fsS --max-time 120 -X "$1" "$APP$2" -H 'Content-Type: application/json' \
    -H 'Accept: application/json, text/event-stream' "${body[@]}" -o /dev/null \
    || die "$1 $2 failed"
}
NEAR=("How do I ask a question?" "What happens when Ollama is down?" "How do edges sync with each other?"
      "Which settings can I configure?" "How do I ingest documents?")
FAR=("recipe for sourdough bread" "who won the 1954 world cup" "tide tables for Brest in March")
say "sending ${TRAFFIC_SECONDS}s of traffic: ingests, searches (near and far from the corpus), chats, a delete"
end=$(( $(date +%s) + TRAFFIC_SECONDS ))
round=0
while [ "$(date +%s)" -lt "$end" ]; do
  round=$((round + 1))
  api POST /api/documents "{\"id\":\"render-note-$round\",\"title\":\"Field note $round\",\"text\":\"Field note $round: the edge box in hut $round synced its outbox after the link came back; operators check sync lag, outbox depth and the local hit ratio on the dashboard.\"}"
  for q in "${NEAR[@]:$((round % 5)):2}" "${FAR[$((round % 3))]}"; do
    api POST /api/search "{\"query\":\"$q\",\"k\":3}"
  done
  if (( round % 2 )); then api POST /api/chat "{\"question\":\"${NEAR[$((round % 5))]}\",\"k\":2}"; fi
  if (( round == 3 )); then api DELETE /api/documents/render-note-1; fi
  sleep 3
done
# Two more scrapes so the last requests are in the range.
sleep $((SCRAPE_SECONDS * 2 + 1))
RANGE_END=$(date +%s)
curl -fsS "$PROM/api/v1/query?query=up" | grep -q '"value":\[[0-9.]*,"1"\]' \
  || die "Prometheus does not see the appliance as up"

# --- evaluate every panel's queries and draw them ------------------------------------------------
HEIGHT_FILE="$WORK/height"
python3 - "$DASHBOARD" "$PROM" "$RANGE_START" "$RANGE_END" "$SCRAPE_SECONDS" "$WIDTH" \
  "$WORK/dashboard.html" "$HEIGHT_FILE" <<'PY'
import html, json, math, re, sys, time, urllib.parse, urllib.request

dashboard_path, prom, start, end, scrape, width, out_html, height_file = sys.argv[1:]
start, end, scrape, width = int(start), int(end), int(scrape), int(width)
dashboard = json.load(open(dashboard_path))
step = max(scrape, (end - start) // 120)

# Grafana's built-in variables and the dashboard's template variables, as Grafana would fill them
# in for "all appliances" over this time range.
variables = {
    "__interval": f"{step}s", "__interval_ms": str(step * 1000),
    "__rate_interval": f"{max(step + scrape, 4 * scrape)}s",
    "__range": f"{end - start}s", "__range_s": str(end - start), "__range_ms": str((end - start) * 1000),
}
for v in dashboard.get("templating", {}).get("list", []):
    if v.get("type") == "datasource":
        variables[v["name"]] = "prometheus"
    else:
        variables[v["name"]] = v.get("allValue") or ".*"

def fill(expr):
    def one(m):
        name = m.group(1) or m.group(2) or m.group(3)
        if name not in variables:
            sys.exit(f"render-dashboard: unknown variable ${name} in {expr}")
        return variables[name]
    return re.sub(r"\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)", one, expr)

def query_range(expr):
    qs = urllib.parse.urlencode({"query": expr, "start": start, "end": end, "step": step})
    try:
        with urllib.request.urlopen(f"{prom}/api/v1/query_range?{qs}", timeout=60) as r:
            body = json.load(r)
    except urllib.error.HTTPError as e:
        sys.exit(f"render-dashboard: Prometheus refused {expr}: {e.read().decode()}")
    if body.get("status") != "success":
        sys.exit(f"render-dashboard: Prometheus failed on {expr}: {body}")
    return body["data"]["result"]

def legend(fmt, labels):
    if not fmt:
        return "{" + ", ".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), fmt).strip()

def fmt_value(v, unit):
    if v is None or math.isnan(v):
        return "NaN"
    if unit == "percentunit":
        return f"{v * 100:.1f}%"
    if unit == "s":
        a = abs(v)
        if a == 0: return "0 s"
        if a < 1e-3: return f"{v * 1e6:.0f} µs"
        if a < 1: return f"{v * 1e3:.1f} ms"
        return f"{v:.2f} s"
    suffix = " ops/s" if unit == "ops" else ""
    for div, s in ((1e9, "G"), (1e6, "M"), (1e3, "K")):
        if abs(v) >= div:
            return f"{v / div:.1f}{s}{suffix}"
    return (f"{v:.0f}" if v == int(v) else f"{v:.3g}") + suffix

PALETTE = ["#73BF69", "#F2CC0C", "#8AB8FF", "#FF780A", "#F2495C", "#5794F2", "#B877D9", "#FADE2A"]

def nice_max(v):
    if v <= 0: return 1.0
    mag = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * mag: return m * mag
    return 10 * mag

def chart(series, unit, w, h):
    left, right, top, bottom = 64, 8, 8, 22
    pw, ph = w - left - right, h - top - bottom
    values = [y for s in series for _, y in s["points"] if y is not None]
    lo = min(0.0, min(values)); hi = nice_max(max(values) if max(values) > 0 else 1)
    if hi == lo: hi = lo + 1
    X = lambda t: left + (t - start) / max(1, end - start) * pw
    Y = lambda y: top + ph - (y - lo) / (hi - lo) * ph
    out = [f'<svg width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg">']
    for i in range(5):
        y = lo + (hi - lo) * i / 4
        out.append(f'<line x1="{left}" x2="{w - right}" y1="{Y(y):.1f}" y2="{Y(y):.1f}" stroke="#2c3036"/>'
                   f'<text x="{left - 6}" y="{Y(y) + 4:.1f}" text-anchor="end">{html.escape(fmt_value(y, unit))}</text>')
    for i in range(5):
        t = start + (end - start) * i / 4
        anchor = ("start", "middle", "middle", "middle", "end")[i]
        out.append(f'<text x="{X(t):.1f}" y="{h - 6}" text-anchor="{anchor}">{time.strftime("%H:%M:%S", time.localtime(t))}</text>')
    for s in series:
        path, pen = [], "M"
        for t, y in s["points"]:
            if y is None:
                pen = "M"; continue
            path.append(f"{pen}{X(t):.1f},{Y(y):.1f}"); pen = "L"
        out.append(f'<path d="{" ".join(path)}" fill="none" stroke="{s["color"]}" stroke-width="1.6"/>')
    out.append("</svg>")
    return "".join(out)

def sparkline(points, w, h, color):
    ys = [y for _, y in points if y is not None]
    lo, hi = min(ys), max(ys)
    hi = hi if hi > lo else lo + 1
    pts = " ".join(f"{(t - start) / max(1, end - start) * w:.1f},{h - (y - lo) / (hi - lo) * h:.1f}"
                   for t, y in points if y is not None)
    return (f'<svg class="spark" width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg">'
            f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-opacity="0.55" stroke-width="2"/></svg>')

def stat_color(v, panel):
    steps = (panel.get("fieldConfig", {}).get("defaults", {}).get("thresholds", {}).get("steps")
             or [{"color": "green", "value": None}, {"color": "red", "value": 80}])
    color = steps[0]["color"]
    for s in steps[1:]:
        if s.get("value") is not None and v >= s["value"]:
            color = s["color"]
    return {"green": "#37872D", "red": "#C4162A", "yellow": "#E0B400", "orange": "#FA6400"}.get(color, color)

COL, ROW, GAP, HEADER = (width - 16) / 24, 34, 8, 92
boxes, no_data, bottom_edge = [], [], 0
for panel in dashboard["panels"]:
    g = panel["gridPos"]
    x, y, w, h = 8 + g["x"] * COL, HEADER + g["y"] * ROW, g["w"] * COL - GAP, g["h"] * ROW - GAP
    bottom_edge = max(bottom_edge, y + h)
    unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit", "short")
    series, empty, nan_only = [], [], False
    for target in panel.get("targets", []):
        result = query_range(fill(target["expr"]))
        nan_only = nan_only or bool(result)
        got = False
        for r in result:
            pts = [(float(t), None if v in ("NaN", "+Inf", "-Inf") else float(v)) for t, v in r["values"]]
            if any(v is not None for _, v in pts):
                got = True
                series.append({"name": legend(target.get("legendFormat"), r["metric"]), "points": pts,
                               "color": PALETTE[len(series) % len(PALETTE)]})
        if not got:
            empty.append(target.get("legendFormat") or target["refId"])
    title = html.escape(panel.get("title", ""))
    body_h = h - 34
    if not series:
        no_data.append(panel.get("title", ""))
        why = "only NaN: nothing observed in the window" if nan_only else "no series"
        inner = f'<div class="nodata">no data<small>{why}</small></div>'
    elif panel.get("type") == "stat":
        s = series[0]
        last = next(v for _, v in reversed(s["points"]) if v is not None)
        inner = (f'<div class="stat" style="background:{stat_color(last, panel)}">'
                 f'{sparkline(s["points"], int(w - 2), int(body_h * 0.55), "#ffffff")}'
                 f'<span>{html.escape(fmt_value(last, unit))}</span></div>')
    else:
        legend_h = 18 * ((len(series) + 1) // 2)
        keys = "".join(f'<span><i style="background:{s["color"]}"></i>{html.escape(s["name"])}</span>' for s in series)
        note = f'<span class="empty">no data: {html.escape(", ".join(empty))}</span>' if empty else ""
        inner = chart(series, unit, int(w - 12), int(body_h - legend_h - 4)) + f'<div class="legend">{keys}{note}</div>'
    boxes.append(f'<div class="panel" style="left:{x:.0f}px;top:{y:.0f}px;width:{w:.0f}px;height:{h:.0f}px">'
                 f'<div class="title">{title}</div><div class="body">{inner}</div></div>')

height = int(bottom_edge + 12)
stamp = lambda t: time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t))
page = f"""<!doctype html><html><head><meta charset="utf-8"><style>
body {{ margin:0; background:#111217; color:#ccccdc; font:13px/1.3 "DejaVu Sans", sans-serif; width:{width}px; height:{height}px; position:relative; overflow:hidden }}
.head {{ position:absolute; left:12px; top:8px; right:12px }}
.head h1 {{ font-size:19px; font-weight:500; margin:0 0 4px; color:#e8e8f0 }}
.head p {{ margin:0; font-size:12px; color:#9fa3ad }}
.panel {{ position:absolute; background:#181b1f; border:1px solid #2a2d33; border-radius:3px; box-sizing:border-box; overflow:hidden }}
.title {{ font-weight:500; padding:6px 8px; color:#d8d9e0 }}
.body {{ position:absolute; left:6px; right:6px; top:30px; bottom:6px }}
svg text {{ fill:#9fa3ad; font:11px "DejaVu Sans", sans-serif }}
.legend {{ font-size:11.5px; padding-left:60px }}
.legend span {{ display:inline-block; width:48%; white-space:nowrap; overflow:hidden; text-overflow:ellipsis }}
.legend i {{ display:inline-block; width:12px; height:3px; margin:0 5px 3px 0; vertical-align:middle }}
.legend .empty {{ color:#FF9830 }}
.stat {{ position:absolute; inset:0; border-radius:2px; display:flex; align-items:center; justify-content:center }}
.stat span {{ font-size:40px; font-weight:500; color:#fff; position:relative }}
.stat .spark {{ position:absolute; left:0; bottom:0 }}
.nodata {{ position:absolute; inset:0; display:flex; align-items:center; justify-content:center; flex-direction:column; font-size:20px; color:#FF9830 }}
.nodata small {{ font-size:12px; color:#9fa3ad; margin-top:6px }}
</style></head><body><div class="head">
<h1>{html.escape(dashboard.get("title", ""))}</h1>
<p>Not Grafana: each panel's own PromQL from {html.escape(dashboard_path)} evaluated with query_range by a real Prometheus
({scrape} s scrapes of one appliance's /q/metrics) over {stamp(start)} – {stamp(end)} (step {step} s), drawn by
deploy/grafana/render-dashboard.sh. Single appliance, sync off, no Ollama, no cloud store: chats answer degraded.
{("No data: " + html.escape(", ".join(no_data)) + ".") if no_data else ""}</p>
</div>{"".join(boxes)}</body></html>"""
open(out_html, "w").write(page)
open(height_file, "w").write(str(height))
for t in no_data:
    print(f"render-dashboard: panel without data: {t}", file=sys.stderr)
PY

say "screenshotting $WORK/dashboard.html into $PNG"
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --hide-scrollbars \
  --user-data-dir="$WORK/chromium" --screenshot="$WORK/shot.png" --window-size="$WIDTH,$(cat "$HEIGHT_FILE")" \
  --virtual-time-budget=5000 "file://$WORK/dashboard.html" >"$WORK/chromium.log" 2>&1 \
  || { tail -n 20 "$WORK/chromium.log" >&2; die "chromium failed"; }
[ -s "$WORK/shot.png" ] || die "chromium wrote no screenshot"
cp "$WORK/shot.png" "$PNG"
say "wrote $PNG ($(stat -c %s "$PNG") bytes)"
