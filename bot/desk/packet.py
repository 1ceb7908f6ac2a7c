"""The stop-payment request (紧急止付申请): JSON export and a printable page, from one case."""
from __future__ import annotations

import html
from datetime import datetime
from typing import Any, Dict, List
from zoneinfo import ZoneInfo

from bot.extract.channels import CHANNEL_NAMES
from bot.extract.times import LOCAL_TIMEZONE


def stop_payment_request(case: Dict[str, Any], officer: str) -> Dict[str, Any]:
    accounts: List[Dict[str, Any]] = [
        {"account": t.get("to_account"), "bank": t.get("to_bank"), "name": t.get("to_name"),
         "amount": t.get("amount"), "time": t.get("time"), "channel": t.get("channel"),
         "from_account": t.get("from_account")}
        for t in case["transfers"] if t.get("to_account")]
    return {
        "title": "紧急止付申请",
        "case_id": case["id"],
        "generated_at": datetime.now(ZoneInfo(LOCAL_TIMEZONE)).isoformat(timespec="seconds"),
        "officer": officer,
        "victim": case["victim"],
        "scam_type": case["scam_type"],
        "accounts_to_stop": accounts,
        "total_amount": case["total_amount"],
        "fraudster_contacts": case["fraudster_contacts"],
        "summary": case.get("scam_detail") or case.get("narrative") or "",
        "warnings": case["warnings"],
        "linked_case_ids": case["linked_case_ids"],
    }


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "不详"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return html.escape(str(value))


def render_html(request: Dict[str, Any]) -> str:
    victim = request["victim"]
    rows = "".join(
        f"<tr><td>{i}</td><td class='mono'>{_cell(a['account'])}</td><td>{_cell(a['bank'])}</td>"
        f"<td>{_cell(a['name'])}</td><td class='num'>{_cell(a['amount'])}</td><td>{_cell(a['time'])}</td>"
        f"<td>{_cell(CHANNEL_NAMES.get(a['channel'], a['channel']))}</td><td class='mono'>{_cell(a['from_account'])}</td></tr>"
        for i, a in enumerate(request["accounts_to_stop"], start=1)) or "<tr><td colspan='8'>（无收款账户）</td></tr>"
    warnings = "".join(f"<li>{_cell(w)}</li>" for w in request["warnings"])
    contacts = "、".join(_cell(c) for c in request["fraudster_contacts"]) or "不详"
    linked = "、".join(f"#{i}" for i in request["linked_case_ids"]) or "无"
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>紧急止付申请 · 案件 #{request['case_id']}</title>
<style>
body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#111}}
h1{{text-align:center;font-size:1.6em;letter-spacing:.3em}} table{{border-collapse:collapse;width:100%;margin:1em 0}}
td,th{{border:1px solid #333;padding:.4em;font-size:.95em}} th{{background:#eee}} .mono{{font-family:monospace}}
.num{{text-align:right}} .warn{{color:#b00020}} .meta td:first-child{{width:9em;background:#f6f6f6}}
.sign{{margin-top:3em;display:flex;justify-content:space-between}} @media print{{button{{display:none}}}}
</style></head><body>
<button onclick="window.print()">打印</button>
<h1>紧急止付申请</h1>
<table class="meta">
<tr><td>案件编号</td><td>#{request['case_id']}</td></tr>
<tr><td>报案人</td><td>{_cell(victim.get('name'))}（电话 {_cell(victim.get('phone'))}）</td></tr>
<tr><td>诈骗类型</td><td>{_cell(request['scam_type'].get('label'))}</td></tr>
<tr><td>涉案总额（元）</td><td>{_cell(request['total_amount'])}</td></tr>
<tr><td>对方联系方式</td><td>{contacts}</td></tr>
<tr><td>串并案件</td><td>{linked}</td></tr>
<tr><td>简要案情</td><td>{_cell(request['summary'])}</td></tr>
</table>
<h2>申请止付账户</h2>
<table><tr><th>序号</th><th>收款账号</th><th>开户行</th><th>户名</th><th>金额（元）</th><th>转账时间</th><th>方式</th><th>付款账户</th></tr>
{rows}</table>
{f'<h2 class="warn">核对提示</h2><ul class="warn">{warnings}</ul>' if warnings else ''}
<div class="sign"><span>经办民警：{_cell(request['officer'])}</span><span>生成时间：{_cell(request['generated_at'])}</span></div>
</body></html>"""
