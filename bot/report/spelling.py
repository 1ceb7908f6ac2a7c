"""How callers say which characters a name is written with ("木子李", "安静的静", "三点水的沈", "倩是单人旁一个青"),
and a recogniser's homophone in the name mended by it: "沈佳宜 三点水的沈 佳人的佳 心旷神怡的怡" is 沈佳怡.

Each explained character replaces the character of the name that sounds like it (pypinyin, toneless, with the
in/ing, en/eng, z/zh … that accents merge), or the one the caller said it is not ("林志远 不是树林的林 是两点水那个凌")."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import FrozenSet, List, Optional, Tuple

from pypinyin import Style, pinyin

# the usual ways of saying how a surname is written: 弓长张, 立早章, 耳东陈, 木子李, 口天吴, 古月胡, 双人徐 …
SURNAME_SPELLING = re.compile(r"^(?:是|姓)?(?:弓长|立早|耳东|木子|口天|古月|双人|言午|禾口|双口|文刀|卯金刀|走肖|草头|人可|"
                              r"三横王|千里|金刀|子小|女生|耳朵|三点水|木易杨|双木林|关耳郑|十八子李|水工江|人王全|禾呈程|日召昭|"
                              r"白水泉|田心思|木土杜|西早)[\u4e00-\u9fff]?(?:的[\u4e00-\u9fff])?$")
# "广字旁边一个耳朵", "草字头", "三点水": the parts a character is written with
CHARACTER_PART = re.compile(r"^[\u4e00-\u9fff]字(?:旁|头|底|边|框)?(?:的)?$|^(?:三点水|两点水|提手旁|单人旁|双人旁|草字头|宝盖头|"
                            r"竹字头|言字旁|绞丝旁|金字旁|女字旁|木字旁|左耳旁|右耳旁|偏旁)")
# "曾志伟的曾", "晨是早晨的晨", "建设的建", "是凯旋的凯"
SPELLING_AID = re.compile(r"^(?:是|姓)?(?:(?P<char>[\u4e00-\u9fff])是)?(?P<word>[\u4e00-\u9fff]{1,4})的(?P<spelled>[\u4e00-\u9fff])$")
# "三点水的沈", "言字旁那个谭", "两点水一个马的冯", "琳是王字旁的琳", "倩是单人旁一个青": by the parts it is written with
BY_PARTS = re.compile(r"^(?:是|姓)?(?:(?P<char>[\u4e00-\u9fff])是)?(?P<parts>[\u4e00-\u9fff]{0,4}(?:旁|头|底|框|三点水|两点水|耳朵))"
                      r"(?:(?:那个|的)(?P<spelled>[\u4e00-\u9fff])|一个[\u4e00-\u9fff](?:的(?P<after>[\u4e00-\u9fff]))?)$")
NOT_THIS = re.compile(r"^不是")
ALL_OF_THEM = re.compile(r"两个都是|都是这个|两个字都是|两个字一样|都一样")
_SPLIT = re.compile(r"[\s，,。.!！；;…、]+")
# sounds an accent or a recogniser merges: 林/凌 (in/ing), 森/生 (s/sh)
_MERGED = [(re.compile(r"ing$"), "in"), (re.compile(r"eng$"), "en"), (re.compile(r"ang$"), "an"),
           (re.compile(r"^zh"), "z"), (re.compile(r"^ch"), "c"), (re.compile(r"^sh"), "s")]


def spelling_aid(clause: str) -> bool:
    """"曾志伟的曾", "晨是早晨的晨", "建设的建": which character is meant, not a name."""
    aid = SPELLING_AID.match(re.sub(r"[\s\"“”]", "", clause))
    return bool(aid) and aid.group("spelled") in aid.group("word") and aid.group("char") in (None, aid.group("spelled"))


def explained_character(clause: str) -> Optional[str]:
    """The character one explanation names: "木子李" → 李, "安静的静" → 静, "倩是单人旁一个青" → 倩."""
    clause = re.sub(r"[\s\"“”]", "", clause)
    if SURNAME_SPELLING.search(clause):
        return re.sub(r"的[\u4e00-\u9fff]$", "", clause)[-1]
    if spelling_aid(clause):
        return clause[-1]
    parts = BY_PARTS.match(clause)
    if parts:
        return parts.group("char") or parts.group("spelled") or parts.group("after")
    return None


@lru_cache(maxsize=4096)
def _sounds(character: str) -> FrozenSet[str]:
    readings = pinyin(character, style=Style.NORMAL, heteronym=True)[0]
    merged = set()
    for reading in readings:
        for pattern, plain in _MERGED:
            reading = pattern.sub(plain, reading)
        merged.add(reading)
    return frozenset(merged)


def sounds_alike(one: str, other: str) -> bool:
    return bool(_sounds(one) & _sounds(other))


# "告诉的告 加个 耳朵": the explained character is only a part of the one meant
A_PART_ADDED = re.compile(r"^(?:加个|加一个|再加|加上|旁边|边上|右边|左边|底下|上面)")


def explanations(text: str) -> List[Tuple[str, bool]]:
    """(character, said to be the wrong one) for each explanation, in order: "不是树林的林" → (林, True)."""
    found: List[Tuple[str, bool]] = []
    clauses = [c for c in _SPLIT.split(re.sub(r"\s*的\s*", "的", text or "")) if c]   # "新闻 的 闻"
    for clause, after in zip(clauses, clauses[1:] + [""]):
        negated = bool(NOT_THIS.match(clause))
        character = explained_character(NOT_THIS.sub("", clause))
        if character and not A_PART_ADDED.match(after):
            found.append((character, negated))
    return found


# "浩 是 三点水 一个 告诉 的 告": the character told by its parts, whose words are no character of the name
COMPONENTS_TOLD = re.compile(r"(?:三点水|两点水|草字头|竹字头|宝盖头?|木字旁|女字旁|王字旁|单人旁|双人旁|提手旁|言字旁|金字旁|"
                             r"口字旁|日字旁|月字旁|火字旁|土字旁|石字旁|绞丝旁|竖心旁|走之底?|立刀旁?|耳刀旁?)"
                             r"\s*(?:再)?(?:加上?|右边|旁边|后面)?\s*(?:一个|一|个)\s*(?P<word>[^，,。\s]{1,4})\s*的\s*(?P<part>[\u4e00-\u9fff])")


def mended_by_spelling(name: Optional[str], text: str) -> Optional[str]:
    """The name with each character the caller explained put where it sounds alike (or where the caller said
    the wrong one stands); names of companies and masked names are left alone."""
    if not name or "*" in name or not re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", name):
        return name
    characters, settled = list(name), [False] * len(name)
    wrong: Optional[str] = None
    # "…一个告诉的告": the part told by a word it is in, not a character of the name ("两点水一个马的冯" is)
    told = explanations(COMPONENTS_TOLD.sub(lambda m: " " if m.group("part") in m.group("word") else m.group(0), text))
    for character, negated in told:
        if negated:
            wrong = character
            continue
        if wrong and wrong in characters and wrong != character:
            position = characters.index(wrong)   # "不是树林的林 是两点水那个凌"
        else:   # the same character, else the first not yet explained that sounds alike; else the last again
            same = [i for i, c in enumerate(characters) if c == character and not settled[i]]
            alike = [i for i, c in enumerate(characters) if c == character or sounds_alike(c, character)]
            position = same[0] if same else next((i for i in alike if not settled[i]), alike[-1] if alike else None)
        wrong = None
        if position is None:
            continue
        characters[position], settled[position] = character, True
    if told and ALL_OF_THEM.search(text):   # "琳是王字旁的琳 两个都是": every character that sounds so
        last = told[-1][0]
        characters = [last if not settled[i] and sounds_alike(c, last) else c for i, c in enumerate(characters)]
    return "".join(characters)
