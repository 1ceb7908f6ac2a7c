"""Rasa component: scam-in-progress markers with spaCy's Matcher (blank zh, jieba segmenter).

Adds `scam_markers` = {"markers": [...], "in_progress": bool} to every parse result. When a message
describes an ongoing contact with scam markers, the intent becomes `scam_in_progress` so the bot
warns before anything else.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_override import override_intent
from bot.nlu.text import normalize

SCAM_MARKERS = "scam_markers"
IN_PROGRESS_INTENT = "scam_in_progress"


def _any(regex: str) -> Dict[str, Any]:
    return {"TEXT": {"REGEX": regex}}


_GAP = {"OP": "?"}
# marker id → spaCy Matcher token patterns
MARKER_PATTERNS: Dict[str, List[List[Dict[str, Any]]]] = {
    "safe_account": [
        [_any("安全账户|安全帐户|监管账户|清查账户|核查账户|审查账户|国家账户|资金审查|资金清查|资金核查")],
        [_any("^(安全|监管|清查|核查|审查)$"), _any("^(账户|帐户|账号)$")],
    ],
    "remote_app": [
        [_any("屏幕共享|共享屏幕|腾讯会议|会议软件|会议APP|会议app|向日葵|(?i:todesk)|远程控制|远程协助|(?i:zoom)")],
        [_any("^(共享|分享|开)$"), _GAP, _any("^屏幕$")],
    ],
    "code_request": [
        [_any("^(要|问|发|报|告诉|给|读|念|提供|发给)$"), _GAP, _GAP, _any("验证码|校验码|动态码")],
    ],
    "fee_to_unlock": [
        [_any("解冻|保证金|手续费|流水|激活费|税费|会员费|认证费|风控费|工本费|个税|所得税"), _GAP, _GAP,
         _any("^(才能|才可以|才会|提现|放款|到账|解冻|取出|退回|退款)$")],
    ],
    "secrecy": [
        [_any("^(不要|不能|不许|不准|别|不可以)$"), _any("告诉|声张|说出去|透露")],
        # "别跟家里人说", not "不要跟对方私下转账"
        [_any("^(不要|不能|不许|不准|别|不可以)$"), _any("^跟"), _GAP, _GAP, _any("说|讲|提|透露")],
        [_any("保密|秘密侦查|保密协议")],
    ],
    "transfer_request": [
        [_any("^(让|叫|要|要求|催|逼)$"), {"TEXT": "我", "OP": "?"}, _GAP, _GAP,
         _any("转账|转钱|汇款|汇钱|打款|打钱|转到|转过去|充值|垫付|贷款|借钱|取钱|取现")],
    ],
}
# Said before a marker in its clause, these tell of it as something that never happens ("我们不会向您要
#验证码", "切勿转到所谓的安全账户"): a bank's or an officer's warning, not a scam under way.
DISOWNED_BY = re.compile(r"(?<!我)(?<!我也)(?<!我都)(?<!我还)不会|不可能|切勿|请勿|绝不|决不|从不|从来不|不得|谨防|警惕|"
                         r"请不要|请您不要|千万不要|千万别|不要相信|如遇|如接到|如有人|若有人|凡是")
CLAUSE_END = re.compile(r"[，,。.！!？?；;：:\s]")
# "…不会收费，让我下载腾讯会议": someone telling the citizen to do it is a scam under way, whatever came before
TOLD_TO_DO = re.compile(r"让我|叫我|要我|教我|逼我|催我|他让|她让|对方让")
# a negation inside the pattern itself ("不要告诉任何人") is the marker, not a disowning
SAYS_NO_ITSELF = {"secrecy"}
PRESENT_CUES = ("现在", "正在", "还在", "马上", "立刻", "赶紧", "电话里", "没挂", "等着", "等我", "催我",
                "要不要", "该不该", "能不能转", "可以转吗", "准备", "打算", "正要", "一直在催", "在线等")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ScamMarkerDetector(GraphComponent):
    def __init__(self, nlp: Any, matcher: Any) -> None:
        self._nlp = nlp
        self._matcher = matcher

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ScamMarkerDetector":
        import spacy
        from spacy.matcher import Matcher

        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        matcher = Matcher(nlp.vocab)
        for marker, patterns in MARKER_PATTERNS.items():
            matcher.add(marker, patterns)
        return cls(nlp, matcher)

    def markers(self, text: str) -> Dict[str, Any]:
        text = normalize(text)  # idempotent; the pipeline has normalised already
        doc = self._nlp(text)
        found = sorted({marker for marker, start, end in (
            (self._nlp.vocab.strings[match_id], start, end) for match_id, start, end in self._matcher(doc))
            if marker in SAYS_NO_ITSELF or not self._disowned(text[:doc[start].idx])})
        in_progress = bool(found) and any(cue in text for cue in PRESENT_CUES)
        return {"markers": found, "in_progress": in_progress}

    @staticmethod
    def _disowned(before: str) -> bool:
        clause = CLAUSE_END.split(before)[-1]
        negations = list(DISOWNED_BY.finditer(clause))
        return bool(negations) and not TOLD_TO_DO.search(clause[negations[-1].end():])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            result = self.markers(text)
            message.set(SCAM_MARKERS, result, add_to_output=True)
            if result["in_progress"]:
                override_intent(message, IN_PROGRESS_INTENT)
        return messages
