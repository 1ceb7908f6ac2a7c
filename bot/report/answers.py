"""What a short reply is in the context of a question: yes, no, "don't know", a filler, a name.

Pure functions over normalised (simplified, half-width) text. A reply is taken for a field only when
it has that field's shape; these decide the shape.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import FrozenSet, List, Optional, Tuple

from bot.extract.banks import find_banks
from bot.report.spelling import CHARACTER_PART, SURNAME_SPELLING, mended_by_spelling, spelling_aid

PUNCTUATION = re.compile(r"[\s，。,.!！?？、~～…·:：;；\"“”'‘’()（）\[\]【】<>《》「」『』\-—_*#]+")
# Words that carry nothing: said while looking for a card, thinking, or being polite.
FILLER_WORDS = sorted("""
嗯嗯 嗯 哦 噢 喔 啊 呃 额 唉 哎呀 哎 诶 欸 呀 哈 嘛 啦 吧 呢 哇 咯 喂 在吗 在不在 你好 您好 好的 好滴 好吧 好嘞 好 行 行吧
可以 稍等一下 稍等 等一下 等一会儿 等一会 等会儿 等会 等下 等等 你等等 您等等 别急 马上 我找找 我找一下 找找 我看看
我看一下 看一下 看看 我查查 我查一下 我想想 让我想想 我想一下 想一下 我翻翻 翻一下 我翻一下 我去拿 我去找 那个 这个 就是
然后 明白 知道了 收到 谢谢 谢了 麻烦了 我 手机上 记录 转账记录 截图 我打开 打开 一下 了 的 呗 哈哈 噢噢 哦哦 嗯呐 我问问
我问一下 问一下 我儿子 我女儿 孩子 让我 帮我 给我 找 看 查 翻 拿 去 先 来 稍 微
你问吧 你问 问吧 问快点 快点问 快问 你快问 快点 赶紧 赶快 你说吧 你说 说吧 开始吧 来吧 问
""".split(), key=len, reverse=True)
_FILLER = re.compile("|".join(map(re.escape, FILLER_WORDS)))

YES = re.compile(r"^(嗯+|嗯呐|嗯哪|嗯呢|嗯哼|冇错|系咯|没差|对+|对的|对啊|对呀|对头|对咯|对嘞|是+|是的|是啊|是呀|是滴|是嘞|没错|没问题|没毛病|正确|"
                 r"确认|确定|好+|好的|好嘞|可以|可以的|行|嗯对|嗯是|有+|有的|有啊|还有|係|系的|系啊|要得|中|妥|ok|yes|y|1)"
                 r"(的|啊|呀|呢|吧|哈|了|嗯|对|咯|嘞)*$", re.I)
NO = re.compile(r"^(没+|没有+|没了|没有了|没有啦|没啦|没咯|木有|无了|没有别的了?|没别的了?|没其他的?了?|没有其他的?了?|没有其它的?了?|"
                r"没得了?|冇|冇啦|冇了|无|"
                r"不是|不对|不用|不要|否|就这一笔|就这一次|就这笔|就这次|就这些|就这么多|就一笔|就一次|只有一笔|只有这一笔|"
                r"只转了一次|只转了一笔|就转了一次|就转了一笔|再没有了?|no|n|2)(了|啊|呀|的|吧|哈|呢|嗯)*$", re.I)
UNKNOWN_PHRASE = re.compile(r"不知道|不清楚|记不得|记不清|记不太清|记不住|不太记得|想不起来|忘了|忘记了|搞忘了|忘掉了|不记得|"
                            r"没看到|没看见|没看着|没看清|(?<!东西)(?<!货)(?<!人)(?<!钱)(?<!面)没见(?:到|着|过)|没显示|不显示|没留意|没注意|没有注意|没有留意|没有看到|没有看清|搞不清|说不清|不晓得|晓不得|唔知|唔记得|不了解|没印象|"
                            r"看不到|看不清|查不到|找不到|找不着|找不见|撤回了|没记(?!错)|没有记(?!错)|撕了|扔了|(?:卡号|号码|账号).{0,3}没(?:有)?了|没有卡号|没卡号|不懂|不确定|也不知|没记住|没记下|不知|"
                            r"记不到|记不起|都是星|打了星|星号|打码|遮住了|看不出|(?:户名|名字)没有的?(?=$|[\s，,。!！])|没有户名|"
                            r"(?<!把我)(?<!把我给)删(?:了|掉了|除了)(?!我|好友)|(?<!我)被删(?!了?好友)|找不回|没保存|没存下|没截图|没有记录|记录没了")
# "我怎么记得那么清楚": a question in form, a don't-know in meaning
RHETORICAL_UNKNOWN = re.compile(r"怎么(会)?记得|哪(里)?记得|谁记得|哪知道|哪晓得|谁知道|鬼知道|天知道|吓懵了|懵了|哪顾得上")
# "他让我转钱" tells what was asked of them, not that they did not: asked again rather than read as not yet
NOT_YET = re.compile(r"(还)?没(有)?(转|汇|打|付|给(?!我)|交)|还没|没来得及|差点|正要|准备转|还在犹豫")
MONEY_GONE = re.compile(r"(转|汇|付|充|交|给|投|借)(了|过去|出去|走|过)|扣款|扣钱|(钱|余额)(少了|不对了|没了)|刚(刚|才)?(转|汇|付)(?!账户)|打(过去|出去|了.{0,3}(钱|款|万|千|块|元))|已经转|都转|全转|被骗|骗走|被转走|没了|扣了|付过|少了|被划走|被扣|把钱.{0,12}(转|汇|打|给|交|存)|"
                        r"(转|汇|打|付)给(他|她|对方|人家|骗子|卖家|那人|那个人)了|把[^，,。；;]{1,10}(转|汇|打|存)(到|进|入)|"
                        r"(孙女|孙子|儿子|女儿|闺女|老伴|老公|老婆|家里人|孩子|外孙|外孙女)帮我(弄|转|操作|办|汇|打)")


# Answers to "钱已经转出去了吗" that say yes in other words: "打了！", "垫过去了", "都充进去了", "不转我报什么案"
SENT_IN_OTHER_WORDS = re.compile(r"(转|汇|付|充|交|投|垫|扣|划)(完|进去|过去)|已转出|已经?(转|汇|付|交)|充值了|出去了|进去了|"
                                 r"(钱|都|全)给(他|她|对方|人家|骗子)了|不(转|打|给|交)(我|的话)?(报|找|打)|transfer|"
                                 r"(?<![没不])打(了|进去|过去|出去)(?![个一电])|扣走|划走|"
                                 # "卖家收了钱以后就把我拉黑了": the other side has it
                                 r"(?<![没不])收了.{0,4}钱|(?<![没不])收到.{0,4}钱|钱.{0,4}(?<![没不])(收了|收到|到账)", re.I)


def compact(text: str) -> str:
    return PUNCTUATION.sub("", text or "").lower()


def is_filler(text: str) -> bool:
    """Only fillers and punctuation: "嗯……", "等一下我找找", "好的，我看看"."""
    bare = compact(text)
    return bool(text.strip()) and not _FILLER.sub("", bare)


YES_WORDS = sorted("""嗯呐 嗯哪 是滴 对咯 没毛病 对对对 对对 对的 对啊 对呀 对头 对 是的 是啊 是呀 是 没有错 没错 没问题 正确 确认 确定 嗯对 嗯是 有的 有啊 有
還有 还有 係 系的 要得 妥 ok yes 好的 好 可以 行 都对 都没错 全对 一样 没有问题 没啥问题 没什么问题""".split(), key=len, reverse=True)
_YES_TOKENS = re.compile("|".join(map(re.escape, YES_WORDS)))
_SOFT = re.compile(r"嗯+|哦+|啊+|呃+|额+|唉|哎|呀|吧|哈|呢|了|的|嘛|啦|谢谢你?|谢了|麻烦了|辛苦了|民警同志|警察同志|同志|警官|"
                   r"现在|这下|这回|这次|这样")   # "嗯，现在对了": after a correction


LEADING_YES = re.compile(r"^(对+(?!方|面|了吧|吗)|对的|是的|没错|确认|正确|都对|嗯对)")
NEGATION = re.compile(r"不|没(?!错|问题)|(?<!没)错|改|但是|不过|可是")


def yes_or_no(text: str) -> Optional[bool]:
    """True for 对对对/是的/没错/嗯对/"嗯 对的 没问题", False for 没了/没有别的了/就这一笔/不是; None otherwise."""
    bare = compact(text)
    if not bare:
        return None
    if re.search(r"没有?[，,。！!\s]+(?:有)?错", text):
        return False   # "没有，错了": no, then what is wrong (not "没有错")
    trimmed = re.sub(r"^(嗯+|哦+|啊+|呃+|额+|唉|哎)(?=.)", "", bare)
    trimmed = re.sub(r"(?<=.)(谢谢你?|谢了|麻烦了|辛苦了|民警同志|警察同志|同志|警官)+$", "", trimmed)
    if NO.match(trimmed):
        return False
    leading = LEADING_YES.match(trimmed)
    # "对，你们能不能快点处理": an A-不-A question after the yes is urging, not a negation
    if YES.match(trimmed) or leading and not NEGATION.search(re.sub(r"(.)不\1", "", trimmed[leading.end():])):
        return True
    rest = _SOFT.sub("", _YES_TOKENS.sub("", bare))
    if not rest and _YES_TOKENS.search(bare) and not re.search(r"不|没|别", re.sub(r"没(?:有|啥|什么)?问题", "", bare)
                                                                      .replace("没有错", "").replace("没错", "")):
        return True
    return None


def is_unknown(text: str, max_chars: int = 30) -> bool:
    """"不知道", "哎呀我也记不清了", "没有卡号": the citizen does not know what was asked."""
    return bool(UNKNOWN_PHRASE.search(joined_words(text))) and len(compact(text)) <= max_chars   # "记 不 清": ASR words


# --- names ------------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def surnames() -> Tuple[FrozenSet[str], FrozenSet[str]]:
    """(single-character surnames, compound surnames)."""
    text = resources.files("bot.report").joinpath("data/surnames.txt").read_text(encoding="utf-8")
    words = {w for line in text.splitlines() if not line.startswith("#") for w in line.split()}
    return frozenset(w for w in words if len(w) == 1), frozenset(w for w in words if len(w) == 2)


NAME_PREFIX = re.compile(r"^(?:(?:收款人|对方|户主|卡主|持卡人|他|她)的(?:名字|姓名|全名|真名)(?:是|叫做|叫)?|(?:全名|大名|真名|全称)(?:是|叫)?|(?:我是|我)?报案人(?:是|叫)?|上面写着|上面写的|写着|是个叫|是一个叫|一个叫|有个叫|我的名字(?:是|叫做|叫)|我名字叫|我叫做|我姓名是|姓名是|姓名|名字是|名字叫做|名字叫|叫做|我叫|俺叫|咱叫|我是|俺是|本人|免贵|叫我|叫什么|叫|"
                         r"户名是|户名系|户名叫|户名应该是|户名|收款人是|收款人系|收款人叫|收款人|开户人是|开户人|账户名是|名字|"
                         r"卡主是|卡主叫|卡主|持卡人是|持卡人叫|持卡人|收款方是|收款方|收款单位是|收款单位|"
                         r"(?:收款)?(?:账户|帐户)?名称(?:是|为)?|是个公司|是一个公司|是家公司|"
                         r"对方叫|对方是|他叫|她叫|那人叫|那个人叫|上面写的是|写的是|显示的是|显示是|显示)")
VAGUE_ORGANISATION = re.compile(r"是个|一个|(?:^|是)一[家间]|什么|那个|这个|哪个|某个|的是|收款|收钱|还有|中间|少了|"   # "收款的是一个公司"
                                r"开(?:了|个|了个|一家)?[\u4e00-\u9fff]{1,2}(?:店|厂|超市)$|"   # "郭建新 开饭店的": a trade
                                # a kind of business, no name: "他是拍卖公司的"
                                r"^(?:拍卖|贸易|商贸|物流|快递|投资|科技|网络|保险|金融|担保|中介|旅游|外贸|电商|贷款|理财|证券|"
                                r"基金|文化|传媒|咨询|劳务|房产|培训|广告|游戏|电子|医药|信息|皮包|空壳|骗子|外地|国外|境外|人力|资源|实业|百货|"
                                r"技术|电子商务){1,3}(?:有限责任公司|有限公司|公司|商行)?$")
# "单子上写的刘成才", "叫什么许红英": a name at the end of a clause, after the word that introduces it
# At every position (a lookahead), so "名字叫杨帆" also yields 杨帆 after 叫, not only 叫杨帆 after 名字;
# never after 不 ("收款人不是王强，是汪强": 王强 is the name taken back).
TRAILING_NAME = re.compile(r"(?<!不)(?<!并不)(?=(?:叫|是|系|写的|写着|显示|名字|户名|收款人)(?:的是|是|系|的)?([\u4e00-\u9fff·]{2,4})$)")
HEDGE = re.compile(r"^(?:好像|好象|好的|应该|大概|可能|估计|貌似|似乎|他说|她说|那个|就是|好|嗯|"
                   r"(?:[两二三四五六七八九几]?[笔次回个张]|这几笔|这两笔)?都是|"   # "三笔都是义乌市鼎盛日用品商行"
                   r"第[一二三四五六七八九1-9][个笔张回次]|头一[个笔张回次])+")
NAME_SUFFIX = re.compile(r"(?:三个字|两个字|四个字|就?这几个字|这个名字|的人|这个人|那个人|应该|好像|好象|似乎|大概|估计|没错|对的|是对的|对吧|对不对|是吧|没错吧|啊|呀|吧|呢|哈|嘛|的|了|哦|噢)+$")
# "刘海先生", "王丽女士": a full name with a courtesy title (not "王先生", only a surname)
COURTESY_AFTER_NAME = re.compile(r"^([\u4e00-\u9fff]{2,3})(?:先生|女士|小姐)$")
# "买买提·艾力": names of several parts, joined by a middle dot
DOTTED_NAME = re.compile(r"^[\u4e00-\u9fff]{1,8}·[\u4e00-\u9fff]{1,8}(?:·[\u4e00-\u9fff]{1,8})?$")
# "张*强", "*志强", "李XX": a holder's name as banking apps show it, partly hidden
SHOWN_MASKED = re.compile(r"(?=(?:显示|是|为|写着|写的|叫|收款人|户名|[:：])([\u4e00-\u9fff]{0,2}[*＊]{1,3}[\u4e00-\u9fff]{0,3})(?![\u4e00-\u9fff*＊]))")
MASKED_NAME = re.compile(r"^(?:[\u4e00-\u9fff][*＊xX]{1,3}[\u4e00-\u9fff]{0,2}|[*＊]{1,3}[\u4e00-\u9fff]{1,3})$")
SPELLED_OUT = re.compile(r"(?:(?<=\s)|(?<=^))((?:[\u4e00-\u9fff]\s+){1,3}[\u4e00-\u9fff])(?=\s|$|[，,。])")
LATIN_ASIDE = re.compile(r"[（(][^）)]*[A-Za-z][^）)]*[）)]")   # "张伟（拼音zhangwei）"
# Characters no name is made of in a form answer: amounts, times, yes/no, money words.
NOT_IN_NAME = re.compile(r"[0-9a-z吗呢么啥谁哪没不元块卡账号转汇个些次笔的了我你他她它这那就也都在把被给让说要想啊吧呀哦嗯是系几秒]|多少|少了|至少|不少|"
                         r"分钟|小时|钟头|刚才|刚刚|昨天|今天|前天|上午|下午|晚上|早上|中午|知道|清楚|银行|微信|支付|手机|电话|"
                         r"什么|时候|一下|记得|孙子|孙女|外孙|儿子|女儿|闺女|老伴|老公|老婆|媳妇|丈夫|妻子|爸爸|妈妈|爷爷|奶奶|"
                         r"公司|商行|有限|地址|钱包|传媒|科技|商贸|贸易|网络|咨询|人力|资源|实业|百货|物流|投资|管理|工程|电器|侄子|侄女|哥哥|姐姐|弟弟|妹妹|孩子|家人|同事|朋友|邻居|来着|山东|山西|商户|商家|用户|客户|个人|"
                         r"连长|排长|营长|团长|班长|首长|参谋|政委|干事|科长|处长|局长|主任|队长|警官|法官|检察官")
# "我姓戚，戚继光的戚，名字叫晓芸，破晓的晓": the surname, then the given name alone
SURNAME_AND_GIVEN = re.compile(r"姓(?P<surname>[\u4e00-\u9fff]{1,2})[，,\s]*(?:[^，,。]{0,10}[，,]\s*)?"
                               r"(?:名字叫|名叫|名字是|单名一个|单名|叫)(?P<given>[\u4e00-\u9fff]{1,2})(?=[，,。.!！\s]|$)")
SURNAME_THEN_NAME = re.compile(r"姓(?P<surname>[\u4e00-\u9fff]{1,2})[，,\s]*(?:叫|名叫|全名|名字叫|名字是)?(?P<name>[\u4e00-\u9fff·]{2,5})")
# How a company or shop's name ends ("…服务部", "…商贸有限公司"): one list for typed and spoken names
ORGANISATION_ENDINGS = r"有限责任公司|有限公司|商行|经营部|商贸部|贸易部|工作室|门市部|批发部|服务部|营业部|销售部|经销部|合作社|事务所|" \
                       r"商店|超市|商城|诊所|旅行社|俱乐部"
# A business without its legal ending, as wallets and receipts show it ("汇诚人力资源", "星光文化传媒")
TRADE_ENDINGS = r"人力资源|文化传媒|传媒|科技|实业|百货|物流|咨询|网络科技|信息技术|电子商务"
ORGANISATION = re.compile(rf"^(?:[\u4e00-\u9fffA-Za-z0-9（）()]{{2,30}}(?:{ORGANISATION_ENDINGS}|公司|商贸|贸易行|店|厂|中心|之家)|"
                          rf"(?:(?![不说是做搞干他她我你的了吗呢啥么写像该个])[\u4e00-\u9fff]){{2,10}}(?:{TRADE_ENDINGS}))$")


# "王老师", "李经理": a surname and a title, not a name a bank can check
TITLE = re.compile(r"(老师|经理|先生|女士|小姐|阿姨|大爷|大妈|大姐|大哥|师傅|老板|主任|医生|警官|局长|处长|科长|所长|队长|总|局|董|姐|哥|叔|婶|伯|老头|老太)$")


def _without_prefixes(text: str) -> str:
    """"户名显示*志强" → "*志强": the words that introduce a name, however many."""
    shorter = NAME_PREFIX.sub("", text)
    while shorter and shorter != text:
        text, shorter = shorter, NAME_PREFIX.sub("", shorter)
    return text


def _without_spelling(text: str) -> str:
    """"黄志伟黄色的黄志气的志伟大的伟" → 黄志伟: a name followed by how its characters are written."""
    for size in (3, 2, 4):
        name, rest = text[:size], text[size:]
        if not rest or "的" not in rest:
            continue
        if size == 3 and name[2] == name[0] and re.match(r"[\u4e00-\u9fff]{0,2}的" + name[0], text[2:]):
            continue   # "周凯周末的周凯旋的凯": 周凯, the aid 周末的周 starting where the name ends
        for char in name:
            rest = re.sub(rf"[\u4e00-\u9fff]{{1,3}}的{char}|{char}字?是[\u4e00-\u9fff]{{1,3}}的{char}", "", rest, count=1)
        if not re.sub(r"[，,。、\s那个就是吧啊呀]", "", rest):
            return name
    return text


def _starts_with_surname(name: str) -> bool:
    single, compound = surnames()
    return name[:2] in compound or name[0] in single


LEADING_COPULA = re.compile(r"^(?:就是|应该是|其实是|正确的是|是)")
ORGANISATION_AFTER = re.compile(r"(?:写的是|写着|显示的是|显示是|显示的?|户名是|户名叫|收款方是|收款人是|叫)(.{2,40})$")


ASR_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def joined_words(text: str) -> str:
    """"我 钱 已经 给 他们 了" (speech recognised word by word) read as one phrase."""
    return ASR_GAP.sub("", text or "")


SENTENCE_GOES_ON = ("卡", "社", "银", "行", "钱", "账")


def _spaced_name(text: str) -> Optional[str]:
    """"户名 叫 那个 诸葛 诸葛 文斌 诸葛亮 的 诸葛", "党 建平 党员 的 党": a speech recogniser's words, the
    surname said apart from the given name (and repeated): the first surname followed by a given name."""
    single, compound = surnames()
    words = [w for w in re.split(r"[\s，,。.!！；;…:：?？()（）]+", text) if w]
    for at in range(len(words) - 1):   # "诸 葛 明 亮": a compound surname said a character at a time
        if len(words[at]) == 1 and len(words[at + 1]) == 1 and words[at] + words[at + 1] in compound:
            words[at:at + 2] = [words[at] + words[at + 1], ""]
    words = [w for w in words if w]

    def given_name(word: str) -> bool:
        return 1 <= len(word) <= 2 and bool(re.fullmatch(r"[\u4e00-\u9fff]+", word)) \
            and not NOT_IN_NAME.search(word) and not _starts_with_surname_word(word) and not CHARACTER_PART.search(word)

    for at, surname in enumerate(words[:-1]):
        if 3 <= len(surname) <= 4 and _starts_with_surname(surname) and not NOT_IN_NAME.search(surname):
            return None   # "我叫 仇宇航 仇 念 求 的 那个 仇": the whole name came first, as one word
        given = words[at + 1]
        rest = words[at + 2] if at + 2 < len(words) else ""
        if rest[:1] in SENTENCE_GOES_ON:
            continue   # "信用 卡", "农商 行": words of a sentence, not a name
        if given == surname:
            continue   # "李 李 那个 木子李 李建华": the surname said twice
        if given.startswith(surname) and given != surname and 2 <= len(given) <= 4 \
                and re.fullmatch(r"[\u4e00-\u9fff]+", given) and not NOT_IN_NAME.search(given[len(surname):]) \
                and (surname in compound or surname in single):
            return given   # "宋 宋伟": the surname, then the whole name
        if (surname in compound or (len(surname) == 1 and surname in single)) and given != surname \
                and given_name(given):
            if len(given) == 1 and len(rest) == 1 and given_name(rest):
                given += rest   # "李 建 军": one character at a time
            return surname + given
    return None


SPELLED_CHARACTER = re.compile(r"^[\u4e00-\u9fff]{1,4}的([\u4e00-\u9fff])$")   # "思想的思"


def spelled_name(text: str) -> Optional[str]:
    """"耳东陈，思想的思，下雨的雨": a name given only as how each character is written;
    "李 木子李 静 安静的静": each character said, then how it is written."""
    pieces = [p for p in re.split(r"[\s，,。.!！；;…、]+", NAME_PREFIX.sub("", text or "")) if p]
    told = [p for p in pieces if not (SURNAME_SPELLING.search(p) or spelling_aid(p) or CHARACTER_PART.search(p))]
    if len(told) < len(pieces) and 2 <= len(told) <= 3 and all(len(p) == 1 for p in told) \
            and told[0] in surnames()[0] and all(any(c in p for p in pieces if p not in told) for c in told):
        return "".join(told)
    if not 2 <= len(pieces) <= 3 or not SURNAME_SPELLING.search(pieces[0]):
        return None
    surname = re.sub(r"的[\u4e00-\u9fff]$", "", pieces[0])[-1]
    given = [SPELLED_CHARACTER.match(p) for p in pieces[1:]]
    if surname not in surnames()[0] or not all(g and g.group(1) in p[:-2] for g, p in zip(given, pieces[1:])):
        return None
    return surname + "".join(g.group(1) for g in given)


def _starts_with_surname_word(word: str) -> bool:
    """"诸葛亮" after "诸葛": the surname said again in the word that explains it, not a given name."""
    single, compound = surnames()
    return word in compound or word[:2] in compound
FILLER_AFTER_INTRO = re.compile(r"(叫|是)\s*(?:那个|这个|呃|嗯|额)+\s*(?=[\u4e00-\u9fff])")
LEADING_FILLER = re.compile(r"^(?:那个|这个|就是|嗯|呃|额|(?:找|看|查|翻)(?:到|着)了?|有了)+")   # "找到了 上海鼎丰商贸有限公司"
# "第二个是公司，武汉鼎晟…": which transfer, and that a company follows
ORDINAL_TOPIC = re.compile(r"^(?:第[一二三四五六七八九\d]+(?:个|笔|次|张)?(?:的)?(?:户名)?(?:是|为)?)?(?:个|一个|一家)?公司(?:是|叫)?(?=.)")
# A word said again at the start of the next, longer one ("刘 刘建 刘建新", "吉 吉祥 吉祥康养…"): the shorter goes.
SAID_WRONG = re.compile(r"说错了|搞错了|记错了|哦不对|不对不对|哦不[，,\s]|更正一下")
CLAIMED = re.compile(r"(他|她|对方|那人|那个人)(跟我|和我)?.{0,2}(说|自称|告诉我)")
CONTRAST = re.compile(r"[，,。\s…]\s*(但是|但(?!愿)|可是|可(?!以|能|不)|不过|结果|实际上|其实)")
NICKNAME_ONLY = re.compile(r"[阿小老][\u4e00-\u9fff]|[\u4e00-\u9fff](总|哥|姐|老师|经理|师傅)")
UNSURE_BETWEEN = re.compile(r"([\u4e00-\u9fff]{2,4})(?:还是|或者|或是)([\u4e00-\u9fff]{2,4})(?:[吧啊呢来着，,。]|$)")
CORNER_QUOTES = str.maketrans("「」『』", "“”“”")   # "寫著「蘇曉雯」"
# A spoken filler between the parts of a name: "王 呃 王什么 王丽丽 对 王丽丽", "叫 袁 袁 呃 袁振华".
IMPATIENT_TAIL = re.compile(r"[\s，,。!！]+(?:你们\s*)?(?:行了吧|行不行|行了没|行吗|可以了吧|可以吗|满意了吧|够了吧|好了吧|"
                            r"快点(?:行不行)?|赶紧的?)[\s。!！?？~～]*$")
SPOKEN_FILLER = re.compile(r"(?:(?<=\s)|^)(?:呃+|嗯+|啊+|额+|唔+|那个|这个|就是|对+|[\u4e00-\u9fff]什么)(?=\s|$)")
STUTTER = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{1,3})\s+(?=\1[\u4e00-\u9fff])")
SPOKEN_LEAD_IN = re.compile(r"(?:第[一二三四五六七八九\d]+(?:个|笔|次|张)?(?:的)?)?(?:户名|收款人|收款的|名字)?(?:是|叫|写的是)?"
                            r"(?:那个|这个|就是|什么|嗯|呃|额|叫)*")
TRAILING_PARTICLE = re.compile(r"(?:吧|呢|啊|呀|哦|嘛)+$")


STARS_AFTER = re.compile(r"([\u4e00-\u9fff])\s*(?:，|,)?\s*后面(?:是|跟着|跟|有|打了|带)?(两个|俩|二个|一个)?(?:星号|星星|星|\*)")
# "第一个字是个星号看不到 后面两个字是丽娜": the stars said in words, before the characters shown
STARS_BEFORE = re.compile(r"(?:第一个|前面一个|头一个|前一个|姓)字?(?:是个?|是|为)?\s*(?:星号|星星|星|\*)[^，,。]{0,6}?[，,\s]*"
                          r"后面(?:两个|俩|二个|一个|的)?字?(?:是|叫|为)?\s*([\u4e00-\u9fff]{1,3})")
STAR_WORD = re.compile(r"\s*(?:星号|星星|小星星)\s*")
SOLE_TRADER = re.compile(r"^(?:个体工商户|个体户)")   # "个体户 永和商行": the shop's name is the holder


FALSE_START = re.compile(r"([\u4e00-\u9fff]{2,12})(?:…+|\.{3,}|—+)\s*([\u4e00-\u9fff]{2,30})")


def _false_start_mended(match: re.Match) -> str:
    """"深圳市金穗……金穗通达供应链有限公司": a company's name begun, broken off and taken up again from a word
    already said is one name; anything else stays as said."""
    begun, again = match.group(1), match.group(2)
    overlap = next((size for size in range(min(len(begun), len(again)), 1, -1) if begun.endswith(again[:size])), 0)
    if overlap and ORGANISATION_END.search(again):
        return begun[:-overlap] + again
    return match.group(0)


def _organisation(bare: str, candidate: Optional[str] = None) -> Optional[str]:
    """A company or shop said as the holder: "是深圳市华拓电子科技有限公司", "扣款短信上写的是…公司"."""
    bare = TRAILING_PARTICLE.sub("", bare)
    if candidate is None:
        candidate = NAME_SUFFIX.sub("", NAME_PREFIX.sub("", bare))
    # "扣款短信上写的是深圳市鑫融达科技有限公司", "说是对公账户叫华泰联合投资管理有限公司": the name after the word
    # that introduces it, before the whole clause
    named = ORGANISATION_AFTER.search(bare)
    introduced = NAME_SUFFIX.sub("", SOLE_TRADER.sub("", LEADING_FILLER.sub("", ORDINAL_TOPIC.sub("", re.sub(
        r"^(?:收款方|收款单位|收款人|收款账户|户名)(?:是|为)?", "", named.group(1)))))) if named else ""
    whole = SOLE_TRADER.sub("", LEADING_FILLER.sub("", LEADING_COPULA.sub("", ORDINAL_TOPIC.sub("", candidate))))
    for organisation in (introduced, whole):
        if organisation and ORGANISATION.match(organisation) and not VAGUE_ORGANISATION.search(organisation):
            return organisation
    return None


ORGANISATION_END = re.compile(ORGANISATION_ENDINGS)


def _spoken_organisation(said: str) -> Optional[str]:
    """"户名是 成都 那个 成都盛泰 劳保用品有限公司 对 是个公司": the words up to the company's ending, without
    fillers and without a word the speaker said again in full ("成都 … 成都盛泰")."""
    words = [w for w in re.split(r"[\s，,。.!！；;…]+", said) if w and not LEADING_FILLER.fullmatch(w)
             and not (SPOKEN_LEAD_IN.fullmatch(w) and re.search(r"第|户名|收款|名字|是|叫", w))]   # "第二个叫那个什么 广州 …"
    kept = [w for w, after in zip(words, words[1:] + [""]) if not (after.startswith(w) and after != w)]
    # "广州市恒 恒瑞贸易有限公司": a stutter, the end of one word said again at the start of the next
    joined = "".join(w[:-1] if after[:1] == w[-1:] and len(w) > 1 and after != w else w
                     for w, after in zip(kept, kept[1:] + [""]))
    end = ORGANISATION_END.search(joined)
    if not end:
        return None
    organisation = _organisation(_without_prefixes(joined[:end.end()]))
    if organisation is None and len(kept) > 1:   # "上海什么 沐辰 上海沐辰信息技术有限公司": the last word is the name whole
        last = next((w for w in reversed(kept) if ORGANISATION_END.search(w)), "")
        whole = _organisation(last) if len(last) >= 8 else None
        return whole if whole and not VAGUE_ORGANISATION.search(whole) else None
    return organisation


def _spelled_out(match: re.Match) -> str:
    """"郑 秀 英" typed one character at a time is one name; "李 李" is the surname said twice."""
    characters = match.group(1).split()
    return match.group(1) if len(set(characters)) == 1 else "".join(characters)


def person_name(text: str, any_surname: bool = False) -> Optional[str]:
    contrast = CONTRAST.search(text or "")
    if contrast and CLAIMED.search(text[:contrast.start()]):
        return person_name(text[contrast.end():], any_surname)   # "他说他叫王建国，可户名是刘小军" / "…没显示名字"
    corrected = list(SAID_WRONG.finditer(text or ""))
    if corrected:   # "冯 晓 红 哦 说错了 是 冯 晓 宏 宏伟的宏": the name after the correction
        after = person_name(text[corrected[-1].end():], any_surname)
        if after:
            return after
    unsure = UNSURE_BETWEEN.search(compact(text or ""))
    if unsure and len({_person_name(unsure.group(1)), _person_name(unsure.group(2))} - {None}) == 2:
        return None   # "好像叫李晓梅还是李小梅": not sure which
    ethnic = ETHNIC_NAME.search(text or "")
    any_surname = any_surname or ethnic is not None
    name = spelled_mended(_person_name(text, any_surname), text)
    if name is None and ethnic:   # "叫达瓦次仁 是个藏族名字": 次 is in such names
        called = re.search(r"(?:叫|名字是|户名是)([\u4e00-\u9fff·]{2,8})" + NAME_BOUNDARY, text)
        name = called.group(1) if called and not re.search(r"[的是我你他她了吗呢个什么]", called.group(1)) else None
    spelled = spelled_name(text) if name else None
    if spelled and len(spelled) > len(name) and spelled.startswith(name):
        name = spelled   # "李 木子李 晓 破晓的晓 东 东方的东": every character told, not the first two
    name = _said_in_full_later(name, text or "", any_surname)
    return None if name and NICKNAME_ONLY.fullmatch(name) else name   # "阿杰", "小刘", "王总": no name on an account


# "叫达瓦次仁 是个藏族名字": a name without a Han surname, said to be one
ETHNIC_NAME = re.compile(r"藏族|维吾尔|维族|蒙古族|蒙族|彝族|哈萨克|柯尔克孜|少数民族|新疆人的名字|民族的名字|[藏维蒙]语名字")
NAME_BOUNDARY = r"(?=[\s，,。.!！?？…；;、]|$|吧|啊|呢|呀|来着|对|是他|是她|这个)"


def _said_in_full_later(name: Optional[str], text: str, any_surname: bool) -> Optional[str]:
    """"周晓…周晓燕", "周 周小 我当时就看了一眼 周小龙": the name said again in full after a false start; "只显示**强 …
    截图上写的是欧阳志强": the whole name after the masked one it fits."""
    if not name or ORGANISATION.match(name):
        return name
    if "*" in name:
        head, _, tail = name.partition("*")
        tail = tail.strip("*")
        at = text.find(tail or head, text.find(head) if head else 0)
        full = person_name(text[at + len(tail or head):], any_surname) if at >= 0 else None
        fits = full and "*" not in full and len(full) >= len(name.replace("*", "")) + 1 \
            and full.startswith(head) and full.endswith(tail)
        return full if fits else name
    plain = re.sub(r"\s+", "，", text)
    longer = [m.group(0) for m in re.finditer(re.escape(name) + r"[\u4e00-\u9fff]{1,2}" + NAME_BOUNDARY, plain)]
    for candidate in reversed(longer):
        added = candidate[len(name):]
        if len(candidate) <= 4 and not NOT_IN_NAME.search(added) and not added.startswith(name[0]) \
                and _person_name(candidate, any_surname) == candidate:
            return candidate
    return name


