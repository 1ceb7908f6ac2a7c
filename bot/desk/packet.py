"""The stop-payment request (紧急止付申请), one per receiving account (a bank acts per account): JSON export
and a printable A4 page. What the bank checks against its records (银发〔2016〕86号: account, holder, amount,
time) and the case lacks is flagged, so the officer asks the citizen before sending it."""
from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, List, Optional
from zoneinfo import ZoneInfo

from bot.desk.store import STOP_HOURS, receiving_accounts
from bot.desk.timefmt import full_time
from bot.extract.channels import CHANNEL_NAMES
from bot.report.model import BANK_CHECKED_FIELDS, UNKNOWN

# What the bank refuses a request without, as the card and the page name it.
MISSING_LABELS = {"to_account": "收款账号不详", "to_name": "户名不详", "amount": "金额不详", "time": "转账时间不详"}
MISSING_SUFFIX = " — 银行可能拒绝"
# What the bank needs to check the request against the victim's side and to call back, flagged the same way.
VICTIM_MISSING = {"name": "报案人姓名不详 — 银行核对需要", "phone": "报案人电话不详 — 银行联系报案人需要"}
PAYING_MISSING = "付款账户不详 — 银行核对需要"
# Fraudster contacts are stored "kind:id" (bot.extract.contacts); people read them so.
CONTACT_KINDS = {"qq": "QQ", "wechat": "微信", "url": "网址", "app": "App", "phone": "电话"}


@dataclass(frozen=True)
class Requester:
    unit: str             # 受理单位 (DESK_UNIT)
    officer: str
    phone: Optional[str]  # the officer's phone (python -m bot.desk set-phone)
    zone: ZoneInfo        # DESK_TIME_ZONE


def _known(value: Any) -> bool:
    return value not in (None, "", UNKNOWN)


def missing_fields(transfers: List[Dict[str, Any]], victim: Optional[Dict[str, Any]] = None) -> List[str]:
    """What the bank checks and this account's request lacks, as labels: the transfers' fields, the
    paying account, the victim's name and phone."""
    missing = [MISSING_LABELS[name] + MISSING_SUFFIX for name in BANK_CHECKED_FIELDS
               if not transfers or any(not _known(t.get(name)) for t in transfers)]
    if not transfers or any(not _known(t.get("from_account")) for t in transfers):
        missing.append(PAYING_MISSING)
    return missing + [label for name, label in VICTIM_MISSING.items() if not _known((victim or {}).get(name))]


def _first(transfers: List[Dict[str, Any]], name: str) -> Optional[str]:
    return next((t[name] for t in transfers if _known(t.get(name))), None)


