"""Which case first: a scam still in progress, then fresh transfers, then large amounts."""
from __future__ import annotations

import math
from typing import Any, Dict, List, Optional

# Minutes since the latest transfer → points; stop-payment works best in the first hour.
TIME_STEPS = [(60, 40), (6 * 60, 30), (24 * 60, 20), (72 * 60, 10)]
UNKNOWN_TIME_POINTS = 30  # told "just now"-ish by the citizen more often than not
IN_PROGRESS_POINTS = 50
MAX_AMOUNT_POINTS = 20


def urgency(*, in_progress: bool, has_transfers: bool, last_transfer_at: Optional[float],
            total_amount: float, now: float) -> Dict[str, Any]:
    score = 0.0
    reasons: List[str] = []
    if in_progress:
        score += IN_PROGRESS_POINTS
        reasons.append("诈骗正在进行")
    if has_transfers:
        if last_transfer_at is None:
            score += UNKNOWN_TIME_POINTS
            reasons.append("转账时间不详")
        else:
            minutes = max(0.0, (now - last_transfer_at) / 60)
            score += next((points for limit, points in TIME_STEPS if minutes <= limit), 0)
            reasons.append(f"最近一笔转账 {_elapsed(minutes)}前")
    if total_amount > 0:
        # 1 000 元 → 10, 100 000 元 → 17, 1 000 000 元 → 20
        score += min(MAX_AMOUNT_POINTS, MAX_AMOUNT_POINTS * math.log10(1 + total_amount) / 6)
        reasons.append(f"涉案 {total_amount:,.0f} 元")
    level = "high" if score >= 50 else "medium" if score >= 25 else "low"
    return {"score": round(score, 1), "level": level, "reasons": reasons}


def _elapsed(minutes: float) -> str:
    if minutes < 60:
        return f"{int(minutes)}分钟"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f}小时"
    return f"{minutes / 1440:.0f}天"