def spelled_mended(name: Optional[str], text: str) -> Optional[str]:
    """"我叫李景 木子李 安静的静": a recogniser's homophone, mended by how each character is written."""
    return name if name and ORGANISATION.match(name) else mended_by_spelling(name, text)


AID_TAIL = re.compile(r"\s*的\s*([\u4e00-\u9fff])")
AID_HEAD = re.compile(r"([\u4e00-\u9fff])\s*是\s*$")


def without_character_aids(text: str) -> str:
    """"韩梅 韩国 的 韩 梅花 的 梅", "周凯周末的周凯旋的凯", "钱是钱的钱": how each character is written (the
    shortest word before 的 that holds it) taken out, so only the name is left to read."""
    spaced = ASR_GAP.search(text) is not None
    while True:
        for aid in AID_TAIL.finditer(text):
            character, end = aid.group(1), aid.start()
            rest = text[aid.end():]
            if spaced and re.match(r"[\u4e00-\u9fff]", rest):
                continue   # "诸葛亮 的 诸葛": a word said word by word ends where the recogniser's space is
            chained = re.match(r"([\u4e00-\u9fff]{1,4})的([\u4e00-\u9fff])", rest)
            if re.match(r"[\u4e00-\u9fff]", rest) and not (chained and chained.group(2) in chained.group(1)):
                continue   # "老刘家的刘桂芬", "古月胡的胡建军": the name goes on; "周末的周凯旋的凯": the next aid does
            run = re.search(r"[\u4e00-\u9fff]*$", text[:end]).group(0)   # "牡丹 的 丹": the word said whole
            word = run if 0 < len(run) <= 4 and character in run else next(
                (run[-n:] for n in range(1, min(4, len(run)) + 1) if character in run[-n:]), None)   # "周凯周末的周"
            if word is None:
                continue
            begin = end - len(word)
            head = AID_HEAD.search(text[:begin])
            begin = head.start() if head and head.group(1) == character else begin
            text = (text[:begin].rstrip() + " " + text[aid.end():].lstrip()).strip()
            break
        else:
            return text