def _iso(epoch: float, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(epoch, zone).isoformat(timespec="seconds")


def _stop_for(case: Dict[str, Any], key: Optional[str]) -> Optional[Dict[str, Any]]:
    return next((s for s in case.get("stops") or [] if key and s["key"] == key), None)


def stop_payment_requests(case: Dict[str, Any], requester: Requester, now: float) -> Dict[str, Any]:
    """One request per receiving account; transfers without a known account form one flagged request."""
    links = {link["value"]: link["case_ids"] for link in case.get("links") or [] if link["kind"] == "account"}
    victim = case["victim"]
    requests = []
    for number, (key, indexes) in enumerate(receiving_accounts(case["transfers"]), start=1):
        transfers = [case["transfers"][i] for i in indexes]
        stop = _stop_for(case, key)
        requested_at = datetime.fromisoformat(stop["requested_at"]).timestamp() if stop else now
        amounts = [t["amount"] for t in transfers if isinstance(t.get("amount"), (int, float))]
        requests.append({
            "number": number,
            "account": _first(transfers, "to_account") if key else None,
            "holder": _first(transfers, "to_name"),
            "bank": _first(transfers, "to_bank"),
            "branch": _first(transfers, "to_branch"),
            "transfers": [{"amount": t.get("amount"), "time": t.get("time"), "channel": t.get("channel"),
                           "from_account": t.get("from_account"), "serial": t.get("serial")} for t in transfers],
            "total_amount": sum(amounts),
            "paying_accounts": sorted({t["from_account"] for t in transfers if _known(t.get("from_account"))}),
            "missing": missing_fields(transfers, victim),
            "linked_case_ids": links.get(key, []),
            "requested_at": _iso(requested_at, requester.zone),
            "expires_at": (stop or {}).get("expires_at") or _iso(requested_at + STOP_HOURS * 3600, requester.zone),
            "stop": stop,
        })
    return {
        "title": "紧急止付申请",
        "case_id": case["id"],
        "unit": requester.unit,
        "officer": {"username": requester.officer, "phone": requester.phone},
        "generated_at": _iso(now, requester.zone),
        "time_zone": str(requester.zone),
        "victim": {"name": victim.get("name"), "phone": victim.get("phone"),
                   "paying_accounts": sorted({t["from_account"] for t in case["transfers"]
                                              if _known(t.get("from_account"))})},
        "scam_type": case["scam_type"],
        "summary": case.get("scam_detail") or case.get("narrative") or "",
        "fraudster_contacts": case["fraudster_contacts"],
        "warnings": case["warnings"],
        "linked_case_ids": case["linked_case_ids"],
        "requests": requests,
    }


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "不详"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return html.escape(str(value))


def contact_text(contact: Any) -> str:
    """qq:12345678 → QQ 12345678."""
    kind, sep, value = str(contact).partition(":")
    return f"{CONTACT_KINDS.get(kind, kind)} {value}" if sep else str(contact)


def _missing(value: Any, label: str) -> str:
    """A bank-checked value, or its gap in red."""
    if _known(value):
        return _cell(value)
    return f"<span class='missing'>{html.escape(label + MISSING_SUFFIX)}</span>"


def _flagged(value: Any, label: str) -> str:
    """A value the bank needs, or its gap in red (the label says why)."""
    return _cell(value) if _known(value) else f"<span class='missing'>{html.escape(label)}</span>"


def _zone_name(zone: str) -> str:
    return "北京时间" if zone in ("Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "PRC") else \
        f"{html.escape(zone)} 时区时间"


def _request_html(packet: Dict[str, Any], request: Dict[str, Any], zone: ZoneInfo) -> str:
    victim = packet["victim"]
    officer = packet["officer"]
    rows = "".join(
        f"<tr><td>{i}</td><td class='num'>{_missing(t['amount'], '金额不详')}</td>"
        f"<td>{_missing(full_time(t['time'], zone, unknown=''), '转账时间不详')}</td>"
        f"<td>{_cell(CHANNEL_NAMES.get(t['channel'], t['channel']))}</td>"
        f"<td class='mono'>{_cell(t['from_account'])}</td><td class='mono'>{_cell(t['serial'])}</td></tr>"
        for i, t in enumerate(request["transfers"], start=1))
    missing = "".join(f"<li>{html.escape(m)}</li>" for m in request["missing"])
    warnings = "".join(f"<li>{_cell(w)}</li>" for w in packet["warnings"])
    contacts = "、".join(_cell(contact_text(c)) for c in packet["fraudster_contacts"]) or "不详"
    linked = "、".join(f"#{i}" for i in request["linked_case_ids"])
    stop = request["stop"]
    state = f"（{html.escape(stop['status_label'])}）" if stop else ""
    paying = "、".join(_cell(a) for a in request["paying_accounts"])
    if PAYING_MISSING in request["missing"]:  # some transfer's paying account is unknown
        paying = "、".join(filter(None, [paying, _flagged(None, PAYING_MISSING)]))
    return f"""<section class="sheet">
<h1>紧急止付申请</h1>
<p class="ref">编号：{packet['case_id']}-{request['number']}　受理单位：{_cell(packet['unit'])}</p>
<table class="meta">
<tr><th>收款账号</th><td class="mono big">{_missing(request['account'], '收款账号不详')}</td></tr>
<tr><th>户名</th><td>{_missing(request['holder'], '户名不详')}</td></tr>
<tr><th>开户行</th><td>{_cell(request['bank'])}</td></tr>
<tr><th>开户网点</th><td>{_cell(request['branch'])}</td></tr>
<tr><th>涉案金额合计（元）</th><td class="num">{_cell(float(request['total_amount']))}</td></tr>
</table>
<h2>转入该账户的交易</h2>
<table><tr><th>序号</th><th>金额（元）</th><th>转账时间</th><th>方式</th><th>付款账户</th><th>流水号</th></tr>
{rows}</table>
<table class="meta">
<tr><th>报案人（受害人）</th><td>{_flagged(victim.get('name'), VICTIM_MISSING['name'])}，电话 {_flagged(victim.get('phone'), VICTIM_MISSING['phone'])}</td></tr>
<tr><th>付款账户</th><td class="mono">{paying}</td></tr>
<tr><th>诈骗类型</th><td>{_cell(packet['scam_type'].get('label'))}</td></tr>
<tr><th>对方联系方式</th><td>{contacts}</td></tr>
<tr><th>简要案情</th><td>{_cell(packet['summary'])}</td></tr>
{f"<tr><th>串并案件</th><td>该账户另见于案件 {linked}</td></tr>" if linked else ""}
<tr><th>申请时间</th><td>{full_time(request['requested_at'], zone)}{state}</td></tr>
<tr><th>止付期限</th><td>至 {full_time(request['expires_at'], zone)}（{STOP_HOURS} 小时，可延长一次）</td></tr>
</table>
{f'<h2 class="warn">银行核对缺项</h2><ul class="warn">{missing}</ul>' if missing else ''}
{f'<h2 class="warn">核对提示</h2><ul class="warn">{warnings}</ul>' if warnings else ''}
<div class="sign"><span>经办民警：{_cell(officer['username'])}　电话：{_cell(officer['phone']) if officer['phone'] else "<span class='missing'>未登记</span>"}</span>
<span>受理单位（盖章）：{_cell(packet['unit'])}</span></div>
<p class="time">以上时间均为{_zone_name(packet['time_zone'])}。打印时间：{full_time(packet['generated_at'], zone)}</p>
</section>"""


def render_html(packet: Dict[str, Any], zone: ZoneInfo) -> str:
    sheets = "".join(_request_html(packet, request, zone) for request in packet["requests"]) or \
        "<section class='sheet'><h1>紧急止付申请</h1><p class='missing'>本案没有转账记录，无法申请止付。</p></section>"
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>紧急止付申请 · 案件 #{packet['case_id']}</title>
<style>
@page{{size:A4;margin:15mm}}
body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#111;background:#ddd}}
.sheet{{background:#fff;width:210mm;min-height:297mm;margin:1em auto;padding:15mm;box-sizing:border-box}}
h1{{text-align:center;font-size:1.6em;letter-spacing:.3em;margin:0 0 .3em}} h2{{font-size:1.05em;margin:1em 0 .3em}}
.ref{{text-align:center;margin:0 0 1em}} table{{border-collapse:collapse;width:100%;margin:.5em 0}}
td,th{{border:1px solid #333;padding:.35em .5em;font-size:.95em;text-align:left}} th{{background:#eee;font-weight:normal}}
.meta th{{width:10em}} .mono{{font-family:"DejaVu Sans Mono",monospace}} .big{{font-size:1.1em}} .num{{text-align:right}}
.warn,.missing{{color:#b00020;font-weight:bold}} .sign{{margin-top:2.5em;display:flex;justify-content:space-between}}
.time{{margin-top:2em;font-size:.85em;color:#444}} .bar{{text-align:center;margin:1em}}
@media print{{.bar{{display:none}} body{{background:#fff}} .sheet{{margin:0;width:auto;min-height:0;padding:0;break-after:page}}}}
</style></head><body>
<div class="bar"><button onclick="window.print()">打印</button></div>
{sheets}
</body></html>"""
