"""The shift dashboard (/desk/stats): what came in, how fast it was taken and closed, what was stopped.
Server-rendered HTML with inline SVG bars: no script, no CDN; times in the centre's zone."""
from __future__ import annotations

import html
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, List, Optional, Tuple
from zoneinfo import ZoneInfo

from bot.desk.store import NOTHING_FROZEN, OUTCOMES, STOP_NOTICE_HOURS
from bot.desk.timefmt import human_time
from bot.privacy import mask_number
from bot.scam.types import SCAM_TYPES

CHANNEL_LABELS = {"webchat": "网页聊天", "voice": "96110 电话", "wechat": "微信公众号", "rest": "接口（REST）",
                  "unknown": "未知渠道"}
PERIOD_HOURS = (8, 12, 24, 72, 168)  # a shift, a long shift, a day, three days, a week
DEFAULT_PERIOD_HOURS = 12


@dataclass(frozen=True)
class ShiftStats:
    since: float
    now: float
    hours: int
    cases: int
    by_scam_type: List[Tuple[str, int]]
    by_channel: List[Tuple[str, int]]
    by_hour: List[Tuple[str, int]]  # ("20时", n) in the centre's zone, oldest hour first
    reported_amount: float
    frozen_amount: float
    outcomes: List[Tuple[str, int]]
    minutes_to_claim: Optional[float]  # median, hand-off → claim
    minutes_to_close: Optional[float]  # median, hand-off → close
    registrations: int
    stops: List[Dict[str, Any]]  # running stops, soonest expiry first


def _median_minutes(pairs: List[Tuple[Optional[float], Optional[float]]]) -> Optional[float]:
    spans = [(end - start) / 60 for start, end in pairs if start is not None and end is not None and end >= start]
    return statistics.median(spans) if spans else None


def shift_stats(rows: List[Dict[str, Any]], stops: List[Dict[str, Any]], now: float, hours: int,
                zone: ZoneInfo) -> ShiftStats:
    since = now - hours * 3600
    new = [r for r in rows if r["created_at"] >= since or r["handoff_at"] >= since]
    closed = [r for r in rows if r["closed_at"] is not None and r["closed_at"] >= since]
    claimed = [r for r in rows if r["claimed_at"] is not None and r["claimed_at"] >= since]
    scam = Counter(SCAM_TYPES.get(r["scam_type"], r["scam_type"]) for r in new)
    channel = Counter(CHANNEL_LABELS.get(r["channel"], r["channel"]) for r in new)
    # One bar an hour, for the period's last 24 hours at most.
    first = datetime.fromtimestamp(max(since, now - 23 * 3600), zone).replace(minute=0, second=0, microsecond=0)
    hour_counts: Counter = Counter()
    for r in new:
        moment = datetime.fromtimestamp(r["handoff_at"], zone).replace(minute=0, second=0, microsecond=0)
        if moment >= first:
            hour_counts[moment.timestamp()] += 1
    by_hour = []
    moment = first.timestamp()
    while moment <= now:
        by_hour.append((f"{datetime.fromtimestamp(moment, zone).hour}时", hour_counts.get(moment, 0)))
        moment += 3600
    outcomes = Counter(OUTCOMES.get(r["outcome"], r["outcome"]) for r in closed)
    # an outcome where nothing was frozen counts nothing, whatever an older version let in
    frozen = sum((r["frozen_amount"] or 0.0) for r in closed if r["outcome"] not in NOTHING_FROZEN) + \
        sum(r["stops_frozen_amount"] for r in rows if r["outcome"] is None)  # not counted twice once closed
    return ShiftStats(
        since=since, now=now, hours=hours, cases=len(new),
        by_scam_type=scam.most_common(), by_channel=channel.most_common(), by_hour=by_hour,
        reported_amount=sum(r["total_amount"] for r in new), frozen_amount=frozen,
        outcomes=[(label, outcomes[label]) for label in OUTCOMES.values() if outcomes[label]],
        minutes_to_claim=_median_minutes([(r["handoff_at"], r["claimed_at"]) for r in claimed]),
        minutes_to_close=_median_minutes([(r["handoff_at"], r["closed_at"]) for r in closed]),
        registrations=sum(1 for r in new if r["reason"] == "registration"),
        # A dashboard is not a case read: account numbers masked.
        stops=[{**{k: v for k, v in stop.items() if k != "key"}, "account": mask_number(stop["account"])}
               for stop in stops])


# --- the page -------------------------------------------------------------------------------------
def _bars(title: str, items: List[Tuple[str, int]], empty: str = "本时段没有") -> str:
    """Horizontal bars, one per label."""
    if not items or not any(n for _, n in items):
        return f"<section class='panel'><h2>{html.escape(title)}</h2><p class='muted'>{empty}</p></section>"
    top = max(n for _, n in items)
    row_h, bar_w = 26, 300
    label_w = max(80, max(text_width(label) for label, _ in items) + 16)  # the longest label fits
    rows = []
    for i, (label, n) in enumerate(items):
        y = i * row_h
        width = 0 if not n else max(2, round(bar_w * n / top))
        rows.append(f"<text x='{label_w - 8}' y='{y + 17}' text-anchor='end'>{html.escape(label)}</text>"
                    f"<rect x='{label_w}' y='{y + 4}' width='{width}' height='{row_h - 8}' rx='3'/>"
                    f"<text x='{label_w + width + 6}' y='{y + 17}' class='n'>{n}</text>")
    height = row_h * len(items)
    return (f"<section class='panel'><h2>{html.escape(title)}</h2>"
            f"<svg role='img' aria-label='{html.escape(title)}' viewBox='0 0 {label_w + bar_w + 50} {height}' "
            f"width='{label_w + bar_w + 50}' height='{height}'>{''.join(rows)}</svg></section>")