def _person_name(text: str, any_surname: bool = False) -> Optional[str]:
    """The name read without how its characters are written, or, when the name is told only that way
    ("耳东陈，思想的思，下雨的雨"), with it."""
    bare = without_character_aids(text or "")
    whole = _name_in(text, any_surname)
    stripped = _name_in(bare, any_surname) if bare != text else None
    if stripped is None or whole is None or whole == stripped or whole in bare:
        return whole or stripped   # the aids change the reading only where it took words of theirs ("韩梅花")
    # "户名 是 高 鹏 高 高低的高 …… 高鹏": the reading said as a word of its own wins
    return whole if _said_alone(whole, text) and not _said_alone(stripped, text) else stripped


def _said_alone(name: str, text: str) -> bool:
    return re.search(rf"(?:^|[\s，,。:：是叫]){re.escape(name)}(?:$|[\s，,。])", text) is not None


def _name_in(text: str, any_surname: bool = False) -> Optional[str]:
    if re.fullmatch(r"[\u4e00-\u9fff]{1,2}某{1,2}", compact(text or "")):
        return None   # "王某": only the surname (surname_only)
    """A plausible Chinese name (surname from the list, 2–4 characters) or an organisation said in a
    reply; "姓刘，叫刘德明" → 刘德明. None for anything else (times, amounts, yes/no, fillers).
    any_surname: the citizen said the same name twice, so a surname missing from the list is theirs."""
    said = IMPATIENT_TAIL.sub("", (text or "").strip())   # "全名刘凯 行了吧"
    said = FILLER_AFTER_INTRO.sub(r"\1", said)   # "我叫那个杨丽萍"
    said = STARS_AFTER.sub(lambda m: m.group(1) + "*" * (2 if m.group(2) in ("两个", "俩", "二个") else 1),
                           said)   # "王 后面两个星号"
    said = STARS_BEFORE.sub(lambda m: "是*" + m.group(1), said)   # "…是*丽娜": as if the app's words were read
    said = STAR_WORD.sub("*", said)   # "显示 星号 海波": the star said as a word
    said = FALSE_START.sub(_false_start_mended, said)   # "深圳市金穗……金穗通达供应链有限公司"
    said = re.sub(r"[（(]([^（()）]*)[)）]", r"，\1，", said).translate(CORNER_QUOTES)   # "林晓燕（双木林，破晓的晓）": the aside is a clause
    if ASR_GAP.search(said):
        said = re.sub(r"\s{2,}", " ", SPOKEN_FILLER.sub(" ", said)).strip()
    parts = SURNAME_AND_GIVEN.search(said)
    if parts and parts.group("surname") in surnames()[0] | surnames()[1] and not NOT_IN_NAME.search(parts.group("given")):
        given = parts.group("given")
        if not given.startswith(parts.group("surname")):
            return parts.group("surname") + given
        if len(given) == 2:
            return given   # "姓曾，曾志伟的曾，叫曾凯"
    text = SPELLED_OUT.sub(_spelled_out, LATIN_ASIDE.sub("", said))
    said = STUTTER.sub("", said)   # "刘 刘建 刘建新": the name said again, longer each time
    text = STUTTER.sub("", text)
    spaced = joined_words(text)
    if ORGANISATION_END.search(spaced) and re.search(r"记不清|记不住|不记得|没记住|忘了", spaced):
        return None   # "杭州 某某 网络科技有限公司 中间那几个字记不清": a company whose name they do not know
    if spaced != text:   # "户名是 那个 深圳市 鑫源汇 科技有限公司": a speech recogniser's spaces inside a company name
        organisation = _spoken_organisation(said) if ORGANISATION_END.search(spaced) else None
        if organisation:
            return organisation
        for clause in re.split(r"[，,。.!！；;…]+", spaced):
            organisation = _organisation(PUNCTUATION.sub("", clause))
            if organisation:
                return organisation
        organisation = _spoken_organisation(said)
        if organisation:
            return organisation
        if ORGANISATION_END.search(spaced):
            return None   # "杭州 那个 什么 贸易 有限公司": a company whose name they do not know, not "杭州"
    if ASR_GAP.search(said):   # word by word: the name's parts are put together, and clauses are read whole
        if re.search(r"[吗呢]", spaced):
            return None   # "信用 卡 刷 的 也 能 追 回来 吗": a question, no name in it
        apart = _spaced_name(NAME_PREFIX.sub("", said))
        if apart:
            return apart
        # each word ("赵敏 赵 是 走肖赵"), not one that a sentence goes on from ("信用 卡"), then whole clauses
        words = [w for w in re.split(r"[\s，,。.!！；;…]+", text) if w]
        clauses = [w for w, after in zip(words, words[1:] + [""])
                   if after[:1] not in SENTENCE_GOES_ON or re.match(r"卡号|账号|银行卡", after)] \
            + re.split(r"[，,。.!！；;…]+", spaced)
    else:
        clauses = re.split(r"[，,。.!！；;\s…:：]+", text)   # "我念给你听啊：上海鼎盛…有限公司"
    for clause in clauses:
        if SURNAME_SPELLING.search(clause) or CHARACTER_PART.search(clause) or spelling_aid(clause):
            continue   # "双人徐，文化的文，凤凰的凤，徐文凤": how the surname is written, the name comes after
        marked = NAME_SUFFIX.sub("", _without_prefixes(HEDGE.sub("", re.sub(r"[\s:：\"“”]", "", clause))))
        shown_as = next((m.group(1) for m in SHOWN_MASKED.finditer(re.sub(r"[\s\"“”]", "", clause))
                         if MASKED_NAME.match(m.group(1)) and (m.group(1)[0] in "*＊" or _starts_with_surname(m.group(1)))),
                        None)
        if shown_as and not (MASKED_NAME.match(marked) and (marked[0] in "*＊" or _starts_with_surname(marked))):
            marked = shown_as   # "转账页面显示王*": the name as the app shows it, where it stands
        if MASKED_NAME.match(marked) and (marked[0] in "*＊" or _starts_with_surname(marked)) \
                and not NOT_IN_NAME.search(re.sub(r"[*＊xX]", "", marked)):   # not "显示星星什么的"
            masked = re.sub(r"[＊xX]", "*", marked)
            shown = len(masked.replace("*", ""))   # "王*" as the app shows it; "李XX" says nothing more than 姓李
            return masked if shown >= 2 or (shown == 1 and not re.search(r"[xX]", marked)) else None
        if DOTTED_NAME.match(marked):
            return marked
        bare = NAME_SUFFIX.sub("", HEDGE.sub("", PUNCTUATION.sub("", clause)))
        if not bare:
            continue
        full = SURNAME_THEN_NAME.search(bare)
        if full and full.group("name").startswith(full.group("surname")):
            return full.group("name")
        candidate = NAME_SUFFIX.sub("", NAME_PREFIX.sub("", bare))
        candidate = _without_spelling(candidate)
        courteous = COURTESY_AFTER_NAME.match(candidate)
        if courteous and _starts_with_surname(courteous.group(1)) and courteous.group(1) not in surnames()[1] \
                and not NOT_IN_NAME.search(courteous.group(1)):
            return courteous.group(1)   # "刘海先生"
        organisation = _organisation(bare, candidate)
        if organisation:
            return organisation
        for name in (candidate, *[m.group(1) for m in TRAILING_NAME.finditer(bare)]):
            if 2 <= len(name) <= 4 and re.fullmatch(r"[\u4e00-\u9fff·]+", name) and not TITLE.search(name) \
                    and name not in surnames()[1] \
                    and not find_banks(name) \
                    and (any_surname or _starts_with_surname(name)) and not NOT_IN_NAME.search(name):
                return name
    return spelled_name(said)


def surname_only(text: str) -> Optional[str]:
    """"我姓王" / "免贵姓欧阳": the surname when no full name was said."""
    match = re.search(r"姓([\u4e00-\u9fff]{1,2})", text or "") or re.search(
        r"(?:^|叫我?|是|记|写|称呼?)([\u4e00-\u9fff]{1,2})(?=(?:老师|经理|先生|女士|小姐|阿姨|师傅|老板|主任|医生|警官|总|某某|某)"
        r"(?:吧|就行|就好|好了|啊)?(?:[，,。.!！\s]|$))",
        compact(text))
    if not match:
        return None
    single, compound = surnames()
    said = match.group(1)
    if said in compound:
        return said
    return said[0] if said[0] in single else None
