"""The fixed scam-type IDs (other tools rely on them) and their Chinese names."""
from __future__ import annotations

from typing import Dict

SCAM_TYPES: Dict[str, str] = {
    "order_brushing": "刷单返利",
    "investment": "虚假网络投资理财",
    "loan": "虚假网络贷款/代办信用卡",
    "customer_service": "冒充电商物流客服",
    "impersonate_police": "冒充公检法及政府机关",
    "impersonate_acquaintance": "冒充领导熟人",
    "romance": "网络婚恋交友(杀猪盘)",
    "credit_repair": "虚假征信",
    "game_trade": "网络游戏产品虚假交易",
    "fake_shopping": "虚假购物服务",
    "military_purchase": "冒充军警购物",
    "other": "其他诈骗",
    "none": "无诈骗迹象",
}
NO_SCAM = "none"