def text_width(text: str, font_px: int = 13) -> int:
    """About how wide a label is drawn (px): a CJK character is a full em, anything else about half."""
    return sum(font_px if ord(char) > 0x2E80 else font_px * 0.6 for char in text).__ceil__()


def _columns(title: str, items: List[Tuple[str, int]]) -> str:
    """Vertical bars: cases per hour, each with its count above it (room for it above the tallest)."""
    top = max([n for _, n in items] + [1])
    col_w, chart_h, base = 26, 120, 160
    parts = []
    for i, (label, n) in enumerate(items):
        x = i * col_w
        h = round(chart_h * n / top)
        parts.append(f"<rect x='{x + 4}' y='{base - 20 - h}' width='{col_w - 8}' height='{h}' rx='2'/>"
                     + (f"<text x='{x + col_w / 2}' y='{base - 24 - h}' text-anchor='middle' class='n'>{n}</text>"
                        if n else "")
                     + f"<text x='{x + col_w / 2}' y='{base - 4}' text-anchor='middle' class='axis'>"
                       f"{html.escape(label)}</text>")
    width = col_w * len(items)
    return (f"<section class='panel wide'><h2>{html.escape(title)}</h2>"
            f"<svg role='img' aria-label='{html.escape(title)}' viewBox='0 0 {width} {base}' width='{width}' "
            f"height='{base}'>{''.join(parts)}</svg></section>")


def _money(value: float) -> str:
    return f"{value:,.2f} 元"


def _minutes(value: Optional[float]) -> str:
    if value is None:
        return "暂无"
    if value < 1:
        return "不到 1 分钟"
    return f"{value:.0f} 分钟" if value < 120 else f"{value / 60:.1f} 小时"


def _stops_table(stats: ShiftStats, zone: ZoneInfo) -> str:
    if not stats.stops:
        return "<section class='panel wide'><h2>止付中的账户</h2><p class='muted'>没有止付中的账户</p></section>"
    rows = []
    for stop in stats.stops:
        expires = datetime.fromisoformat(stop["expires_at"]).timestamp()
        state = "已到期，请重新申请或办理冻结" if stop["expired"] else \
            f"{STOP_NOTICE_HOURS} 小时内到期，请续止付或冻结" if stop["expiring_soon"] else "止付中"
        css = " class='late'" if stop["expired"] or stop["expiring_soon"] else ""
        left = (expires - stats.now) / 3600
        rows.append(f"<tr{css}><td><a href='/desk/#case-{stop['case_id']}'>#{stop['case_id']}</a></td>"
                    f"<td class='mono'>{html.escape(stop['account'])}</td>"
                    f"<td>{html.escape(human_time(stop['expires_at'], zone, stats.now))}</td>"
                    f"<td>{'—' if left <= 0 else f'{left:.1f} 小时'}</td>"
                    f"<td>{'已续一次' if stop['renewals'] else '未续'}</td><td>{html.escape(state)}</td></tr>")
    return ("<section class='panel wide'><h2>止付中的账户（先到期的在前）</h2><table>"
            "<tr><th>案件</th><th>收款账号</th><th>到期</th><th>剩余</th><th>续止付</th><th>提醒</th></tr>"
            + "".join(rows) + "</table></section>")


def render_stats(stats: ShiftStats, zone: ZoneInfo, officer: str) -> str:
    periods = " ".join(
        f"<a href='?hours={h}'{' class=active' if h == stats.hours else ''}>"
        f"{'近 ' + str(h) + ' 小时' if h < 72 else '近 ' + str(h // 24) + ' 天'}</a>" for h in PERIOD_HOURS)
    figures = [("新案件", f"{stats.cases} 件", f"其中报案登记 {stats.registrations} 件"),
               ("报案涉案金额", _money(stats.reported_amount), "本时段新案件"),
               ("已冻结（止付）金额", _money(stats.frozen_amount), "本时段结案及冻结"),
               ("转人工→认领（中位数）", _minutes(stats.minutes_to_claim), "本时段认领的案件"),
               ("转人工→结案（中位数）", _minutes(stats.minutes_to_close), "本时段结案的案件")]
    tiles = "".join(f"<div class='tile'><span>{html.escape(a)}</span><b>{html.escape(b)}</b>"
                    f"<small>{html.escape(c)}</small></div>" for a, b, c in figures)
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>值班统计 · 民警工作台</title><link rel="stylesheet" href="/desk/static/desk.css"></head>
<body class="stats">
<header class="topbar"><strong>96110 反诈中心 · 值班统计</strong><a href="/desk/">返回工作台</a>
<span class="spacer"></span><span>民警 {html.escape(officer)}</span></header>
<main>
<p class="period">{periods}<span class="muted">统计时段：{html.escape(human_time(stats.since, zone, stats.now))}
至 {html.escape(human_time(stats.now, zone, stats.now))}（{html.escape(str(zone))}）</span></p>
<div class="tiles">{tiles}</div>
<div class="panels">
{_columns("每小时新案件", stats.by_hour)}
{_bars("诈骗类型", stats.by_scam_type)}
{_bars("渠道", stats.by_channel)}
{_bars("结案结果", stats.outcomes, "本时段没有结案")}
{_stops_table(stats, zone)}
</div>
</main></body></html>"""
