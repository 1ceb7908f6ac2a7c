"""Reading one citizen message into the report draft, in the context of the question it answers."""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Dict, List, Optional

import cn2an

from bot.extract.amounts import find_amounts
from bot.extract.banks import bank_for_card, canonical_bank, find_banks
from bot.extract.spacing import gapless
from bot.extract.cards import luhn_valid
from bot.extract.channels import BANK_APPS, STORED_VALUE_CARDS
from bot.extract.numerals import spoken_digits_to_ascii
from bot.extract.phones import mobile_number, mobile_shaped
from bot.extract.times import WEEKDAY_INDEX, at_part_of_day, days_said, find_times, hour_in_part, part_of_day, transfer_moment
from bot.report.answers import (
    CLAIMED, CONTRAST, MONEY_GONE, NOT_YET, ORGANISATION, RHETORICAL_UNKNOWN, SENT_IN_OTHER_WORDS, STARS_BEFORE, UNKNOWN_PHRASE, compact,
    is_filler,
    is_unknown, joined_words, person_name, spelled_mended, spelled_name, surname_only, surnames, yes_or_no,
)
from bot.report.receipts import read_receipt
from bot.report.spelling import explained_character
from bot.report.dialogue import (
    CONFIRM, DETAIL, FAQ_CONFIDENCE, MAX_FAILED, MAX_FILLERS, MONEY_SENT, MORE, STOP_PAYMENT_NEEDS,
    TRANSFER_QUESTIONS, VICTIM_NAME, VICTIM_PHONE, YES_NO_QUESTIONS, Draft, Said, Turn, next_question,
)
from bot.report.model import UNKNOWN, Transfer

FUTURE_TOLERANCE = timedelta(minutes=5)
HANDED_OVER = "这个问题我没能弄清楚，为了不耽误止付，我把已登记的信息交给值班民警，由民警直接跟您核实。"
PUT_OFF = "不着急，这一项我们待会儿再核对，先把其他信息登记下来。"
LEFT_TO_OFFICER = "这一项我先记为“待民警核实”，民警会跟您核对，我们接着登记。"
UNCLEAR_NOTE = {"to_account": "对方收款账号报案人没能说清，请民警核实", "amount": "转账金额报案人没能说清，请民警核实"}
# Said in so many words that money left (not just "被骗了", which may mean details were given away).
PAID = re.compile(r"(转|汇|付|充|交|打|投|垫)(了|过去|出去|完)|刚(刚|才)?(转|汇|付)(?!账户)|已经转|都转|全转|骗走|被转走|被划走|(?<![裹递件])被扣(?![押留下住在分])|扣了|"
                  # not "要把钱转到安全账户核查", "让我把钱转到…": what was demanded
                  r"(?<!要)(?<!让)(?<!叫)(?<!得)(?<!须)(?<!让我)(?<!叫我)(?<!要我)(?<!要求)把钱.{0,12}(转|汇|打|给|交|存)(了|过去|出去|到)|(转|汇|打|付)给(他|她|对方|人家|骗子|卖家|那人)了")
NOT_PAID_YET = re.compile(r"还没|没来得及|正要|准备(转|付|汇|打|交)|打算转|刚要|还在犹豫|差点|要不要|该不该|"
                          r"(付|交|转|充)了.{0,6}才(能|会|发|给|放|可以)|(我|就)没(有)?(理|点|借|扫|下载|通过|上当)|拦(下|住)")
# "金额是三万九千五，不是三万九", "钱算错了，…是两万一千六，不是两万一": the sum put right, whatever was asked
SUM_PUT_RIGHT = re.compile(r"(?:金额|钱数|钱)(?:是|应该是|不对|错了|算错了|说错了|记错了)[^。；;]{0,14}不是|"
                           r"(?:金额|钱数|钱)(?:不对|错了|算错了|说错了|记错了)")
NEGATED_BEFORE = re.compile(r"(不是|并不是|而不是|并非)\s*$")
# What someone else said or asked, told in the story ("他问我猜猜他是谁，我说是不是小军"): not a question to us.
REPORTED_SPEECH = re.compile(r"(?<![想请你])(?:说|问)(?!一下|问|下)[^，,。；;！!]*")
ENDS_AS_QUESTION = re.compile(r"[?？]|(吗|么|呢|[了过]没有)[\s。!！~～…]*$")   # not "找不着，真没有"
HESITATION = re.compile(r"(?:怎么|咋)(?:说|讲)(?:呢|才好)?|该怎么说|不知道怎么说|"   # "结果……唉，怎么说呢"
                        # "喂，是反诈中心吗？我孙子…": a greeting, not a question to answer
                        r"^(?:我|啊|嗯|哦|什么|你说|问我)[?？]|"   # "我？哦，…我叫刘桂兰": an echo, not a question
                        r"^(?:喂|你好|您好|同志)?[，,\s]*(?:请问)?(?:这里|这边)?(?:是|这是)(?:不是)?"
                        r"(?:反诈中心|反诈|96110|公安局?|警察|派出所|110)(?:吗|么|嘛|吧)?[?？]?(?=.)")
QUESTION_LIKE = re.compile(r"[?？]|吗|怎么办|怎么|什么是|为什么|是不是|能不能|可不可以|会不会|有没有用|还能|要不要|(?<![没不])多久|咋办|咋")
# The NLU's note on a message it made a report (bot.nlu.reported_loss): "loss" or "encounter".
REPORTED_AS = "reported_as"


def asks_a_question(text: str) -> bool:
    """The citizen asks us something (not a question told as part of the story)."""
    text = HESITATION.sub("", text)
    return bool(ENDS_AS_QUESTION.search(text) or QUESTION_LIKE.search(REPORTED_SPEECH.sub("", text)))


OWN_BEFORE = re.compile(r"(我的|我自己的?|自己的|本人的?|我用|我拿|我从|从我|从|用我|我是?在|我是?去|(?:付款|转出|扣款|出款)的?(?:银行)?(?:卡|账户|账号))"
                        r"[^，。,.；;]{0,8}$|(?:^|[^费使作信])用\s*$")   # "用建行信用卡…": the card paid with
# "用建行信用卡4367…转了两万": a card named right before the number, paid with
PAID_WITH_CARD = re.compile(r"(?:^|[^费使作信])用(?:(?!转|到|给|往|进|他|她)[^，。,.；;]){0,6}卡(?:号)?(?:是)?\s*$")
RECEIVING = re.compile(r"转到|转给|打到|打给|汇到|转进|存到|收款|对方|骗子|他的|她的")
# "我自己的卡号最后三位念反了，应该是…" / "付款那张卡我把卡号报全吧，是…": the message is about the citizen's card
OWN_TOPIC = re.compile(r"^[^，,。；;]{0,3}(?<![给发])(?:我自己的|我的|本人的?|我那张|自己的)[^，,。；;他她对]{0,6}卡|"   # not "他发给我的那个卡号"
                       r"^[^，,。；;]{0,3}(?:付款|转出|扣款|出款)(?:的|用的|那张|这张)?(?:银行)?卡")
OWN_AFTER = re.compile(r"^[^，。,.；;]{0,6}(转出|付的|付款|扣的|扣款|柜台|网点|营业厅|办的|app|APP|手机银行|网银)|"
                       r"^\s*(?:卡)?\s*是我(?:自己)?的")
FRAUDSTER_BEFORE = re.compile(r"(他|她|对方|骗子|客服|警官|老师|那人|那个人|收款人)[^，。,.]{0,8}$")
OTHER_PARTY = re.compile(r"他|她|对方|骗子|客服|警官|老师|那人|那个人|收款人|供应商|卖家|买家|商家|中介|经理|老板|师傅|律师|"
                         r"领导|平台|公司|部队|排长|专员|主任")
# "你们能帮我查一下这个号码吗 171…": a number the citizen wants checked is the caller's, not theirs
NUMBER_TO_CHECK = re.compile(r"(?:查|核实|核对|看看|问问|举报)[^，。,.]{0,6}(?:号码|号|电话|手机)|(?:这个|这|那个)(?:号码|电话号码|手机号)")
# Whose number: "他给我打电话用的是…", "接待员打过我的号码是…" (theirs); "…，那是骗子的" said after it
CALLED_FROM_BEFORE = re.compile(r"(?:他|她|对方|骗子|那边|接待员|客服|老师|那人)[^，,。]{0,8}(?:打|拨)(?:来|过来|给我|过我|了?电话)|"
                                r"(?<!你们)(?<!你)(?:打|拨)(?:来|过来|给我|过我)(?:的|电话)")
THEIRS_AFTER = re.compile(r"^[\s，,]*(?:那|这)个?(?:号码?)?是(?:骗子|对方|那人|那个人)的")   # not ",他的电话是…" (the next one's)
# "用招行APP的手机号转账", "这个是收款人的手机号": the money went to an account found by its phone number
SAID_AS_MINE = re.compile(r"我|本人|自己|俺")   # a number's clause says it is the citizen's
PHONE_AS_ACCOUNT = re.compile(r"收款(?:人|方)?的?(?:手机号|电话号)|手机号(?:码)?转账|转到(?:他|她|对方)?的?手机号|"
                              r"收款(?:账号|账户)(?:是|就是)?(?:他的?|她的?|对方的?)?手机号")
SCAMMER = re.compile(r"骗子|对方|客服|警官|那人|那个人|收款人|供应商|卖家|买家|中介|他们")
ECHOED_QUESTION = re.compile(r"^\s*(?:我的?|你说|问我?|你问(?:我|俺)的?)?(银行|哪个银行|户名|收款人|卡号|账号|名字|姓名|时间|金额|多少钱|"
                             r"手机号?|电话|号码|哪张卡|什么时候|怎么转的?|叫啥|叫什么|称呼|怎么称呼)(?:啊|呀|吗|是吧|嘛|哈)?[?？]")
SAY_AGAIN = re.compile(r"再(?:慢慢|慢点)?(?:说|讲|念|读|重复)一(?:遍|次|下)|重复一(?:遍|下|次)|没听清|没听懂|听不清|慢一?点说|说慢一?点")
WANTS_OFFICER = re.compile(r"人工|真人|民警|警察|警官|公安|转接|接线员|值班|找个人|找人")
WANTS_TO_STOP = re.compile(r"不报了|不报案了|算了|不用了|不想报|不登记|别登记|不要登记|取消|退出|结束|不弄了|不搞了|不说了")
WALLET = re.compile(r"支付宝|余额宝|花呗|借呗|微信|零钱|财付通|云闪付")
TAIL_PATTERN = re.compile(
    r"(?:尾号|尾数|末尾|(?:最后|后[头面边]?|末)(?:[四4]|几)(?:个|位)(?:号|数字|数)?|后[面头边](?:是|的是)?(?= ?\d))"
    r"(?:[^\d，。,.]{0,8}|[^\d。.]{0,10}(?<=[，,]))(\d(?: ?\d){3})(?! ?\d)")   # "尾号是……我看看啊，0516"


# "3356结尾的", "储蓄卡（3356）", "****3356" as banking apps show a card, "尾巴是3356"
TAIL_SHOWN = re.compile(r"(?<![\d*])(\d{4})\s*(?:结尾|打头的?不是|为尾)|[（(]\s*(\d{4})\s*[）)]|[*＊xX]{2,}[\s*＊xX]*(\d{4})(?!\d)|"
                        r"(?:尾巴|结尾|最后是|最后的是|末尾)[^\d，。,.]{0,4}(\d{4})(?!\d)")
LONE_FOUR = re.compile(r"(?<![\d.,])(?<!\d\s)(\d{4})(?!\s?\d|[.,]|\s*(?:元|块|年|万|千|号|月|日))")


def card_tail(text: str, asked_for_it: bool = False) -> Optional[str]:
    """The four digits after 尾号 / 后四位, also as a recogniser spaces them ("尾号 88 6 2"), or as an app shows
    the card; asked which card paid, four digits alone ("工行 3356") are its tail."""
    digits = spoken_digits_to_ascii(re.sub(r"两(?=\s*[次笔张个回遍])", "俩", text))   # "尾号7702 两次都是这张"
    found = list(TAIL_PATTERN.finditer(digits))
    if found:
        # "尾号7078……不对，我那张尾号是0978": the one said after the correction
        corrected = [f for f in found if re.search(r"不对|说错|搞错|记错|应该是|更正", digits[found[0].end():f.start()])]
        return (corrected or found)[-1 if corrected else 0].group(1).replace(" ", "")
    shown = TAIL_SHOWN.search(digits)
    if shown:
        return next(g for g in shown.groups() if g)
    alone = LONE_FOUR.findall(digits) if asked_for_it else []
    return alone[0] if len(alone) == 1 else None
CHANNEL_WORDS = [("unionpay_quickpass", r"云闪付|云.?付|银联.{0,4}(?:app|软件)"),
                 ("alipay", r"支付宝|余额宝|花呗|借呗|(?:淘宝|闲鱼|天猫)(?=上?(?:付|买|支付|下单|拍|购))|"
                            r"蓝色的?(?:那个)?(?:付款|支付|付钱)?(?:软件|app|应用|图标)"),   # how people describe the apps
                 ("wechat_pay", r"微信|财付通|零钱通|绿色的?(?:那个)?(?:聊天|付款|支付)?(?:软件|app|应用|图标)"),
                 ("other", r"信用卡[^，。,.]{0,4}(?:网上|网页|链接)[^，。,.]{0,2}刷(?!单)|数字人民币|usdt|泰达币|比特币|虚拟币|现金|抖音|京东|qq|翼支付|美团|拼多多支付|"
                           r"(?:充|冲)(?:值)?(?:到|进)?.{0,6}游戏|" + STORED_VALUE_CARDS),
                 ("bank_transfer", BANK_APPS.lower() + r"|银行|网银|手机银行|柜台|柜面|atm|取款机|转账|汇款|电汇|卡转|卡上转|刷卡|存|手机.{0,4}(?:转|汇)|打款|邮局|pos"),
                 ("wechat_pay", r"红包")]   # "发了好几个红包": WeChat's, unless another app is named (matched before)
SCANNED = re.compile(r"扫|二维码|付款码|收款码|链接|网页|网站|pos", re.I)
POLITE_OK = {"好", "好的", "好吧", "行", "行吧", "可以", "好嘞", "嗯好"}  # "go on", not an answer to a yes/no question
# "里面八块是手续费": a bank's fee inside the sum said
FEE_AFTER = re.compile(r"^\s*(?:块|元)?钱?(?:是|为)?(?:银行的?|转账的?|跨行的?)?手续费")
FEE_INSIDE_BEFORE = re.compile(r"(?:里面|其中|这里面|这里头|里头|含|包括|包含)(?:有|了)?\s*$")
TOTAL_BEFORE = re.compile(r"(一共|总共|总计|合计|加起来|前后|累计|全部|被骗了?|骗了(?:我|俺)?|骗走了?(?:我|俺)?|损失了?|亏了)"
                          r"(转|付|交|打|汇|投|花|充|被骗)?(?:了|过去|出去|进去)?了?[是有]?\s*$")   # "骗了我十三万，转了三次"
RECEIVED_BEFORE = re.compile(r"(给我|返|返还|收到|赚|退|到账|提现|奖金|中了|赢了|贷了|贷款|额度|放款|下款|批了)[了回来过]*[^，。,.]{0,3}$")
TRAILING_HEDGE = re.compile(r"[吧啊呀左右。.!！…~～\s]+$")   # "也就半个钟头吧。"
FOUND_OUT = re.compile(r"发现|一问|问了|才知道|才反应|反应过来|联系不上|找不到人|打不通|核实|报警")
EVENT_BREAK = re.compile(r"[，,。；;！!]|(?=先|又|再|然后|后来|接着|之后)")
WEAK_CHANNEL = re.compile(r"^(转|打|汇|存)(到|进|入)")
REMOTE_RISK = re.compile(r"屏幕共享|共享屏幕|开共享|会议软件|会议app|远程|验证码|按他说的操作|按他说的点|按他的要求操作|"
                         r"让我下载|让我下了|让我装", re.I)
NO_CARD = re.compile(r"没有(?:他|她|对方|人家)?的?(?:卡号|账号|银行卡)|没(?:他|她|对方)?的?(?:卡号|账号)|只有(?:她|他|对方)?的?微信|扫码|扫的码|二维码|收款码|没有银行卡|不是银行卡|不是卡|哪来的卡号|哪有卡号|"
                     r"直接扣|自动扣|直接划走|直接转走|没有?[^，。,.\d]{0,6}(?:网页|链接|网站)")   # "第二笔也没有 是个网页"
SPOKEN_DIGITS = str.maketrans("零〇一幺二两三四五六七八九", "0011223456789")
# Typed in a hurry: zfb, wx. Same length as the words, so entity offsets stay right.
ABBREVIATED = {"zfb": "支付宝", "wx": "微信", "vx": "微信", "ysf": "云闪付"}
ABBREVIATIONS = re.compile(r"(?<![a-z])(zfb|wx|vx|ysf)(?![a-z])", re.I)
PAY_VERB = re.compile(r"转|付|汇|打|交|充|投|存|垫|给|花|骗|扣|补")
WONT_PAY = re.compile(r"不会再?(?:交|转|给|付|打)|不再(?:交|转|给|付|打)|再也不|不可能再|没(?:有)?(?:交|转|给|付)|不(?:交|转|给|付)了")
REFUSED = re.compile(r"没转|没有转|不转|没交|没给|没付|没有付|没有交|不交|不给|拒绝|没理")
THIS_ONE_BEFORE = re.compile(r"(这一笔|这笔|这次|这一次|这回|这一回)[是转了有]*\s*$|"
                             r"(?:转过去|打过去|汇过去|转给他|对方收到|到账)的(?:钱)?是\s*$")   # "…五十是手续费 转过去的是一万"
PAID_TOGETHER = re.compile(r"一起(转|付|交|打|汇|给|专)|一块儿?(转|付|交|打|汇|给)|一次性|一次(转|付|交|打|汇)|一笔(转|付|交|打|汇)")
RELATIVE_TIME = re.compile(r"前|刚才|刚刚|现在|距今|过去|(?:小时|分钟|钟头|礼拜|星期)了")   # "到现在四十分钟左右" too
NAME_TAKEN_BACK = re.compile(r"(?:不对|说错了|错了|写错了)[，,\s]*|(?:应该是|应为|改成)\s*")   # "王方应该是王芳"
FUNDED_WALLET = re.compile(r"(?P<wallet>支付宝|微信|云闪付)[^，。,.]{0,4}绑|绑(?:在|到|进)?(?P<wallet2>支付宝|微信|云闪付)|"
                           r"(?:转|充|提现)(?:到|进)(?:我的?)?(?P<wallet3>支付宝|微信|云闪付)")
HOLDER_SURNAME_WRONG = re.compile(r"(收款人|户名|对方)的?姓(氏)?(不对|错了|写错|有误|不是)")
NOT_THIS_ONE = re.compile(r"^(不是|而不是)")
WAVERING = re.compile(r"还是.{1,8}(来着|呢|吧)|来着|我想想|想起来了|对[，,。.]|…")
SELF_CORRECTION = re.compile(r"不对|说错|不是|应该是|准确|确切|具体|又说|改口|哦|更正|其实是|实际是|实际上是|——|—")
DAY_WORDS = re.compile(r"天|日|号|周|星期|礼拜|昨|今|前|刚")
NEW_DAY = re.compile(r"今|昨|前天|前晚|前儿|号|[0-9一二三四五六七八九十]日|周|星期|礼拜|天前|刚才|刚刚|就刚|这会")
SAME_DAY = re.compile(r"那天|那一天|当天|同一天|那日|同一日|同一晚|那天晚上")   # the day already said
VAGUE_TIME = re.compile(r"刚才|刚刚|就在刚才|这会儿|刚|今天|今日|今儿个?")
# "他要六万我只转了四万", "本来要转三万": the sum wanted or meant, not the one paid
WANTED_BEFORE = re.compile(r"(?:他|她|对方|人家|骗子|那边)(?:说)?要(?:我)?(?:转|交|付|汇|打|充)?$|"
                           r"(?:本来|原本|原来|打算|准备)(?:要|想)?(?:转|交|付|汇|打|充)?$|"
                           r"(?:凑够|凑齐|凑满|凑到|达到|满)$")   # "他说凑够七万才能进VIP通道": a target
DEMANDED_BEFORE = re.compile(r"(让我|叫我|要我|要求我?|说要|需要|得先|必须|让交|要交|要先|要再|还要|还得)[先再]?(交|转|付|汇|打|充)?[^，。]{0,4}$")
# "尾号我不记得了，我闺女知道": the number exists and may come
SOMEONE_KNOWS = re.compile(r"(闺女|女儿|儿子|孙子|孙女|老伴|家里人|孩子|老公|老婆)(知道|记得|晓得|有)")
SERIAL = re.compile(r"(?:流水号|交易流水|流水|交易号|交易单号|交易编号|凭证号|参考号)\s*(?:是|为|号)?\s*[:：]?\s*([A-Za-z0-9]{8,40})(?![A-Za-z0-9])")
DAY_OR_PART = re.compile(r"今|昨|前天|明|号|日|星期|周|礼拜|天前|上午|下午|晚|早|凌晨|中午|晌|傍黑|擦黑|傍晚|夜|半夜|午")
ROUGH_ANSWER_HELPS = ("time", "amount", "from_account", VICTIM_PHONE)   # the phone: where to look it up
RELATIVES = r"老伴|老头子?|老太婆|老婆|老公|爱人|丈夫|妻子|媳妇|儿子|女儿|闺女|孙子|孙女|外孙女?|爸爸?|妈妈?|父亲|母亲|" \
            r"婆婆|公公|哥哥?|姐姐?|弟弟?|妹妹?"
CARD_OWNER = re.compile(rf"({RELATIVES}|我爸|我妈|对象|男朋友|女朋友|同事|单位|公司)的(?:[^，,。；;]{{0,8}})?(?:卡|存折|账户)")
# "从工行卡转了四千二到一张工行的卡，6212…": the card named as where the money went, whatever bank paid
RECEIVING_CARD_BEFORE = re.compile(r"(?:(?<![收拿])到|转进|打进|转给|转入)(?:了)?(?:一张|一个|张|个)?[^，,。；;从]{0,6}(?:卡|账户|账号)(?:上|里)?"
                                   r"(?:卡号)?(?:是|为)?[，,：:\s]*$")
# "礼拜三" without 上/这/本: at the read-back, a weekday of the week already told
BARE_WEEKDAY = re.compile(r"(?<![上这本个])(?:周|星期|礼拜)([一二三四五六日天1-7])")
# "户名是融信 融化的融 信用的信 不是荣鑫", "公司名是恒泰，不是恒达": a part of a company's name put right
HOLDER_PART_CORRECTED = re.compile(r"(?:户名|收款人|公司|名字|名称|公司名)(?:的名字)?(?:应该)?是\s*(?P<right>[\u4e00-\u9fff]{2,4})"
                                   r"(?:[\s，,]*[\u4e00-\u9fff]{1,4}的[\u4e00-\u9fff])*[\s，,]*不是\s*(?P<wrong>[\u4e00-\u9fff]{2,4}?)"
                                   r"(?=[啊呀的吧呢哦了]*(?:[\s，,。；;！!?？]|$))")
RELATIVE = re.compile(r"老婆|老公|媳妇|丈夫|妻子|爱人|儿子|女儿|闺女|[妈爸]|父亲|母亲|孩子|孙子|孙女|外孙|[哥姐弟妹]|亲戚|家里人")
THEIRS_BEFORE = re.compile(r"(?:对方|骗子|收款人?)的?(?:卡号|账号|卡|账户)(?:是|为)?\s*$|(?:对方|骗子)的是\s*$|"
                           r"(?:他|她|对方|骗子)(?:发给|发|给)我?的(?:那个|那张)?(?:卡号|账号|卡|账户)?(?:是|为)?\s*$")   # "他发给我的卡号是…"
CRYPTO_EXCHANGE = re.compile(r"(欧易|OKX|币安|Binance|火币|抹茶|Bitget|Bybit|Gate)|交易所", re.I)
PAYING_TOPIC = re.compile(r"付款(?:卡|账户|账号|的卡|银行)|转出(?:的)?(?:卡|账户)|出钱的|扣款的|扣钱的|我的卡|我自己的卡|我那张|从我.{0,4}卡")
PAID_AGAIN = re.compile(r"又(?:让我)?(交|转|付|打|汇|充|给|补)(了|过去|出去)")
DID_NOT_PAY = re.compile(r"(?<!账号)(?<!号码)(?<!密码)(?<!验证码)(?<!身份证)(?<!照片)(?<!资料)"   # "我账号还没给他": not money
                         r"(我|就|还|都|也|根本|一分钱都)没(有)?(转|交|付|汇|打|给)(?!完)|没转成|还没来得及转")
# "我没转帐 是被扣的": not sent, but taken: money left all the same
TAKEN_NOT_SENT = re.compile(r"被(?:人)?(?:扣(?!分)|刷(?!单)|盗刷|转走|划走|取走)|扣(?:的|走)|盗刷|(?:钱|卡里|余额)[^，。,.]{0,4}少了")
# The answer's own sum, first and bare: "第二次15000 说…", "解冻金4800 贷款额度20万", "墨盒是23400，一共30盒" (a label
# or the transfer's number before it, a pause after it; not "58同城", "我今年65了", "100 多个人")
LEADING_BARE_SUM = re.compile(r"^\s*(?:第[一二三四五六七八九\d][次笔趟回]|头一[次笔趟回])?\s*"
                              r"(?:[\u4e00-\u9fff]{0,3}(?:费|金|钱|款|税|是))?\s*(\d{2,7}(?:\.\d+)?)(?=\s*(?:$|[，,。.！!；;]|\s(?!\s*多)))")
ALL_PAID = re.compile(r"(都|全|全都|全部)(交|转|付|给|打|汇)(了|过去|完)|我又(交|转|付|给|打|汇)了|又(交|转|付)了一|"
                      r"我就(转|给|交|付|打|汇)了|就给他(转|打|汇)了")
TAKEN_WITHOUT_TRANSFER = re.compile(r"(?:链接|网址|验证码|卡号和密码|填了).{0,16}(?:扣|刷|划|转)(?:了|走|的)|盗刷|被刷走|"
                                    r"(?:不是我|我没有?)(?:自己)?转.{0,16}(?:扣|刷|划)(?:了|走|的)")
ASSERTED_BEFORE = re.compile(r"(?:(?<!不)是|改成|改为|应为|应该是)\s*$")
# "是六千六，我刚才少说了六百": the difference to the sum meant, not a sum
DIFFERENCE_BEFORE = re.compile(r"(?:少|多)(?:说|算|写|记|打|报|讲)了?\s*$|差了\s*$")
CASH_FROM_CARD = re.compile(r"(?:取成|取出来?|取了|换成)[^。；;]{0,8}现金.{0,16}(?:存|汇)|取现.{0,16}(?:存|汇)")
SEVERAL_EQUAL = re.compile(r"(?:分|转|打|付|交|汇)了?\s*([2-9]|[两二三四五六七八九])\s*(?:次|笔|回)")
# "剩下三万八提车时付": a sum to be paid later, not a transfer
STILL_TO_PAY = re.compile(r"^[^，,。；;]{0,8}(?:时|的时候|以后|之后|后)(?:再)?(?:付|给|交|转|结)|^[^，,。；;]{0,6}(?:再付|再给|再交|再转|没付|未付|还没)")
WITHDRAWAL_BLOCKED = re.compile(r"提不了现|提不出|提现不了|无法提现|不能提现|取不出|提不了|冻结了")
PRICE_BEFORE = re.compile(r"(?:只要|只需要?|才要|只收|优惠价|折后价?|实付|实际付了?|到手价)\s*$")
MONEY_SOURCE_BEFORE = re.compile(r"(?:借了|借的|贷了|贷的|卡里的?|存款|积蓄|攒的|加上|自己的)[^，,。；;]{0,4}$")   # where the money came from
# "也不知道是卡里还是微信里的钱", "里面绑了卡还是有零钱 我不晓得": which of two they cannot tell
UNSURE_WHICH = re.compile(r"(?:不知道|不晓得|搞不清|不清楚|说不清|弄不清|不懂)[^，,。]{0,12}(?:还是|或者|哪)|"
                          r"(?:还是|或者)[^，,。]{0,12}(?:不知道|不晓得|搞不清|不清楚|说不清|弄不清)")
ONLY_TAIL_KNOWN = re.compile(r"只有?(?:个)?尾号|只(?:知道|看到|显示|记得)(?:个)?尾号|(?:前面|全号|完整的?卡?号)[^，,。]{0,4}(?:看不到|看不见|没有|不知道|没显示)")
PART_BEFORE = re.compile(r"(?:里面|里头|这里面|包括)(?:还)?(?:有)?[^，,。；;]{0,4}$")
SEVERAL_SUMS = re.compile(r"(?<!第)[两二三四五六七八九几]\s*[笔次回]|分开|分别")   # "分两次转的": sums of several transfers
PAID_AFTER_DEMAND = re.compile(r"结果(?:就|我)?(?:转|交|付|打|汇|充)(?:过去|进去|了)|(?:转|交|付|打|汇|充)(?:过去|进去)(?:了|就|之后|以后|后)")
STORY_CHARS = 15
# "三个红包，一个两百，一共六百", "点一个给两块", "不关每个月扣五百": a rate, not a transfer
EACH_BEFORE = re.compile(r"((?<![第头])一[个单张件份箱瓶盒套桌斤袋包条支双罐提]|每[个次笔单张件份箱瓶盒套台桌斤袋包条支双罐提]|单价|"
                         r"每个?月|每年|每天|每周|每星期)"
                         r"(?:都|要|就|能|会)?(?:给|返|赚|扣|收|有)?\s*$")
# "余额还有两万" is no transfer; "余额少了七千二" is what left
BALANCE_BEFORE = re.compile(r"(显示(?!\s*(?:是|的是|转出|支出|付款|扣款|交易))|余额|收益|赚了|利润|盈利|账面|平台上有|账户里有|原来|本来|原先|剩(?!下的)|卡里有|里面有|里有|原价|标价|市场价|价值)(?![^，。,.；;]{0,4}(少了|被扣|扣了|没了|转|付|交|汇|充))[^，。,.；;]{0,6}"
                            r"(?<![-−])$")   # "显示 -5000.00": a debit on the statement, not a balance
ANOTHER_TRANSFER = re.compile(r"还有一笔|还有一次|另外还|另外一笔|还转过|还交过|还付过|还打过|又转过|又转了|又往.{0,10}转|"
                              r"又(给|打|充|交|汇)了|漏了|忘了说.{0,6}(转|交|付)|差点忘了")
MONEY_NOT_YET_SENT = re.compile(r"钱(还|都)?没(有)?(转|汇|打|付|给)(?!完)|还没(有)?(转|汇|打|付)(钱|款|过去|出去)?(?![完走])")
NO_MONEY_LEFT = re.compile(r"一分(钱)?都没(出去|转|少|动|被)|没出去|钱没少|没动过|没被转|都还在|还在卡里|没转出")
NO_MORE = re.compile(r"没有别的|没别的|没有其他|没其他|没有其它|就这一|就这两|就这三|就这些|只有这|只有一|就一笔|就一次|就两笔|"
                     r"没有了|没了|没有第二|没再转|没有再转|再没有|就(?:交|转|付|打|汇|给)了?(?:这|那)?一(?:次|笔|回)")
CONFIRMING = re.compile(r"对的|对啊|对呀|对头|没错|是的|都对|正确|没问题|没(?:啥|什么)问题|就是这个|确认|对对|就是这些|就这样|没毛病|是这样|是呀|(?<![有])无误|准确|"
                        r"\byes\b|\bok\b|\bokay\b|correct|\bright\b", re.I)
DISPUTING = re.compile(r"不对|错了|不是|改一下|改成|不过|但是|有误|不太对|漏了|少了|多了")
SAME_AS_BEFORE = re.compile(r"同一张|同一个|还是那张|还是那个|一样|同样|也是那张|也是这张|还是这张|都是那张|都是这张|同上|"
                            r"就是那张|两次都是|两笔都是|两回都是|几次都是|都是同一|都是那|还是老样子|跟上次|和上次|跟第一笔|和第一笔")
SAME_CARD = re.compile(r"(同一|同一个|同一张|一样的|还是那|还是这|也是那|也是这|原来的|刚才的?那)(张|个)?(卡|账户|帐户|账号|帐号)|"
                       r"(也|还|都)是?(打|转|汇|付|存|交)?(到|进|给|去)?了?(这|那|同一)(张|个)?(卡|账户|帐户|账号|帐号)")
ORDINAL = re.compile(r"(?:第|头)([一二三四五六七八九1-9])(?:笔|回|次|趟|张|个)")
MY_NAME = re.compile(r"(?:(?<!告诉)(?<!跟)(?<!对)(?<!给)(?<!和)(?<!让)(?<!教)(?<!问)(?:我|俺|咱)(?:的名字|的姓名|名字)?(?:叫做|叫|姓名是|名字是|是(?![\u4e00-\u9fff]{1,4}的)(?=[\u4e00-\u9fff·]{2,4}(?:[，,。.!！\s]|$)))\s*"
                     r"|^本人)([\u4e00-\u9fff]{1,8}·[\u4e00-\u9fff]{1,8}(?:·[\u4e00-\u9fff]{1,8})?|[\u4e00-\u9fff]{2,4})"
                     r"(?![\u4e00-\u9fff·])")   # "我叫马木提·艾力": a name of several parts
MY_SURNAME_THEN_NAME = re.compile(r"(?:我|俺|本人)姓[\u4e00-\u9fff]{1,2}[，,\s]*(?:叫|名叫|全名|名字叫)\s*([\u4e00-\u9fff·]{2,4})(?![\u4e00-\u9fff])")
RELATIVE_NAMED = re.compile(rf"(?:{RELATIVES})(?:的名字)?(?:叫|是|名叫)[^，,。]{{0,3}}$")
# "我叫韩雪，是她女儿。被骗的是我妈妈，骆淑珍": the one who lost the money is registered, the caller noted
VICTIM_IS_RELATIVE = re.compile(rf"(?:被骗的|受骗的|受害的|受害人|上当的)(?:人)?(?:是|就是)?(?:我|俺)?(?:家)?的?({RELATIVES}|我爸|我妈)")
NICKNAME = re.compile(r"(?:叫我)?(?:阿|小|老)[\u4e00-\u9fff]")
NAME_ENDING = re.compile(r"(?:就行|就好|就可以|吧|呀|啊)+$|^(?:我是|我叫|你叫我|叫我)")
NO_NUMBER = re.compile(r"(?:卡号|尾号|号码|后四位).{0,4}(?:记不|不记|不知道|不清楚|没记|忘)|记不住|不记得|"
                       r"(?:不知道|不清楚|不晓得|记不清|没记)(?:卡号|尾号|号码|后四位)")
FULL_NAME_UNSEEN = re.compile(r"看不到|看不见|看不清|不知道|不清楚|哪知道|不晓得|不认得|没显示全|显示不全|记不全")
TO_A_CARD = re.compile(r"(转|打|汇|充|付)(到|进|给|去)了?.{0,5}(银行卡|卡上|卡里|那张卡|他的卡|她的卡)")
FRAUDSTER_PHONE = re.compile(r"打(来|过来|给我)|来电|电话是|电话号")
# A number without a unit, as the answer to "how much" ("6999，烦死了"; not a part of "1,000" or "3.5万")
BARE_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,9}(?:\.\d+)?)(?![\d元块万千wWkK]|[.,]\d)")
NUMBER_NAMED_BEFORE = re.compile(r"(尾号|卡号|号码|手机|电话|后四位|账号|编号|流水号)\s*(是|为)?\s*$")   # not a sum
ROUGH_AMOUNT = re.compile(r"[一二两三四五六七八九十]*(?:[一二两三四五六七八九][二三四五六七八九]|几|来)(?:十|百|千|万|十万|百万)+|"
                          r"(?:\d+|[一二两三四五六七八九十]+)(?:十|百|千|万)+(?:多(?!少)|余|出头|来(?=块|元|$|[，,。\s]))")
MORE_THAN = re.compile(r"^[^，,。；;]*?(?:十|百|千|万)(?:多(?!少)|余|出头|来(?=块|元|$|[，,。\s]))")   # "一万多": not the sum
DECLINES = re.compile(r"不说了|不想说|不方便(说|留|透露)|不留了|不想留|不告诉|保密|匿名|就不写了|不用写|不留名")
ROUGH_AMOUNT_NOTE = "金额报案人只记得大约"
OWN_CARD_HINT = "您自己的卡"   # "我自己的卡": asked which bank's and its tail; says nothing stored on its own
ACCOUNT_WORD = re.compile(r"卡|账户|帐户|存折|钱包|白条|月付|借呗|花呗|余额|零钱|对公|公户|公账|信用|云闪付")
ACCOUNT_WORDS_AROUND = re.compile(r"^(?:就是|是|用的是|用的|用|从|拿)+|(?:(?:在|去)(?:银行)?(?:柜台|网点|ATM机?|手机银行|网银)(?:上|里)?)?"
                                  r"(?:转出去的|转出的|转的|付的|出的|刷的|刷卡|办的|汇的|里的钱|里面的钱|里头的钱)+$")
DIGITAL_YUAN = re.compile(r"数字人民币|数币|e-?CNY", re.I)
WAIT = re.compile(r"等(一下|一会|会儿|下|我|俺|等)|稍等|(我|俺|咱)(再)?(去)?(找|看|查|翻|问)(?!不)|让我(找|看|查|想)|叫我.{0,4}(看|找)|拿.{0,6}(看|找)")
# "剛才那個收款人，我翻到他發的收款截圖了，名字是周小平": the holder named later in the sentence
STAR_SPOKEN = re.compile(r"([\u4e00-\u9fff])(?:字)?后面(?:是|跟着?|带着?)?(?:一个|两个|个)?星(?:号|星)")   # "张后面一个星号"
HOLDER_NAMED_LATER = re.compile(r"(?:户名|收款人)[^。！!？?]{0,24}?(?:名字|户名|名|想起来了|记起来了)[，,\s]*(?:是|叫)\s*"
                                r"([\u4e00-\u9fff·]{2,4})(?![\u4e00-\u9fff])")   # "刚才问那个户名 俺想起来了 叫于海波"
ONLY_A_NICKNAME = re.compile(r"(?:微信|QQ|qq|抖音|快手|网名|昵称|微信名|头像)(?:上|里)?(?:的)?(?:名字|名|昵称)?(?:就|只)?(?:叫|是|显示|写的是?)"
                             r"[“\"「]?([^，,。\s“”\"」]{1,12})[”\"」]?[，,\s]*(?:他的?|她的?|对方的?)?(?:真名|全名|真实姓名|实名|本名)"
                             r"(?:我)?(?:不知道|不清楚|哪知道|不晓得|没说|没有|看不到|也不知道)")
HOLDER_SAID = re.compile(r"(?:账户名称|户名称|户名|收款人|开户人|账户名|卡主|持卡人)\s?(?:是|系|叫做|叫|应该是|写的是|显示)?\s*"
                         r"([\u4e00-\u9fff·](?:\s?[\u4e00-\u9fff·]){1,29})")   # "户名 是 郭 佳" as a recogniser writes it
# "6228…，农行的，名字叫马丽娜": a name told with the receiving card is its holder's
NAMED_WITH_CARD = re.compile(r"(?<![我俺咱])(?:名字|名)(?:叫|是|写的是|写的)\s*([\u4e00-\u9fff·]{2,4})(?![\u4e00-\u9fff])")


def _set(transfer: Transfer, name: str, value: Any, asked: Optional[str], overwrite: bool = False) -> bool:
    """Fills a transfer field that is empty (or asked, or unknown so far); True if it changed."""
    current = getattr(transfer, name)
    if value is None or current == value:
        return False
    if current is None or current == UNKNOWN or asked == name or overwrite:
        setattr(transfer, name, value)
        return True
    return False


def rough_base(rough: str) -> Optional[float]:
    """"三万多" → 30000, "十来万" → 100000, "七八千" → 7000: the round figure a rough sum starts from."""
    plain = re.sub(r"多|余|出头|来", "", rough)
    plain = re.sub(r"([一二两三四五六七八九])[二三四五六七八九](?=[十百千万])", r"\1", plain)   # "七八千": the first
    if "几" in plain:
        plain = re.sub(r"十几", "十", plain) if re.match(r"[一二两三四五六七八九]?十几", plain) else ""
    found = find_amounts(plain + "元") if plain else []
    return float(found[0][2]) if found else None


def told_nothing_paid(text: str) -> bool:
    """"我被骗了，但是钱还没转", "他让我转，我没转": no money left (yet)."""
    return bool(DID_NOT_PAY.search(text) or MONEY_NOT_YET_SENT.search(text))


class Reader:
    """Reads one message into the draft, in the context of the question it answers."""

    def __init__(self, draft: Draft, asked: Optional[str], said: Said, now: datetime) -> None:
        self.draft, self.asked, self.said, self.now = draft, asked, said, now
        self.text = ABBREVIATIONS.sub(lambda m: ABBREVIATED[m.group(0).lower()], said.text or "")
        # "银行？不知道啊": the question echoed back is not a question of theirs
        self.text = ECHOED_QUESTION.sub(lambda m: " " * len(m.group(0)), self.text)
        self.turn = Turn()
        self.filled: List[str] = []
        self.repeated = False

    # --- the whole turn -------------------------------------------------------------------------
    def read(self) -> Turn:
        draft, asked, said = self.draft, self.asked, self.said
        if asked in draft.deferred:   # asked again after the rest: this time it is left to the officer
            draft.deferred.remove(asked)
            draft.came_back.append(asked)
            if getattr(draft.current, asked) == UNKNOWN:
                setattr(draft.current, asked, None)
        said_as = [asked, hashlib.blake2s(compact(self.text).encode(), digest_size=8).hexdigest()]
        repeated = asked is not None and draft.last_text == said_as
        draft.last_text = said_as if asked else None   # a digest: the draft never keeps what was typed
        self.repeated = repeated
        yn = yes_or_no(self.text)
        if self._interruption(yn):
            self.turn.reject = True
            return self.turn
        if REMOTE_RISK.search(self.text):
            draft.remote_risk = True
        if said.values("shared_secret"):
            self.turn.response("utter_secret_warning")   # never stored: the text reaching us is masked
            self.filled.append("secret")
        if said.in_progress and said.warning and not draft.report.in_progress:
            draft.report.in_progress = True
            self.turn.text(said.warning)
        if asked == CONFIRM:
            self._read_back_answer(yn)
            return self._finish()
        asking_us = asks_a_question(self.text)   # "我是不是还得还那个五万啊？": a sum in a question is no transfer
        if asked == MORE and not self._no_more(yn) and not re.search(r"(还)?有没有", self.text) and (
                (yn is True and compact(self.text) not in POLITE_OK) or (said.values("amount") and not asking_us)
                or re.search(r"还有|仲有|另外|又.{0,4}转|还转|再转|第[二三四五六七八九]笔", compact(self.text))
                or re.match(r"(有|是的|对)(?!人|个)", compact(self.text))):
            self._new_transfer()
        previous = draft.previous_transfer()
        plain = compact(self.text)   # "同 一个 帐户" as a recogniser writes it
        said_same = SAME_AS_BEFORE.search(plain)
        same = (said_same and not re.search(r"(?:不是|不|没|并非)\s*$", plain[:said_same.start()])) or (
            asked == "from_account" and yn is True)   # "这一笔也是从您尾号…的卡转出的吗？" "是"; not "不是同一张"
        if asked in TRANSFER_QUESTIONS and previous and same and getattr(previous, asked) not in (None, UNKNOWN):
            self._fill(asked, getattr(previous, asked))   # "同上", "还是那张卡，跟刚才说的一样"
            if asked == "to_account":
                self.draft.current.to_bank = self.draft.current.to_bank or previous.to_bank
        self._mine()
        if draft.money_sent is None and asked != MONEY_SENT and PAID.search(self.text) and not (
                NOT_PAID_YET.search(self.text) or DID_NOT_PAY.search(self.text) or NO_MONEY_LEFT.search(self.text)):
            draft.money_sent = True   # "我被骗了，转了", "转完说会退回来": not asked again
        elif draft.money_sent is None and asked != MONEY_SENT and not any(name in TRANSFER_QUESTIONS for name in self.filled) and \
                told_nothing_paid(self.text) and not WITHDRAWAL_BLOCKED.search(self.text) and not TAKEN_NOT_SENT.search(self.text):
            # not "提不了现…保证金我没交": money is on the platform already; whether it left is asked
            draft.money_sent = False  # "我被骗了，但是钱还没转": not asked whether it left
        if asked in TRANSFER_QUESTIONS and not self.filled and DID_NOT_PAY.search(self.text) and \
                not TAKEN_NOT_SENT.search(self.text) and \
                len(draft.report.transfers) == 1 and draft.current.to_account is None and draft.current.time is None:
            draft.money_sent, draft.report.transfers = False, []   # "我老婆说肯定是骗子，我就没转"
            self._answered()
            return self._finish()
        if asked in self.filled or (asked == VICTIM_NAME and draft.report.victim.name) or \
                (asked == VICTIM_PHONE and draft.report.victim.phone):
            self._answered()
        elif asked == "from_account" and "paying_bank" in self.filled:
            self._answered()   # the bank now, its card's tail next
        elif asked == "to_name" and "masked holder" in self.filled:
            self._answered()   # "*明辉" shown: the full name asked for next
        elif asked == "time" and "day" in self.filled:
            draft.last_reply = None   # "不知道几点，反正就今天": the day now, the hour asked for once
        elif asked == "to_name" and "surname" in self.filled:
            draft.last_reply = None   # "名字我没看清，好像姓吴": the full name asked for once more
        elif asked == "amount" and "rough_amount" in self.filled:
            self._unknown(asked)   # asked once more for the exact sum, then noted as rough
        elif self._context_answer(yn):
            self._answered()
        elif asked is not None and asked not in YES_NO_QUESTIONS and not self.filled \
                and RHETORICAL_UNKNOWN.search(self.text) and len(compact(self.text)) <= 24 \
                and not WAIT.search(self.text):   # "我哪记得 我看看 你等会儿": looking it up
            self._unknown(asked)   # "我怎么记得那么清楚": a rhetorical question is a don't-know
        elif asked in (VICTIM_NAME, VICTIM_PHONE) and not self.filled and DECLINES.search(self.text) \
                and not asks_a_question(self.text):
            if asked not in draft.declined_once:
                draft.declined_once.append(asked)   # "不想说": told why it is needed, asked once more
                draft.last_reply = "declined"
            else:
                self._mark_unknown(asked)   # "名字就不说了吧" twice: their choice; the officer can ask
                self._answered()
        elif asked == "to_account" and not self.filled and not self.said.values("bank_card") and not WAIT.search(self.text) \
                and ONLY_TAIL_KNOWN.search(self.text) and card_tail(self.text, asked_for_it=True):
            # "支付宝账单里只有个尾号3250 前面的看不到": the tail noted for the officer, the number not asked again
            self._mark_unknown(asked)
            self._answered()
        elif asked in ("to_account", "to_bank") and not self.filled and NO_CARD.search(self.text):
            wallet = re.search(r"微信|支付宝", self.text)
            if wallet and draft.current.channel is None:
                draft.current.channel = "wechat_pay" if wallet.group(0) == "微信" else "alipay"   # paid in that wallet
            if asked == "to_account" and wallet and not draft.wallet_asked:
                # "没有卡号，我是微信直接转给他的": the wallet account is what Tenpay or Alipay freezes; asked once
                draft.wallet_asked = wallet.group(0)
            else:
                self._mark_unknown(asked)   # "什么卡号？我是扫码付的，没有卡号"
            if draft.current.to_bank is None:
                draft.current.to_bank = UNKNOWN   # no card at all: no bank to ask for (said later, it is kept)
            self._answered()
        elif asked is not None and self._say_again(yn):
            pass
        elif asked is not None and self._question(yn):
            draft.last_reply = "aside"
            draft.asides[asked] = draft.asides.get(asked, 0) + 1
            if draft.asides[asked] > MAX_FAILED:   # answered with questions again and again: counts as a miss
                draft.asides.pop(asked)
                self._failed(asked)
        elif repeated and not self.filled and not is_unknown(self.text):
            self._failed(asked)   # the same words again: what we ask is not what they can answer
        elif asked is not None and not self.filled and WAIT.search(self.text) and not QUESTION_LIKE.search(self.text):
            draft.fillers += 1
            draft.last_reply = "filler"   # "这个我不懂，等我孙女看一下": they will come back with it
            if draft.fillers > MAX_FILLERS:
                self._failed(asked)
        elif asked == "from_account" and yn is False and not self.filled and not draft.paying_differs \
                and draft.previous_transfer() and draft.previous_transfer().from_account not in (None, UNKNOWN):
            draft.paying_differs, draft.last_reply = True, None   # "也是从那张卡转出的吗？" "不是": which one, then
        elif asked is not None and asked not in YES_NO_QUESTIONS and (is_unknown(self.text) or (
                yn is False and not self.filled)):   # "没有" to "卡号是多少": there is none
            self._unknown(asked, rough_answer_possible=yn is None)
        elif asked is not None and is_filler(self.text):
            draft.fillers += 1
            draft.last_reply = "filler"
            if draft.fillers > MAX_FILLERS:
                self._failed(asked)
        elif asked is not None:
            if self.filled:
                draft.last_reply = None   # it said something else useful; ask again plainly
            elif len(compact(self.text)) >= STORY_CHARS:
                # Still telling the story: not an attempt at the question. Asked again, a few times at most.
                draft.last_reply = None
                draft.asides[asked] = draft.asides.get(asked, 0) + 1
                if draft.asides[asked] > MAX_FAILED:
                    draft.asides.pop(asked)
                    self._failed(asked)
            else:
                self._failed(asked)
        return self._finish()

    def _note_receiving_tail(self, tail: str) -> None:
        note = f"对方账号报案人只看到尾号{tail}，请民警核实全号"
        if note not in self.draft.report.warnings:
            self.draft.report.warnings.append(note)

    def _finish(self) -> Turn:
        self._ask_at_most_three_times()
        tail = card_tail(self.text, asked_for_it=True) if self.asked == "to_account" and self.draft.report.transfers \
            and self.draft.current.to_account == UNKNOWN and not self.said.values("bank_card") \
            and re.search(r"尾号|尾数|后四位|末四位|最后四位", self.text) else None
        if tail:
            self._note_receiving_tail(tail)
        if self.draft.partial_card and self.asked == "from_account" and "partial card" in self.filled \
                and bank_for_card(self.draft.partial_card) and self.draft.report.transfers \
                and not str(self.draft.current.from_account or "").isdigit():
            self.draft.current.from_account = None   # "我的建行卡，卡号前面是6217…": the whole number is asked for
        if self.draft.partial_card and self.asked == "from_account" and self.draft.report.transfers \
                and "partial card" not in self.filled:
            if self.draft.current.from_account is None:   # the rest of their own card never came: what was said
                self._fill("from_account", self.draft.partial_card)
            self.draft.partial_card = None
        if self.draft.partial_card and self.draft.report.transfers and self.draft.current.to_account is not None \
                and "partial card" not in self.filled:
            # "没有完整卡号 不知道": the first digits told go to the note; the number is not asked for again
            self.draft.report.warnings.append(f"对方卡号报案人只说出了部分数字：{self.draft.partial_card}")
            self.draft.partial_card = None
        if "amount" in self.filled and self.draft.rough_amount is not None:
            # "三万多" then "三万零五百": the exact sum, the note on the rough one goes
            self.draft.report.warnings = [w for w in self.draft.report.warnings if not w.startswith(ROUGH_AMOUNT_NOTE)]
            self.draft.rough_amount = None
        draft, current = self.draft, (self.draft.current if self.draft.money_sent else None)
        if current and not draft.advice_given and all(
                getattr(current, n) not in (None, UNKNOWN) for n in ("to_account", "amount", "time")):
            draft.advice_given = True
            self.turn.response("utter_urgent_advice")
        return self.turn

    def _ask_at_most_three_times(self) -> None:
        """Whatever the reasons (fillers, questions, stories, corrections at the read-back), a question is not
        asked a fourth time in a row: the report goes to an officer with what is known."""
        draft, asked = self.draft, self.asked
        if asked is None or draft.handover:
            return
        under_way = "partial card" in self.filled   # the first digits of the card: the answer is coming
        repeated = asked in draft.asks and not under_way
        draft.asks = {asked: draft.asks[asked] + 1 if repeated else 1}
        if draft.asks[asked] >= 3 and next_question(draft) == asked and not draft.handover:
            draft.failed[asked] = MAX_FAILED - 1
            self._failed(asked)

    def _interruption(self, yn: Optional[bool]) -> bool:
        """"转人工" and "不报了" leave the report; the classifier alone is not enough for either."""
        said = self.said
        confident = said.confidence >= 0.6 and not said.entities and yn is None
        if said.intent == "request_officer" and confident and WANTS_OFFICER.search(self.text):
            return True
        return said.intent == "stop_report" and confident and WANTS_TO_STOP.search(self.text) is not None

    def _say_again(self, yn: Optional[bool]) -> bool:
        """"你再慢慢说一遍好吗", "没听清": the question (or the whole read-back) said again in full."""
        if yn is not None or not SAY_AGAIN.search(self.text) or len(compact(self.text)) > 16:
            return False
        self.draft.last_reply = None
        return True

    def _question(self, yn: Optional[bool]) -> bool:
        """A question of the citizen's in the middle: answered, then the report goes on."""
        if yn is not None or not asks_a_question(self.text):
            return False
        if self.said.intent == "faq" and self.said.faq_response and self.said.confidence >= FAQ_CONFIDENCE:
            self.turn.response(self.said.faq_response)
        elif self.said.intent == "bot_challenge":
            self.turn.response("utter_bot_challenge")
        else:
            self.turn.text("您的问题民警接手后会详细解答。我们先把止付要用的信息登记好，越快越有希望追回。")
        return True

    def _answered(self) -> None:
        self.draft.failed.pop(self.asked or "", None)
        self.draft.asides.pop(self.asked or "", None)
        self.draft.fillers = 0
        self.draft.last_reply = None

    def _failed(self, asked: str) -> None:
        draft = self.draft
        draft.failed[asked] = draft.failed.get(asked, 0) + 1
        # "扫了他给的二维码": understood, only the app is missing
        draft.last_reply = "scanned" if asked == "channel" and SCANNED.search(joined_words(self.text)) else "failed"
        if draft.failed[asked] < MAX_FAILED:
            return
        draft.failed.pop(asked, None)
        draft.fillers = 0
        if asked == CONFIRM:
            draft.handover = True
            self.turn.text(HANDED_OVER)
            return
        draft.last_reply = None
        if asked in STOP_PAYMENT_NEEDS and draft.money_sent:   # a wallet's account too: Alipay and Tenpay freeze it
            self._put_off(asked)
            return
        if asked == MONEY_SENT:
            draft.money_sent = True   # a report was started: assume money left, the officer checks
        elif asked == MORE:
            draft.transfers_done = True
        else:
            self._mark_unknown(asked)

    def _put_off(self, asked: str) -> None:
        """A stop-payment field not got in three tries: an officer is called and the rest of the report is
        collected meanwhile; the field is asked once more after the transfer's other questions."""
        draft = self.draft
        draft.officer_needed = asked
        self._mark_unknown(asked)
        if asked not in draft.came_back and asked not in draft.deferred:
            draft.deferred.append(asked)
            self.turn.text(PUT_OFF)
        else:
            draft.report.warnings.append(UNCLEAR_NOTE[asked])
            self.turn.text(LEFT_TO_OFFICER)

    def _unknown(self, asked: str, rough_answer_possible: bool = True) -> None:
        """Don't know: the field is unknown, but once per field a rough answer is asked for where one helps
        the bank find the transaction ("大概几点", "哪家银行的卡")."""
        draft = self.draft
        hint = {"time": draft.rough_clock or draft.vague_time, "from_account": draft.paying_hint}.get(asked)
        if rough_answer_possible and asked in ROUGH_ANSWER_HELPS and asked not in draft.approximated \
                and not hint and (len(draft.report.transfers) <= 1 or asked not in TRANSFER_QUESTIONS):
            draft.approximated.append(asked)
            draft.last_reply = "approximate"
            return
        self._mark_unknown(asked)
        self._answered()

    def _mark_unknown(self, asked: str) -> None:
        draft = self.draft
        if asked == "time" and (draft.rough_clock or draft.vague_time):
            draft.current.time = draft.rough_clock or self._day_in_its_part(draft.vague_time, draft.vague_part)
        elif asked == "from_account" and draft.paying_hint and draft.paying_hint != OWN_CARD_HINT:
            draft.current.from_account = draft.paying_hint
        elif asked == "to_name" and draft.masked_holder:
            draft.current.to_name = draft.masked_holder   # the full name not known: the app's "*明辉", with a note
            note = f"户名只显示了部分（{draft.masked_holder}），银行核对户名前请核实全名"
            if note not in draft.report.warnings:
                draft.report.warnings.append(note)
        elif asked == "amount" and draft.rough_amount:
            draft.current.amount = draft.rough_amount   # "十来万", asked twice: the round figure, with the note
        elif asked in TRANSFER_QUESTIONS:
            setattr(draft.current, asked, UNKNOWN)
            if draft.pending and draft.pending["field"] == asked:
                draft.pending = None
        elif asked == VICTIM_NAME:
            draft.report.victim.name = UNKNOWN
            if draft.victim_surname:
                draft.report.warnings.append(f"报案人只说了姓{draft.victim_surname}，全名请民警核实")
        elif asked == VICTIM_PHONE:
            draft.report.victim.phone = UNKNOWN
            draft.pending = None
        elif asked == DETAIL:
            draft.report.scam_detail = UNKNOWN

    def _new_transfer(self) -> None:
        if self.draft.current.has_details():
            transfers = self.draft.report.transfers
            transfers.append(Transfer(**self.draft.announced.pop(str(len(transfers) + 1), {})))
            told = transfers[-1]
            if told.to_account not in (None, UNKNOWN) and told.to_bank is None:
                told.to_bank = bank_for_card(str(told.to_account))   # "第二次是她妈妈的卡，6222…" told early
            self.draft.hour_asked, self.draft.vague_time, self.draft.holder_surname = False, None, None
            self.draft.masked_holder = None
            for name in self.draft.deferred:   # put off for the transfer before: the officer asks
                self.draft.report.warnings.append(UNCLEAR_NOTE[name])
            self.draft.deferred, self.draft.came_back = [], []
            self.draft.vague_part = None
            self.draft.rough_amount = self.draft.rough_clock = None
            self.draft.paying_tail_asked = False
            self.draft.bank_answered = False
            self.draft.wallet_asked = None
            self.draft.paying_differs = False
        self.filled.append(MORE)

    # --- reading fields from the message ------------------------------------------------------
    def _mine(self) -> None:
        self._receipt()
        self._serial()
        self._cards()
        self._same_card_again()
        self._phones()
        told = self._story_transfers()
        if not told:
            self._amount()
            self._sum_put_right_in_passing()
            self._time()
            self._channel()
        self._rough_amount()
        self._banks()
        self._names()
        self._from_account_words()
        self._digital_yuan_wallet()
        self._free_text()

    def _receipt(self) -> None:
        """A pasted receipt or bank SMS: its labelled fields fill the transfer, and the rest of the message is
        read without them (the bank in "【中国银行】您尾号3391…" paid, it did not receive)."""
        receipt = read_receipt(self.text, self.now)
        if receipt is None:
            return
        for name, value in receipt.fields.items():
            self._fill(name, UNKNOWN if value == "unknown" else value)
            if name == "to_account" and value != "unknown":
                self._bank_from_bin(str(value))
        if receipt.receiving_tail:
            self._note_receiving_tail(receipt.receiving_tail)
        for start, end in receipt.spans:
            self.text = self.text[:start] + " " * (end - start) + self.text[end:]
        self.said = replace(self.said, entities=[e for e in self.said.entities if not any(
            e["start"] < end and start < e["end"] for start, end in receipt.spans)])

    def _fill_wallet(self, account: str) -> None:
        """A 支付宝/微信 account receives the money: no bank to ask for (a wallet is frozen by its own company)."""
        self._fill("to_account", account)
        if self.draft.current.to_account == account and self.draft.current.to_bank is None and account[:2] in ("支付", "微信"):
            self.draft.current.to_bank = UNKNOWN

    def _fill(self, name: str, value: Any, overwrite: bool = False) -> None:
        if self.draft.money_sent is None and name in TRANSFER_QUESTIONS and value not in (None, UNKNOWN):
            self.draft.money_sent = True   # details of a transfer: the money has left
        if self.draft.money_sent is False and name in TRANSFER_QUESTIONS:
            return
        if _set(self.draft.current, name, value, self.asked, overwrite):
            self.filled.append(name)

    def _own(self, start: int, end: int) -> bool:
        if self.asked == "from_account":   # unless said to be theirs: "对方的卡号是6217…，我的是…"
            theirs = THEIRS_BEFORE.search(re.split(r"[，。,.；;！!]", self.text[:start])[-1])
            return not theirs or bool(RELATIVE.search(self.text[:start]))   # "用的我老婆的卡转的，她给我的卡号是…"
        if self._fraudsters_clause(start):
            return False   # "他发给我的是6217…": the fraudster's card
        before = self.text[:start]
        return bool(OWN_BEFORE.search(before) or OWN_AFTER.search(self.text[end:]) or PAID_WITH_CARD.search(before)
                    or (OWN_TOPIC.search(before) and not RECEIVING.search(before)))

    def _fraudsters_clause(self, position: int) -> bool:
        return bool(re.search(r"他|她|对方|骗子|给我|发我|发来", re.split(r"[，。,.；;！!？?]", self.text[:position])[-1]))

    def _own_card(self, card: Dict[str, Any]) -> bool:
        """The citizen's own card: said so, or of the bank they named as theirs in this message ("用我建行卡
        给他转了六千，卡号6217…，转到一张光大的卡上"), or the card whose tail or digits they gave as theirs."""
        if RECEIVING_CARD_BEFORE.search(self.text[max(0, card["start"] - 16):card["start"]]):
            return False
        if self._own(card["start"], card["end"]):
            return True
        if self._fraudsters_clause(card["start"]):
            return False
        digits = str(card["value"])
        issuer = bank_for_card(digits)
        if issuer and any(b["value"] == issuer and self._own(b["start"], b["end"])
                          for b in self.said.values("bank_name")):
            return True
        current = self.draft.current if self.draft.report.transfers else None
        paying = str(current.from_account or "") if current else ""
        tail = re.search(r"尾号(\d{4})$", paying) or re.search(r"尾号(\d{4})$", self.draft.paying_hint or "")
        if tail and digits.endswith(tail.group(1)) and not (current and str(current.to_account).endswith(tail.group(1))):
            return True
        return bool(current and paying.isdigit() and near(digits, paying) and not near(digits, str(current.to_account)))

    def _same_card_again(self) -> None:
        """Asked where a later transfer went: "尾款也是打到这张卡上" is the previous transfer's account;
        "第三笔还是第二个那张卡" the one of the transfer named."""
        previous, current = self.draft.previous_transfer(), self.draft.current
        earlier = [int(ordinal_number(m.group(1))) for m in re.finditer(
            r"(?:第|头)([一二三四五六七八九1-9])(?:个|张|笔|次|趟)的?(?:那张|那个|这张)?(?:卡|账户|账号)", self.text)]
        transfers = self.draft.report.transfers
        by_number = bool(earlier) and 1 <= earlier[0] < len(transfers)
        if by_number:
            previous = transfers[earlier[0] - 1]   # a card said by its transfer's number
        if self.asked == "to_account" and previous and previous.to_account not in (None, UNKNOWN) \
                and current.to_account in (None, previous.to_account) and not self.said.values("bank_card") \
                and (SAME_CARD.search(compact(self.text)) or by_number):
            if current.to_account is None:
                self._fill("to_account", previous.to_account)
            current.to_bank = current.to_bank or previous.to_bank
            current.to_name = current.to_name or previous.to_name

    def _card_in_pieces(self) -> List[Dict[str, Any]]:
        """"前面是6217 0038 9284" … "后面是7035 194": the receiving (or, asked for it, the paying) card's number
        read out in two messages."""
        if self.asked not in ("to_account", "from_account") or self.said.values("bank_card") or self.said.values("phone") \
                or self.said.values("fraudster_contact"):   # "他QQ是2864039175": no card's first digits
            return []
        runs = re.findall(r"\d[\d\s\-]*\d|\d", spoken_digits_to_ascii(self.text).translate(SPOKEN_DIGITS))
        digits = re.sub(r"\D", "", max(runs, key=len)) if runs else ""   # not the 一 of "我念一下"
        if not 4 <= len(digits) <= 19:
            return []
        whole = (self.draft.partial_card or "") + digits
        if 16 <= len(whole) <= 19:
            self.draft.partial_card = None
            return [{"entity": "bank_card", "value": whole, "start": 0, "end": len(self.text)}]
        if self.said.values("shared_secret"):
            return []   # a code the citizen read out is never kept, not even as a card's first digits
        first_piece = self.draft.partial_card is None and 8 <= len(digits) <= 15 \
            and not re.search(r"尾|后面|后几位|后四位|最后|末", self.text)   # "我念一下啊，他发给我的……6225 8861"
        only_the_tail = self.draft.partial_card is None and re.search(r"尾号|尾数|后四位|末四位|最后四位|后几位", self.text)
        if len(whole) < 16 and not only_the_tail and (   # "只有个尾号3250 前面的看不到": no first digits
                first_piece or re.search(r"前面|前几位|开头|头几位|前半|后面|后几位|后半|接着|然后", self.text)):
            self.draft.partial_card = whole
            self.filled.append("partial card")
        return []

    def _cards(self) -> None:
        cards = self.said.values("bank_card") + self._card_in_pieces()
        # "对方的卡号是6217…087，我的是6217…589" (589 was taken as theirs): the own card moves first
        taken = str(self.draft.current.to_account)
        for card in sorted(cards, key=lambda c: str(c["value"]) != taken):
            digits = str(card["value"])
            if self.asked == "to_account" and digits == self.draft.current.from_account \
                    and not self._own(card["start"], card["end"]):
                self._own_card_as_receiving(digits)
                continue
            own = self._own_card(card)
            if own and self.asked == "from_account" and len(digits) < 16 and digits.startswith("62") \
                    and bank_for_card(digits) and not self.draft.partial_card:
                self.draft.partial_card = digits   # "我的建行卡，卡号前面是6217 0013 4046": the rest comes next
                self.filled.append("partial card")
                continue
            if own and digits != self.draft.current.to_account:
                self._fill("from_account", digits)
                continue
            if self.asked == "from_account" and digits == self.draft.current.to_account:
                if not self._fraudsters_clause(card["start"]):   # "他发给我的卡号是…": theirs, said again
                    self._own_not_receiving(digits)   # "我建行的卡，6217…": the card taken for the receiving one
                continue
            if luhn_valid(digits) and self._route("to_account", digits, card["start"]):
                continue
            if len(digits) < 16 and digits.startswith("62") and bank_for_card(digits) and not self.draft.partial_card:
                self.draft.partial_card = digits   # "卡号他发的是6222 0214 4656": a bank card's first digits only
                self.filled.append("partial card")
                continue
            current = self.draft.current
            if current.to_account not in (None, UNKNOWN) and self.asked != "to_account":
                continue
            if not luhn_valid(digits) and not (self.draft.pending and self.draft.pending["value"] == digits):
                self.draft.pending = {"field": "to_account", "value": digits}
                self.filled.append("pending")
                continue
            if not luhn_valid(digits):
                self.draft.report.warnings.append(
                    f"收款卡号 {grouped(digits)} 校验未通过（报案人已核对确认），可能有误")
            self.draft.pending = self.draft.partial_card = None
            self._fill("to_account", digits, overwrite=True)
            self._bank_from_bin(digits)

    def _own_card_as_receiving(self, digits: str) -> None:
        """Asked for the receiving card, the citizen gives the card they paid from: told so once; given
        again, it is kept as the receiving card with a warning (the read-back shows both)."""
        draft = self.draft
        if draft.own_card_offered != digits:
            draft.own_card_offered = digits
            self.filled.append("own card offered")
            return
        draft.own_card_offered = None
        self._fill("to_account", digits, overwrite=True)
        self._bank_from_bin(digits)
        draft.report.warnings.append(f"收款卡号 {grouped(digits)} 与报案人转出的卡号相同，报案人坚持如此，请核实")

    def _own_not_receiving(self, digits: str) -> None:
        """The number read as the receiving account is, the citizen now says, their own card: it moves,
        and the receiving account (and its bank, if it came from this number) is asked again."""
        current = self.draft.current
        current.to_account = None
        if current.to_bank == bank_for_card(digits):
            current.to_bank = None
        self._fill("from_account", digits, overwrite=True)

    def _bank_from_bin(self, digits: str) -> None:
        bin_bank = bank_for_card(digits)
        current = self.draft.current
        if bin_bank and (current.to_bank in (None, UNKNOWN) or not self.draft.bank_answered):
            current.to_bank = bin_bank   # the card's issuer wins over a bank mentioned in passing
        elif bin_bank and current.to_bank != bin_bank:
            self.draft.report.warnings.append(f"卡号 {grouped(digits)} 属于{bin_bank}，报案人说是{current.to_bank}")

    def _phones(self) -> None:
        victim = self.draft.report.victim
        phones = self.said.values("phone")
        if not phones and self.asked == VICTIM_PHONE:
            digits = re.sub(r"\D", "", self.text.translate(SPOKEN_DIGITS))
            if len(digits) == 11 and digits.startswith("1"):   # "幺三零，三二幺八，六九五七"
                phones = [{"value": digits, "start": 0, "end": len(self.text)}]
        for phone in phones:
            clauses = re.split(r"[，,。；;！!？?]", self.text[:phone["start"]])
            clause = clauses[-1]
            if len(clause.strip()) <= 4 and len(clauses) > 1 and not re.search(r"我|本人|自己|俺", clause):
                # "他打来的号码不是孙子平时的号，是…": the sentence says whose (not "…，我的是 152…")
                clause = clauses[-2] + clause
            if self.asked == "to_account" and not WALLET.search(self.text) \
                    and PHONE_AS_ACCOUNT.search(self.text[max(0, phone["start"] - 20):phone["end"] + 15]) \
                    and not SAID_AS_MINE.search(self.text[max(0, phone["start"] - 10):phone["start"]]) \
                    and not re.search(r"我的?(?:手机|电话)", self.text[max(0, phone["start"] - 20):phone["start"]]):
                # "155 3999 2505，这个是收款人的手机号" (a bank's transfer to a phone number): the account sent to
                self._fill("to_account", f"手机号 {phone['value']}")
                continue
            if self.asked == VICTIM_PHONE:
                # "她的手机是…" when asked for a contact number: the person reporting for her
                if SCAMMER.search(clause) or CALLED_FROM_BEFORE.search(clause) \
                        or THEIRS_AFTER.match(self.text[phone["end"]:]):
                    continue   # "他给我打电话用的是171…", "…173 1662 4752，那是骗子的"
                if VICTIM_PHONE in self.filled and not SAID_AS_MINE.search(clause):
                    continue   # "我自己的是158…，另一个…": the one said to be theirs first
            elif FRAUDSTER_BEFORE.search(self.text[:phone["start"]]) or (
                    NUMBER_TO_CHECK.search(clause) and not re.search(r"(?:打|联系|找|回)我|我(?:的|这个|这)", clause)) or (
                    OTHER_PARTY.search(clause) and not re.search(r"(?<!给)我|俺|本人|自己", clause)):
                continue   # the fraudster's ("那个供应商的电话是…"): read into the contacts
            if self.asked == "to_account" and WALLET.search(self.text):
                wallet = "支付宝" if re.search("支付宝", self.text) else "微信"
                self._fill_wallet(f"{wallet}账号 {phone['value']}")
                continue
            number, valid = mobile_number(str(phone["value"]))
            if valid and (victim.phone in (None, UNKNOWN) or self.asked in (VICTIM_PHONE, CONFIRM)):
                victim.phone = number
                self.draft.pending = None if (self.draft.pending or {}).get("field") == VICTIM_PHONE else self.draft.pending
                self.filled.append(VICTIM_PHONE)
            elif not valid and self.asked == VICTIM_PHONE and (self.draft.pending or {}).get("value") == number \
                    and mobile_shaped(number):   # said twice: a new number range is theirs to know
                self._keep_confirmed_phone(number)
                self.filled.append(VICTIM_PHONE)
            elif not valid and self.asked == VICTIM_PHONE:
                self.draft.pending = {"field": VICTIM_PHONE, "value": number}
                self.filled.append("pending")

    def _keep_confirmed_phone(self, number: str) -> None:
        """A mobile number phonenumbers does not know (149…), confirmed by the citizen: kept, flagged."""
        self.draft.report.victim.phone = number
        self.draft.pending = None
        self.draft.report.warnings.append(f"报案人手机号 {number} 号段不常见，报案人已核对确认")

    def _insisted_name(self) -> Optional[str]:
        """"仉东明" said again after the bot did not take it: a name whose surname the list lacks."""
        if not self.repeated or self.said.entities or not re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", compact(self.text)) \
                or is_filler(self.text) or is_unknown(self.text) or yes_or_no(self.text) is not None:
            return None   # only a message that is nothing but the name
        return person_name(self.text, any_surname=True)

    def _ordinal_at(self, position: int) -> Optional[int]:
        """The transfer a value belongs to when the citizen numbers them: "第二笔三千六" → 2."""
        breaks = [m.end() for m in re.finditer(r"[，,。；;！!？?：]|(?<!\d):(?!\d)", self.text[:position])]
        clause_start = max(breaks or [0])
        ordinals = [m for m in ORDINAL.finditer(self.text, clause_start, position)]
        if not ordinals and len(breaks) == 1:
            # "第二次是她妈妈的卡，6222…": a first clause naming the transfer and nothing else is the next one's topic
            topic = ORDINAL.match(self.text, len(self.text) - len(self.text.lstrip(" 嗯那个哦呃")))
            if topic and not re.search(r"[0-9０-９]|[一二三四五六七八九十两百千万][块元万千]",
                                       self.text[topic.end():clause_start]):
                ordinals = [topic]
        if ordinals:
            return ordinal_number(ordinals[-1].group(1))
        return self._transfer_by_its_sum(clause_start, position)

    def _transfer_by_its_sum(self, clause_start: int, position: int) -> Optional[int]:
        """"一万八千六是前天下午两点左右转的，三万两千四是昨天上午十一点": a transfer named by its sum, when two are known."""
        known = {i + 1: t.amount for i, t in enumerate(self.draft.report.transfers) if isinstance(t.amount, float)}
        known.update({int(i): t["amount"] for i, t in self.draft.announced.items() if isinstance(t.get("amount"), float)})
        if len(known) < 2:
            return None
        named = [a for a in self.said.values("amount") if clause_start <= a["start"] < position]
        matching = [i for i, sum_ in known.items() for a in named[-1:] if float(a["value"]) == sum_]
        return matching[0] if len(matching) == 1 else None

    def _route(self, name: str, value: Any, position: int) -> bool:
        """Files a value under the numbered transfer it belongs to; False when it is for the current one."""
        index = self._ordinal_at(position)
        transfers = self.draft.report.transfers
        count = max(len(transfers), 1)   # with none yet, the current one is about to be the first
        if index is None or index == count:
            return False
        if not transfers:
            self.draft.current   # the first transfer exists from now on
        if index > count:
            if name == self.asked and getattr(self.draft.current, name) is None and index == count + 1 and \
                    name in ("to_account", "to_name", "to_bank"):
                self._mark_unknown(name)   # asked for this transfer's, told the next one's: this one is not known
                self.filled.append(name)
            told = self.draft.announced.setdefault(str(index), {})
            if name not in told or (name == "time" and "T" in str(value) and "T" not in str(told[name])):
                told[name] = value   # a clock time beats the day alone
        elif getattr(transfers[index - 1], name) in (None, UNKNOWN) or (
                name == "time" and "T" in str(value) and "T" not in str(getattr(transfers[index - 1], name))):
            setattr(transfers[index - 1], name, value)
            if name == "to_account" and transfers[index - 1].to_bank in (None, UNKNOWN):
                transfers[index - 1].to_bank = bank_for_card(str(value))   # "第一个 6214…" told late
        elif name == "time" and finer_minute(str(getattr(transfers[index - 1], name)), str(value)):
            # "十一点多" in the story, "第一笔十一点过五分" now: the minutes, on the day already known
            setattr(transfers[index - 1], name, finer_minute(str(getattr(transfers[index - 1], name)), str(value)))
        return True

    def _clause_of(self, position: int) -> str:
        bounds = [0] + [m.end() for m in EVENT_BREAK.finditer(self.text)] + [len(self.text)]
        for start, end in zip(bounds, bounds[1:]):
            if start <= position < end:
                return self.text[start:end]
        return ""

    def _paid_in(self, position: int) -> bool:
        """The clause of a sum says it was paid (not offered, won or only asked for and refused)."""
        clause = self._clause_of(position)
        after = clause[clause.find(self.text[position:position + 2]):] if clause else ""   # this clause only
        before = compact(self.text[max(0, position - 16):position])[-8:]   # "让 我 再 转": a recogniser's words
        demanded = DEMANDED_BEFORE.search(before) and not re.search(r"(转|交|付|汇|打|买|充|补)了|(充|转|打)进去", clause) \
            and not ALL_PAID.search(self.text) and not self._demand_then_paid(position)   # "今天又让我交三千解冻金，我都交了"
        return bool(PAY_VERB.search(clause)) and not REFUSED.search(after) and not RECEIVED_BEFORE.search(before) \
            and not demanded and not EACH_BEFORE.search(before[-5:]) and not STILL_TO_PAY.search(after)

    def _demand_then_paid(self, position: int) -> bool:
        """"这次让我转八千八，说做完能返一万零五百六，结果转过去就提不出来了": the sum asked for was paid,
        when the next sum asked for comes after the payment is told."""
        paid = PAID_AFTER_DEMAND.search(self.text, position)
        if not paid or paid.start() - position > 40 or REFUSED.search(self.text[position:paid.start()]) \
                or re.search(r"不想|不肯|没有?(交|转|付|给)", self.text[position:paid.start()]):
            return False
        return not any(position < a["start"] < paid.start()
                       and DEMANDED_BEFORE.search(self.text[max(0, a["start"] - 8):a["start"]])
                       for a in self.said.values("amount"))

    def _story_transfers(self) -> bool:
        """"我一个星期前先转了十万进去……三天前我又转了二十万": several transfers told in one message,
        each with its amount (and time and channel when said in the same clause). The first is the
        current transfer; the others wait for their turn. False when the message tells fewer than two."""
        if self.asked not in (None, MONEY_SENT, "to_account") or ORDINAL.search(self.text):
            return False
        amounts = [a for a in self.said.values("amount")
                   if not TOTAL_BEFORE.search(self.text[max(0, a["start"] - 6):a["start"]])]
        bounds = [0] + [m.end() for m in EVENT_BREAK.finditer(self.text)] + [len(self.text)]
        # "昨晚21:05转1.2w 21:47又转8k": a time after a sum starts the next transfer's clause
        starts = [t["start"] for t in self.said.values("transfer_time") if any(
            max(b for b in bounds if b <= t["start"]) <= a["start"] and a["end"] <= t["start"] for a in amounts)]
        # … and the break before its "又转8k" no longer parts the time from its sum
        bounds = sorted(set([b for b in bounds if b == len(self.text) or not any(
            x < b and not any(x <= a["start"] < b for a in amounts) for x in starts)] + starts))
        events: List[Dict[str, Any]] = []
        paid_clauses: List[str] = []
        for before, start, end in zip([0] + bounds, bounds, bounds[1:]):
            clause = self.text[start:end]
            here = [a for a in amounts if start <= a["start"] < end]
            if here and not any(before <= a["start"] < start for a in amounts) and before < start:
                start = before   # "十一点半，又转了三千": the time said in the clause before, without a sum
            if not here and events and paid_clauses and PAID_AGAIN.search(clause):
                event: Dict[str, Any] = {}   # "先付了五百定金，一个小时前又付了尾款": another transfer, its sum asked later
                start = max([0] + [m.end() for m in re.finditer(r"[，,。；;！!]", self.text[:start])])   # its time before 又
            elif len(here) != 1 or not self._paid_in(here[0]["start"]):
                continue
            else:
                event = {"amount": float(here[0]["value"])}
                if PAID.search(clause):
                    paid_clauses.append(clause)
            times = [t["value"] for t in self.said.values("transfer_time")
                     if start <= t["start"] < end and "T" in str(t["value"])
                     and not VAGUE_TIME.fullmatch(self.text[t["start"]:t["end"]])]
            if times:
                event["time"] = times[0]
            channels = [name for name, words in CHANNEL_WORDS if re.search(words, clause.lower())]
            if channels:
                event["channel"] = channels[0]
            events.append(event)
        current = self.draft.current if self.draft.report.transfers else None
        exact_times = [t["value"] for t in self.said.values("transfer_time")
                       if "T" in str(t["value"]) and not VAGUE_TIME.fullmatch(self.text[t["start"]:t["end"]])]
        if len(events) == 1 and "time" not in events[0] and len(exact_times) == 1:
            events[0]["time"] = exact_times[0]   # "今天一个小时前他们又让我买了…": the one time told
        if len(events) == 1 and current and isinstance(current.amount, float) and current.time \
                and events[0].get("amount") not in (None, current.amount) and events[0].get("time") \
                and re.search(r"又|再|后来|接着|第二", self.text):
            # "今天一个小时前他们又让我买了五万块钱的USDT充进去": the next transfer, told before its turn
            self.draft.announced.setdefault(str(len(self.draft.report.transfers) + 1), {}).update(events[0])
            return True
        if len(events) < 2:
            return False
        first, *later = events
        for name, value in first.items():
            self._fill(name, value)
        count = len(self.draft.report.transfers)
        for offset, event in enumerate(later, start=1):
            self.draft.announced.setdefault(str(count + offset), {}).update(event)
        return True

    def _serial(self, target: Optional[Transfer] = None) -> bool:
        """"流水号是2026120112345678": the bank's serial of a transfer (optional; banks match on it)."""
        found = SERIAL.search(self.text)
        if not found:
            return False
        if target is None:
            ordinal = ORDINAL.search(self.text)
            transfers = self.draft.report.transfers
            target = transfers[min(max(ordinal_number(ordinal.group(1)) - 1, 0), len(transfers) - 1)] \
                if ordinal and transfers else self.draft.current
        if target.serial == found.group(1):
            return False
        target.serial = found.group(1)
        self.filled.append("serial")
        return True

    def _remember_demand(self) -> None:
        """"物流公司说要交两万罚款" in the story: not paid yet, but "……我又交了" later says it was."""
        if self.asked not in (None, MONEY_SENT, "to_account"):
            return
        for amount in self.said.values("amount"):
            if DEMANDED_BEFORE.search(self.text[max(0, amount["start"] - 8):amount["start"]]) \
                    and not self._paid_in(amount["start"]):
                self.draft.demanded = float(amount["value"])

    def _two_sums_told(self, amounts: List[Dict[str, Any]]) -> bool:
        """"先转了五千又转了八千" asked how much: this transfer is the first sum, the next one is announced."""
        if self.asked != "amount" or len(amounts) != 2 or self.draft.current.amount is not None \
                or not self._paid_in(amounts[1]["start"]):   # not "第二次五万，他说凑够七万才能进VIP通道"
            return False
        between = self.text[amounts[0]["end"]:amounts[1]["start"]]
        if SELF_CORRECTION.search(between) or not (
                PAID_AGAIN.search(self.text) or re.search(r"又(转|交|付|打|汇|充)|再(转|交|付|打|汇|充)了|一笔.{1,10}一笔|"
                                                          r"第二(次|笔)|两(次|笔)", self.text)):
            return False
        self._fill("amount", float(amounts[0]["value"]))
        self.draft.announced.setdefault(str(len(self.draft.report.transfers) + 1), {})["amount"] = \
            float(amounts[1]["value"])
        return True

    def _paid_again(self, amounts: List[Dict[str, Any]]) -> bool:
        """"前天又说要交三万五……我又交了": the sum asked for earlier was the first payment, this one the next."""
        demanded, current = self.draft.demanded, self.draft.current
        if demanded is None or current.amount is not None or len(amounts) != 1 or not PAID_AGAIN.search(self.text) \
                or float(amounts[0]["value"]) == demanded or self.asked not in (None, MONEY_SENT, "to_account"):
            return False
        self._fill("amount", demanded)
        self.draft.announced.setdefault(str(len(self.draft.report.transfers) + 1), {})["amount"] = \
            float(amounts[0]["value"])
        self.draft.demanded = None
        return True

    def _amount(self) -> None:
        self._remember_demand()
        if self.asked not in ("amount", MORE) and not MONEY_GONE.search(self.text):
            return   # "说每个月要扣八百": a sum in the story, not a transfer
        found = self.said.values("amount")
        if self.asked == "amount" and all(BALANCE_BEFORE.search(self.text[max(0, a["start"] - 10):a["start"]]) for a in found):
            # "800" as the answer to "how much": a number alone is an amount here
            rounded = re.sub(r"多一?点|多些", "多", self.text)   # "五万多点" is "五万多"
            rounded = re.sub(r"(?<=[\d十百千万])米(?!饭)", "元", rounded)   # "八百米": yuan, in young people's slang
            bare = [{"entity": "amount", "value": float(m.group(1).replace(",", "")), "start": m.start(1), "end": m.end(1)}
                    for m in BARE_NUMBER.finditer(self.text) if float(m.group(1).replace(",", "")) > 0
                    and not NUMBER_NAMED_BEFORE.search(self.text[max(0, m.start() - 6):m.start()])] + [
                {"entity": "amount", "value": v, "start": min(b, len(self.text)), "end": min(e, len(self.text))}
                for b, e, v in find_amounts(rounded)]
            for amount in bare:
                if not any(amount["start"] < f["end"] and f["start"] < amount["end"] for f in found):
                    found = found + [amount]
        if self.asked == "amount" and found:
            # "第二次15000 说充满3.5w才能开…", "解冻金4800 贷款额度20万": a bare number before every sum with a unit
            # is the answer; the later ones are the story around it
            first = min(a["start"] for a in found)
            leading = LEADING_BARE_SUM.match(self.text[:first])
            if leading and float(leading.group(1)) >= 50:
                found = [{"entity": "amount", "value": float(leading.group(1)), "start": leading.start(1),
                          "end": leading.end(1)}] + found
        found = [a for a in found if not BALANCE_BEFORE.search(self.text[max(0, a["start"] - 10):a["start"]])
                 and not MORE_THAN.search(self.text[a["start"]:a["end"] + 2])]   # the exact sum is asked for
        fees = [a for a in found if FEE_AFTER.match(self.text[a["end"]:])]
        if self.asked == "amount" and len(fees) == 1 and len(found) == 2 \
                and FEE_INSIDE_BEFORE.search(self.text[max(0, fees[0]["start"] - 8):fees[0]["start"]]):
            # "一共扣了我两万四千零八块，里面八块是手续费": what reached the fraudster, without the bank's fee
            whole = next(a for a in found if a is not fees[0])
            if float(whole["value"]) > float(fees[0]["value"]):
                self._fill("amount", float(whole["value"]) - float(fees[0]["value"]))
                return
        if self.asked == MORE:   # "还有一笔五千的": the next transfer's sum
            found = [a for a in found if self._paid_in(a["start"]) or re.search(
                r"还有|另外|又|一笔|一次", self._clause_of(a["start"]))]
        elif self.asked != "amount":
            found = [a for a in found if self._paid_in(a["start"])]   # not "奖金十八万八"
        else:   # "说我中了十八万，…反正是交了四千八的个人所得税": the sum paid, not the prize
            found = [a for a in found if not RECEIVED_BEFORE.search(self.text[max(0, a["start"] - 8):a["start"]])] or found
        times = SEVERAL_EQUAL.search(self.text)
        each = [a for a in found if re.search(r"每(?:次|笔|回)(?:都)?(?:是|转了?|打了?|付了?|交了?)?\s*$",
                                              self.text[max(0, a["start"] - 5):a["start"]])]
        if self.asked == "amount" and times and len(each) == 1 and len(found) == 1:
            # "转了3次 每次五千": this transfer's sum, and as many more of the same told for later
            count = int(times.group(1)) if times.group(1).isdigit() else ordinal_number(times.group(1).replace("两", "二"))
            self._fill("amount", float(each[0]["value"]))
            for later in range(2, min(count, 10) + 1):
                self.draft.announced.setdefault(str(len(self.draft.report.transfers) + later - 1), {}).setdefault(
                    "amount", float(each[0]["value"]))
            return
        found = [a for a in found if not EACH_BEFORE.search(self.text[max(0, a["start"] - 5):a["start"]])]
        found = [a for a in found if not DIFFERENCE_BEFORE.search(self.text[max(0, a["start"] - 4):a["start"]])] or found
        priced = [a for a in found if PRICE_BEFORE.search(self.text[max(0, a["start"] - 5):a["start"]])]
        found = priced or found   # "充六百四十八的点卷只要三百八十八": the price paid, not what it was worth
        wanted = [a for a in found if WANTED_BEFORE.search(self.text[max(0, a["start"] - 6):a["start"]])
                  or DEMANDED_BEFORE.search(self.text[max(0, a["start"] - 8):a["start"]])]
        if self.asked == "amount" and wanted and len(wanted) < len(found):
            found = [a for a in found if a not in wanted]
        totals = [a for a in found if TOTAL_BEFORE.search(self.text[max(0, a["start"] - 6):a["start"]])]
        if totals:   # "一共六千八，里面还有两千是我找我妹借的": a part of the sum, not another transfer
            found = [a for a in found if not PART_BEFORE.search(self.text[max(0, a["start"] - 8):a["start"]])]
        amounts = [a for a in found if a not in totals]
        transfers = self.draft.report.transfers
        earlier = [t.amount for t in transfers[:-1] if isinstance(t.amount, float)]
        if self.asked == "amount" and totals and earlier and len(earlier) == len(transfers) - 1 and amounts and \
                all(float(a["value"]) in earlier for a in amounts):
            rest = float(totals[0]["value"]) - sum(earlier)   # "一共八万，昨天那次是五万" → this one is three
            if rest > 0:
                self._fill("amount", rest)
                return
        ordinal = ORDINAL.search(self.text)
        this_ordinal = ordinal and self.asked == "amount" and len(ORDINAL.findall(self.text)) == 1 and \
            ordinal_number(ordinal.group(1).replace("两", "二")) == len(transfers)   # "第二次运费八百 加…" of the second
        several = SEVERAL_SUMS.search(self.text) or re.search(r"又|先|然后|后来|接着", self.text) \
            or (ordinal and not this_ordinal)
        if totals and (PAID_TOGETHER.search(joined_words(self.text)) or (
                len(amounts) >= 2 and not several
                and (any(MONEY_SOURCE_BEFORE.search(self.text[max(0, a["start"] - 8):a["start"]]) for a in amounts)
                     or re.search(r"(?:一共|总共|合计|加起来)(?:转|付|交|打|汇)", self.text[max(0, totals[0]["start"] - 6):totals[0]["start"]])
                     or all(re.search(r"加", self.text[a["end"]:b["start"]]) for a, b in zip(amounts, amounts[1:])))
                and sum(float(a["value"]) for a in amounts) == float(totals[0]["value"]))):
            # "培训费一千二加押金三百，一共一千五，一起转的", "借了一万一，再加上卡里的四千，一共转过去一万五":
            # one transfer of the total
            amounts = totals
        elif self.asked == "amount" and not totals and len(amounts) >= 2 and not ORDINAL.search(self.text) \
                and not SELF_CORRECTION.search(self.text) \
                and not SEVERAL_SUMS.search(self.text) and (
                PAID_TOGETHER.search(joined_words(self.text)) or re.search(r"一共|总共|合计|加起来", self.text)):
            # "税是三千二，手续费八百，是一起打过去的": one transfer of the sum; "一千六百八，工装费八百，体检费八百八":
            # the sum first, then its parts
            values = [float(a["value"]) for a in amounts]
            labelled = all(re.search(r"(?:费|金|款|税|钱)(?:是|为|:|：)?\s*$", self.text[max(0, a["start"] - 4):a["start"]])
                           for a in amounts)   # "保证金五千，解冻费五千": two parts, not one sum said twice
            total = values[0] if len(set(values)) == 1 and not labelled else \
                values[0] if len(values) >= 3 and values[0] == sum(values[1:]) else \
                values[-1] if len(values) >= 3 and values[-1] == sum(values[:-1]) else sum(values)
            amounts = [{**amounts[0], "value": total}]
        amounts = amounts or (totals if self.asked == "amount" else [])
        unrouted = [a for a in amounts if not self._route("amount", float(a["value"]), a["start"])]
        if not unrouted:
            return
        # "是两万三不是三万": the sum after 不是 is the one taken back
        meant = [a for a in unrouted if not NEGATED_BEFORE.search(self.text[max(0, a["start"] - 4):a["start"]])]
        unrouted = meant or unrouted
        said_values = [float(a["value"]) for a in unrouted]
        if self.asked == "amount" and len(set(said_values)) == 2 and \
                not any(said_values.count(v) > 1 for v in said_values) and re.search(
                r"还是|或者|或是", self.text[unrouted[0]["end"]:unrouted[-1]["start"]]) and not SELF_CORRECTION.search(self.text):
            sums = "或".join(f"{float(a['value']):g}" for a in unrouted[:2])   # "好像是一万二还是一万三"
            self._fill("amount", UNKNOWN)
            self.draft.report.warnings.append(f"金额报案人记不清，可能是{sums}元，请以转账记录为准")
            return
        chosen, corrected = unrouted[0], False
        for previous, amount in zip(unrouted, unrouted[1:]):
            between = self.text[previous["end"]:amount["start"]]
            restated = not re.sub(r"[\s…。.,，、]", "", between) and self.text[amount["start"]:amount["end"]].startswith(
                self.text[previous["start"]:previous["end"]])   # "六千 六千五": said again, more exactly
            if SELF_CORRECTION.search(between) or restated or re.search(r"左右|上下|差不多|大概|来钟", between):
                chosen, corrected = amount, True   # "三万……哦不对，是三万五", "一万七左右……我记得是一万七千二"
        if self._paid_again(unrouted) or self._two_sums_told(unrouted):
            return
        values = [float(a["value"]) for a in unrouted]
        twice = [a for a in unrouted if values.count(float(a["value"])) > 1]
        if twice and len(set(values)) > 1 and not corrected:
            chosen = twice[0]   # "…就卖一千九百八，我就买了，一千九百八" (not "一千二……不对，是一千二百八，…服装费一千二")
        this_one = [a for a in unrouted if THIS_ONE_BEFORE.search(self.text[max(0, a["start"] - 6):a["start"]])]
        self._fill("amount", float((this_one or [chosen])[0]["value"]))

    def _sum_put_right_in_passing(self) -> None:
        """"等一下，金额是三万九千五，不是三万九；卡号最后四位是…", asked something else: the sum said to be right."""
        if self.asked in ("amount", MORE, CONFIRM) or "amount" in self.filled or not self.draft.report.transfers \
                or not SUM_PUT_RIGHT.search(self.text) or ORDINAL.search(self.text):   # "第一笔金额是…": the read-back's
            return
        meant = [a for a in self.said.values("amount")
                 if not NEGATED_BEFORE.search(self.text[max(0, a["start"] - 4):a["start"]])
                 and re.search(r"(?:金额|钱数|数目|钱)?(?:应该)?是\s*$", self.text[max(0, a["start"] - 4):a["start"]])]
        if len(meant) == 1:
            self._fill("amount", float(meant[0]["value"]), overwrite=True)

    def _rough_amount(self) -> None:
        """"十几万", "七八千": only roughly known. The exact sum is asked for once; then the rough one is noted."""
        rough = ROUGH_AMOUNT.search(self.text)
        if self.asked != "amount" or "amount" in self.filled or not rough:
            return
        self.draft.rough_amount = rough_base(rough.group(0))
        note = f"{ROUGH_AMOUNT_NOTE}“{rough.group(0)}”，请以转账记录为准"
        if note not in self.draft.report.warnings:
            self.draft.report.warnings.append(note)
        self.filled.append("rough_amount")

    def _in_reported_speech(self, position: int) -> bool:
        """"那个老师催得特别急，说过了十点半就没名额了": what someone said, in the clause before the value."""
        clause = re.split(r"[，,。；;！!？?]", self.text[:position])[-1]
        return bool(re.search(r"(?<![想请你听我])说(?!的|好|了算)", clause))

    def _time(self) -> None:
        # Only a time of day is filed under a numbered transfer; "第二笔今天" is asked again when its turn comes.
        times = self.said.values("transfer_time")
        told = [t for t in times if not self._in_reported_speech(t["start"])]
        if told and len(told) < len(times):
            self.said.entities = [e for e in self.said.entities
                                  if not (e.get("entity") == "transfer_time" and e not in told)]
        found = [t for t in self.said.values("transfer_time")
                 if not ("T" in str(t["value"]) and self._route("time", t["value"], t["start"]))
                 and not ("T" not in str(t["value"]) and self._ordinal_at(t["start"]) not in (None, max(len(
                     self.draft.report.transfers), 1)))]
        if not found and self.said.values("transfer_time"):
            if self.asked == "time":
                self._own_day_beside_others()
            return   # all of them belong to other numbered transfers
        only_vague = found and all(VAGUE_TIME.fullmatch(self.text[t["start"]:t["end"]]) for t in found)
        if (not found or only_vague) and self.asked == "time":
            # Asked when: "前天" is a day, "半个钟头" is half an hour ago ("就刚才，也就十来分钟": ten minutes ago).
            for said_as in (f"{self.text}转的", f"{self.text}前", f"{TRAILING_HEDGE.sub('', self.text)}前"):
                more = [{"value": v, "start": b, "end": min(e, len(self.text))}
                        for b, e, v in find_times(said_as, self.said.at) if b < len(self.text)]
                current = max(len(self.draft.report.transfers), 1)
                if more and all(self._ordinal_at(t["start"]) not in (None, current) for t in more):
                    if self.draft.hour_asked and self.draft.vague_time:
                        self._fill("time", self.draft.vague_time)   # asked this one's hour, told "第二次是大前天"
                    return
                if more and not (only_vague and all(VAGUE_TIME.fullmatch(self.text[t["start"]:t["end"]]) for t in more)):
                    found = more
                    break
        exact = [t for t in found if "T" in str(t["value"])
                 and not VAGUE_TIME.fullmatch(self.text[t["start"]:t["end"]])]
        rough = [t["value"] for t in found if t not in exact]
        if self.asked != "time":
            # "我就转了，今天早上我给我妹打电话一问": the day it came to light, not the transfer's
            days = [t for t in found if t not in exact and not self._found_out_then(t)]
            rough = [t["value"] for t in days]
            if exact:
                value, clock = exact[0]["value"], exact[0]
                day_before = [t["value"] for t in days if "T" not in str(t["value"]) and t["end"] <= clock["start"]]
                if day_before and not DAY_WORDS.search(self.text[clock["start"]:clock["end"]]):
                    # "昨天用支付宝给他转了两千，晚上九点的时候": the clock on the day said before it
                    on_day = f"{day_before[-1]}T{value.split('T')[1]}"
                    moment = transfer_moment(on_day)
                    value = on_day if moment is not None and moment <= self.said.at + FUTURE_TOLERANCE else value
                if re.match(r"\s*(?:多|来钟|来)", self.text[clock["end"]:]) and value.endswith(":00:00+08:00") \
                        and not RELATIVE_TIME.search(self.text[clock["start"]:clock["end"] + 2]) and not self.draft.rough_clock:
                    self.draft.rough_clock = value   # "昨天下午四点多": the minutes asked for once, kept if not known
                else:
                    self._fill("time", value)
            elif rough:   # "我刚才付了钱", "前天转的" in the story: asked anyway, kept if nothing better is said
                if not self.draft.vague_time:
                    self.draft.vague_time, self.draft.vague_part = rough[0], part_of_day(self.text)
            return
        if exact:
            value = exact[-1]["value"]
            day = self.draft.vague_time
            said_day = [r for r in rough if "T" not in r] or [
                v for _, _, v in find_times(f"{self.text}转的", self.said.at) if "T" not in v]
            clock_text = self.text[exact[-1]["start"]:exact[-1]["end"]]
            no_new_day = not NEW_DAY.search(SAME_DAY.sub("", self.text))   # "那天下午，四点半" names no new day
            earlier = self._earlier_day(value)
            if RELATIVE_TIME.search(clock_text):
                pass   # "两个小时前": a moment already, whatever day or part was said before
            elif said_day and not DAY_WORDS.search(clock_text):
                value = f"{said_day[0]}T{value.split('T')[1]}"   # "下午两点零五分，是前天的事了"
                part = part_of_day(self.text)
                if part and part_of_day(clock_text) is None:   # "上周六上午，银行九点开门……大概十点钟"
                    clock = datetime.fromisoformat(value)
                    value = clock.replace(hour=hour_in_part(clock.hour % 12, part)).isoformat()
            elif self.draft.rough_clock and no_new_day and not DAY_WORDS.search(clock_text) and part_of_day(clock_text) is None:
                # "四点多" in the story, "大概四点十分吧" now: on that day, in that half of it
                said_clock, rough_clock = datetime.fromisoformat(value), datetime.fromisoformat(self.draft.rough_clock)
                hour = said_clock.hour % 12 + (12 if rough_clock.hour >= 12 else 0)
                value = rough_clock.replace(hour=hour, minute=said_clock.minute).isoformat()
            elif day and "T" not in day and no_new_day:
                value = f"{day}T{value.split('T')[1]}"   # "几点？" "十点左右": on the day said before
                if self.draft.vague_part and part_of_day(self.text) is None:   # "前天夜里" … "十一点过五分"
                    clock = datetime.fromisoformat(value)
                    value = clock.replace(hour=hour_in_part(clock.hour % 12, self.draft.vague_part)).isoformat()
            elif earlier and no_new_day:
                value = earlier   # "第二次十點四十左右" after "第一次是昨天晚上十點二十": that evening too
            moment = transfer_moment(value)
            if moment is not None and moment > self.said.at + FUTURE_TOLERANCE:
                value = exact[-1]["value"]   # "今天早上我才发现" then "晚上八点": the last evening, not tonight
            found_out = self.draft.found_out_morning
            if found_out and value.startswith(found_out) and not DAY_WORDS.search(self.text) \
                    and datetime.fromisoformat(value).hour >= 12:
                value = (datetime.fromisoformat(value) - timedelta(days=1)).isoformat()
            self._fill("time", value)
        elif rough:
            day = rough[-1]
            vague = [t for t in found if t not in exact]
            if len(vague) == 2 and re.search(r"还是|或者|或是|或", self.text[vague[0]["end"]:vague[1]["start"]]):
                day = rough[0]   # "五天前还是六天前": unsure, the first said
            today = day == self.said.at.date().isoformat()   # "不知道几点，反正就今天": how long ago is asked once
            if "T" in day or (is_unknown(self.text) and not today) or self.draft.hour_asked:
                self._fill("time", self._day_in_its_part(day, part_of_day(self.text) or (
                    self.draft.vague_part if day == self.draft.vague_time else None)))
            else:   # "前天": a bank checks the time of day too, so ask for the hour once
                self.draft.vague_time, self.draft.hour_asked = day, True
                self.draft.vague_part = part_of_day(self.text)
                self.filled.append("day")

    def _day_in_its_part(self, day: str, part: Optional[str]) -> str:
        """"前天傍晚" and no clock after the hour was asked: that evening at six, noted as the citizen's words."""
        moment = at_part_of_day(day, part, self.said.at)
        if moment is None:
            return day
        note = f"转账时间报案人只记得“{part}”，按{moment[11:16]}登记，请以转账记录为准"
        if note not in self.draft.report.warnings:
            self.draft.report.warnings.append(note)
        return moment

    def _own_day_beside_others(self) -> None:
        """Asked when, told "第一次是前天晚上，具体几点记不太清了，第二次是昨天下午三点": this transfer's day (its hour
        asked once, unless they said they do not know it); only the next one's time: the day already said stays."""
        current = max(len(self.draft.report.transfers), 1)
        days = [(b, e, v) for b, e, v in find_times(f"{self.text}转的", self.said.at)
                if b < len(self.text) and "T" not in v and self._ordinal_at(b) == current]
        if not days:
            if self.draft.hour_asked and self.draft.vague_time:
                self._fill("time", self.draft.vague_time)
            return
        start, end, day = days[0]
        if UNKNOWN_PHRASE.search(self.text[end:end + 14]) or self.draft.hour_asked:
            self._fill("time", day)
        else:
            self.draft.vague_time, self.draft.hour_asked = day, True
            self.draft.vague_part = part_of_day(self.text[start:end + 4])
            self.filled.append("day")

    def _found_out_then(self, said: Dict[str, Any]) -> bool:
        """"今天早上我给我妹打电话一问" in the story: the day it came to light, not the transfer's. The morning
        of it is remembered: money sent before it was not sent that afternoon or evening."""
        clause = self._clause_of(said["start"])
        if not FOUND_OUT.search(clause) or re.search(r"转|汇|付|交了|充|扣", clause):
            return False
        if "T" not in str(said["value"]) and part_of_day(clause) in ("凌晨", "早上", "早晨", "上午"):
            self.draft.found_out_morning = str(said["value"])[:10]
        return True

    def _earlier_day(self, value: str) -> Optional[str]:
        """A clock time alone for a later transfer, on the previous transfer's day (not today) when that puts it
        after the previous one and not in the future."""
        previous = self.draft.previous_transfer()
        before = previous.moment() if previous is not None and isinstance(previous.time, str) \
            and "T" in previous.time else None
        if before is None or before.date() == self.said.at.date():
            return None
        clock = datetime.fromisoformat(value)
        hours = {clock.hour} if DAY_OR_PART.search(self.text) or clock.hour >= 12 else {clock.hour, clock.hour + 12}
        moments = [before.replace(hour=hour, minute=clock.minute, second=0) for hour in hours]
        after = [moment for moment in moments if before <= moment <= self.said.at]
        return min(after).isoformat() if after else None

    def _channel(self) -> None:
        current = self.draft.current
        if "to_account" not in self.filled and current.to_account not in (None, UNKNOWN) \
                and not str(current.to_account).isdigit() and TO_A_CARD.search(self.text):
            current.to_account = None   # "微信转到那张银行卡上的": the wallet id was a contact; the card is asked for
        if self.asked == "channel":
            bare, positions = gapless(self.text.lower())   # "手 机 银 行": a recogniser's words
            said = sorted((m.start(), m.end(), name) for name, words in CHANNEL_WORDS for m in re.finditer(words, bare))
            said = [(b, e, n) for b, e, n in said if not self._route("channel", n, positions[b])
                    and not re.search(r"(不是|不用|没用|没有用|没走)$", bare[max(0, b - 3):b])]   # "不是支付宝，是微信"
            with_verb = [name for _, end, name in said if re.search(r"转|付|汇|支付|打|扫|交", bare[end:end + 6])
                         and not re.match(r"[^，。,.]{0,3}(额度|限额|不够|用完|没钱|不让)", bare[end:end + 6])]
            # "从银行卡转到他支付宝", "银行转账，用的支付宝": the wallet it went into, or the one paid with, decides
            decisive = [name for b, _, name in said if name in ("alipay", "wechat_pay", "unionpay_quickpass")
                        and re.search(r"(到|进|给|入)(他|她|对方)?的?$|(用的|用了|用|拿|通过|走的)$", bare[max(0, b - 4):b])]
            with_verb = decisive or with_verb
            corrected_at = max((m.end() for m in SELF_CORRECTION.finditer(bare)), default=None)
            if corrected_at is not None and any(b >= corrected_at for b, _, _ in said):
                said = [(b, e, n) for b, e, n in said if b >= corrected_at]   # "微信 不对 是支付宝"
                with_verb = [n for n in with_verb if n in {name for _, _, name in said}]
            elif len({name for _, _, name in said}) > 1 and WAVERING.search(bare) and not is_unknown(self.text):
                said, with_verb = said[-1:], []   # "支付宝还是微信来着…支付宝，对，支付宝": where they settled
            if len({name for _, _, name in said}) > 1 and is_unknown(self.text):
                self._fill("channel", UNKNOWN)   # "想不起来了，我支付宝和手机银行都用"
            elif said:
                self._fill("channel", (with_verb or [said[0][2]])[0])
            elif self.said.values("bank_name"):
                self._fill("channel", "bank_transfer")   # "工行APP上转的"
            elif re.search(r"(?:也是|还是|都是)[^，,。]{0,6}(?:app|软件|转的|那样|这样|方式)|一样|同样", self.text.lower()) \
                    and not is_unknown(self.text) and self.draft.previous_transfer() \
                    and self.draft.previous_transfer().channel not in (None, UNKNOWN):
                self._fill("channel", self.draft.previous_transfer().channel)   # "第二笔也是app上转的"
            elif TAKEN_WITHOUT_TRANSFER.search(self.text) and not re.search(
                    r"(?<!不是)(?<!没)(?<!没有)(?:我|自己)[^，,。]{0,3}转(?:的|了|过去)", self.text):
                self._fill("channel", "other")   # "链接里填了卡号和验证码，它就扣了": taken, not sent
                note = "钱是对方通过链接或验证码直接扣走的（盗刷），不是报案人自己转账"
                if note not in self.draft.report.warnings:
                    self.draft.report.warnings.append(note)
            return
        # Unasked, only a channel named outright: "转到他卡上" says where the money went, not how.
        channels = [c for c in self.said.values("payment_channel")
                    if not WEAK_CHANNEL.match(self.text[c["start"]:c["end"]]) and c["value"] != "other"
                    and not self._route("channel", c["value"], c["start"])]
        named = {name for name, words in CHANNEL_WORDS[:3] if re.search(words, self.text.lower())}
        if channels and len(named) <= 1:   # "微信里的钱跟支付宝里的钱都转过去了": which transfer went how is asked
            with_verb = [c for c in channels if re.match(r"\s*(转|付|汇|支付|打)", self.text[c["end"]:c["end"] + 3])]
            self._fill("channel", (with_verb or channels)[0]["value"])

    def _banks(self) -> None:
        banks = self.said.values("bank_name")
        corrected_at = max((m.end() for m in SELF_CORRECTION.finditer(self.text)), default=None)
        if corrected_at is not None and any(b["start"] >= corrected_at for b in banks):
            banks = [b for b in banks if b["start"] >= corrected_at]   # "浦发的……不对，是我的建行卡"
        used = [b for b in banks if re.search(r"(?:用的是|用了|改用|换成了?|换了|只好用|就用)[^，,。]{0,4}$",
                                              self.text[max(0, b["start"] - 10):b["start"]])]
        if self.asked == "from_account" and used and len(banks) > 1:
            banks = used[-1:]   # "工行卡当天限额了，我用的是招商银行的卡，尾号0923": the card that paid
        seen_own = set()
        for bank in banks:
            own = self._own(bank["start"], bank["end"])
            if own and bank["value"] in seen_own:
                continue   # "信用社的卡，农村信用社": one card named twice
            if own:
                seen_own.add(bank["value"])
                tail = card_tail(self.text, asked_for_it=self.asked == "from_account")
                spoken = joined_words(self.text)
                hint = self.draft.paying_hint or ""   # "信用卡" said first, its bank now
                kind = "存折" if "存折" in spoken + hint or "折子" in spoken else "信用卡" if "信用卡" in spoken + hint else "卡"
                # "农商行": a rural commercial bank, filed with the credit cooperatives but named as the citizen said
                said_as = self.text[bank["start"]:bank["end"]]
                bank_said = f"农村信用社（{said_as}）" if bank["value"] == "农村信用社" and "农商" in said_as else bank["value"]
                described = f"{self._card_owner(hint)}{bank_said}{kind}" + (f" 尾号{tail}" if tail else "")
                if CASH_FROM_CARD.search(spoken):   # "把交行卡里的钱取成现金，然后拿现金存进去的": paid in cash
                    self._fill("from_account", f"现金（从{described}取出）")
                    continue
                wallet = FUNDED_WALLET.search(spoken) if self.asked == "from_account" else None
                if wallet:   # "支付宝绑的招行信用卡", "先从招行转到支付宝再转出去": the wallet paid, the card funded it
                    described = f"{next(g for g in wallet.groups() if g)}（绑定的{described}）"
                told = self.draft.paying_hint if self.asked == "from_account" and self.draft.paying_tail_asked else None
                if told and find_banks(told) and find_banks(told)[0][2] != bank["value"] \
                        and not SELF_CORRECTION.search(self.text):
                    # asked the tail of the 光大 card, told "第二次用的是工行卡": the other card is another transfer's
                    self._route("from_account", described, bank["start"])
                    self._fill("from_account", told)
                    continue
                previous = self.draft.previous_transfer()
                if self.asked == "from_account" and not tail and previous and previous.from_account \
                        and len(banks) == 1 and not self.said.values("bank_card") and (
                        bank["value"] in str(previous.from_account)
                        or bank_for_card(str(previous.from_account)) == bank["value"]):
                    self._fill("from_account", previous.from_account)   # "也是交通银行那张"
                elif (self.asked != "from_account" or WAIT.search(self.text)) and not tail:
                    # "邮政储蓄卡，卡号……稍等我看看": the number is coming
                    self.draft.paying_hint = described   # "用的是我自己的建设银行卡": asked for the number anyway
                elif self.asked == "from_account" and not tail and not self.draft.paying_tail_asked \
                        and not self.said.values("bank_card") and (not NO_NUMBER.search(self.text) or SOMEONE_KNOWS.search(self.text)):
                    # "工资卡，建行的": which card, asked once (its tail): the bank's request names the victim's account
                    self.draft.paying_hint = described
                    self.draft.paying_tail_asked = True
                    self.filled.append("paying_bank")
                elif "from_account" not in self.filled and (
                        self.draft.current.from_account in (None, UNKNOWN) or self.asked == "from_account"):
                    self._fill("from_account", described)
            elif self.asked != "from_account":
                if self._unsure_between_banks(banks):
                    return
                self._fill("to_bank", bank["value"])
                self.draft.bank_answered = self.draft.bank_answered or self.asked == "to_bank"

    def _unsure_between_banks(self, banks: List[Dict[str, Any]]) -> bool:
        """"建行还是工行我记不清": neither is taken; asked, it is unknown with both noted for the officer."""
        named = list(dict.fromkeys(b["value"] for b in banks if not self._own(b["start"], b["end"])))
        if len(named) < 2 or not re.search(r"还是|或者|或是|又好像|又像|也可能|也好像", self.text):
            return False
        if self.asked == "to_bank" and self.draft.current.to_bank in (None, UNKNOWN):
            self._fill("to_bank", UNKNOWN)
            self.draft.report.warnings.append(f"收款银行报案人记不清，可能是{'或'.join(named)}")
        return True

    def _names(self) -> None:
        victim = self.draft.report.victim
        taken_back = list(NAME_TAKEN_BACK.finditer(self.text))
        if taken_back and self.asked in (VICTIM_NAME, "to_name"):
            meant = person_name(self.text[taken_back[-1].end():])
            if meant:   # "我叫况秀英，不对，是邝，广字旁边一个耳朵的邝，邝秀英"
                if self.asked == VICTIM_NAME:
                    victim.name = meant
                    self.filled.append(VICTIM_NAME)
                else:
                    self._fill("to_name", meant)
                return
        # the first "我叫…" that is a name ("我是他妈妈，我叫刘桂兰": not 他妈妈), or "我姓赵，叫赵大勇"
        named = next((m for m in MY_NAME.finditer(self.text) if person_name(m.group(1))), None) \
            or next((m for m in MY_SURNAME_THEN_NAME.finditer(self.text) if person_name(m.group(1))), None)
        if named and (victim.name in (None, UNKNOWN) or self.asked in (VICTIM_NAME, CONFIRM)):
            # the rest of the message may spell it: "我叫李景 木子李 安静的静"
            victim.name = spelled_mended(person_name(named.group(1)), self.text[named.end(1):])
            self.filled.append(VICTIM_NAME)
        relative = VICTIM_IS_RELATIVE.search(self.text) if self.asked in (VICTIM_NAME, CONFIRM) else None
        theirs = person_name(self.text[relative.end():]) if relative else None
        if theirs and theirs != victim.name:
            caller = victim.name if VICTIM_NAME in self.filled else None
            victim.name = theirs
            self.filled.append(VICTIM_NAME)
            if caller:
                self.draft.report.warnings.append(f"报案人{caller}代受害人（其{relative.group(1)}）报案，留的电话可能是报案人的")
        holder = HOLDER_SAID.search(self.text) or (
            NAMED_WITH_CARD.search(self.text) if self.said.values("bank_card") else None)
        holder_name = person_name(holder.group(1)) if holder else None
        if holder and not holder_name:   # "户名张建国 卡是工行的": the name, then another field after a pause
            words = holder.group(1).split()
            holder_name = next((person_name("".join(words[:k])) for k in range(len(words) - 1, 0, -1)
                                if person_name("".join(words[:k])) and "某" not in "".join(words[:k])
                                and not is_unknown("".join(words[k:]))), None)
        later = HOLDER_NAMED_LATER.search(self.text)
        if not holder_name and later and person_name(later.group(1)):
            holder, holder_name = later, person_name(later.group(1))
        if holder and not holder_name and holder is not later:   # "户名写的是赵经理，全名赵德明": the full name of the same surname
            later = person_name(self.text[holder.start():])
            holder_name = later if later and later[0] == holder.group(1)[0] else None
        if holder and holder_name:
            if self._route("to_name", holder_name, holder.start(1)):
                self.filled.append("routed")   # "第一个户名罗俊豪" asked for the second's: the second's asked again
            else:
                self._fill("to_name", holder_name)
        if self.asked == VICTIM_NAME and VICTIM_NAME not in self.filled and not QUESTION_LIKE.search(self.text):
            name = person_name(self.text) or self._insisted_name()
            nickname = NICKNAME.fullmatch(NAME_ENDING.sub("", compact(self.text)))
            if name and RELATIVE_NAMED.search(self.text[:max(self.text.find(name[-1]), 0)]) \
                    and not self.draft.others_name_given:
                self.draft.others_name_given = True   # "我家老头子叫周德明": his name; theirs asked again
                self.filled.append("someone else's name")
            elif nickname and self.draft.nickname_given != nickname.group(0):
                self.draft.nickname_given = nickname.group(0)   # "阿豪", "小陈": what friends call them
                self.filled.append("nickname")
            elif nickname:
                victim.name = nickname.group(0)   # the nickname again: kept, the officer can ask
                self.filled.append(VICTIM_NAME)
            elif name:
                victim.name = name
                self.filled.append(VICTIM_NAME)
            elif surname_only(self.text):
                self.draft.victim_surname = surname_only(self.text)
                self.filled.append("surname")
        nickname_only = ONLY_A_NICKNAME.search(self.text)
        if self.asked == "to_name" and "to_name" not in self.filled and nickname_only:
            # "微信上就叫农资批发 真名不知道": a screen name, not the account holder
            self._fill("to_name", UNKNOWN)
            self.draft.report.warnings.append(f"收款人真名不详，网名/昵称“{nickname_only.group(1)}”")
            return
        star_said = STAR_SPOKEN.search(self.text) if self.asked == "to_name" else None
        if star_said and str(self.draft.current.to_name or star_said.group(1)).startswith(star_said.group(1)):
            self._fill("to_name", f"{star_said.group(1)}*", overwrite=True)   # "张星 就是张后面一个星号": the app showed 张*
        if self.asked == "to_name" and ("to_name" not in self.filled or star_said):
            stars_told = STARS_BEFORE.search(self.text)   # "第一个字是星号，后面是志强": one name over two clauses
            contrast = CONTRAST.search(self.text)
            told = self.text[contrast.end():] if contrast and CLAIMED.search(self.text[:contrast.start()]) else self.text
            for clause in [] if star_said else [self.text[:stars_told.end()]] if stars_told else re.split(r"[，,。；;]", told):
                name = person_name(clause) or self._insisted_name()
                position = self.text.find(clause) + len(clause)
                if name and not MY_NAME.search(clause) and not self._route("to_name", name, position):
                    self._fill("to_name", name)
                    break   # "叫白志强，白颜色的白": the name, not how it is written
            if "to_name" not in self.filled and spelled_name(self.text):
                self._fill("to_name", spelled_name(self.text))   # "弓长张，伟大的伟"
            if "to_name" in self.filled and "*" in str(self.draft.current.to_name) and not star_said:
                full = unmasked(self.draft.current.to_name, self.text)
                if full:   # "显示蓝*峰，他说…叫蓝海峰", "显示*红梅，我验证了姓赵": the name that fits what the app showed
                    self.draft.current.to_name = full
            if "to_name" in self.filled:
                shown = self.draft.current.to_name
                warning = f"户名只显示了部分（{shown}），银行核对户名前请核实全名"
                if "*" in shown:   # "王*", "*霞，全名不知道" as the app shows it: kept, with a note for the bank check
                    if not FULL_NAME_UNSEEN.search(self.text) and self.draft.masked_holder is None:
                        # the chat or an ID photo often shows the full name: asked for once
                        self.draft.masked_holder, self.draft.current.to_name = shown, None
                        self.filled[:] = [f for f in self.filled if f != "to_name"] + ["masked holder"]
                        return
                    if warning not in self.draft.report.warnings:
                        self.draft.report.warnings.append(warning)
                return
            hidden = re.search(r"[*＊]+[\u4e00-\u9fff]|[\u4e00-\u9fff](?:[*＊]+|[xX]+(?![A-Za-z]))", self.text)
            if hidden:   # "户名显示*伟": too little of it to check; kept for the officer
                self._fill("to_name", UNKNOWN)
                self.draft.report.warnings.append(f"户名只显示了部分（{hidden.group(0)}），银行核对户名前请核实全名")
                return
            surname = surname_only(self.text)
            if is_unknown(self.text) and not (surname and self.draft.holder_surname != surname) \
                    and self._route("to_name", UNKNOWN, len(self.text)):
                self.filled.append("routed")
                return
            if surname and self.draft.holder_surname != surname:   # "名字我没看清，好像姓吴": the name asked once more
                self.draft.holder_surname = surname   # "姓刘，叫刘……刘什么来着": asked for the full name once
                self.filled.append("surname")
            elif surname:
                self._fill("to_name", UNKNOWN)
                self.draft.report.warnings.append(f"户名只知道姓{surname}（报案人说“{compact(self.text)[:20]}”），银行核对户名前请核实")

    def _digital_yuan_wallet(self) -> None:
        """The digital-yuan wallet paid; the card that topped it up is kept beside it (the bank runs the wallet)."""
        if self.asked != "from_account" or not DIGITAL_YUAN.search(self.text):
            return
        card = self.draft.current.from_account if "from_account" in self.filled else \
            self.draft.paying_hint if "paying_bank" in self.filled else None   # "工资卡是中国银行的": no tail asked
        wallet = "数字人民币钱包" if card in (None, UNKNOWN) or DIGITAL_YUAN.search(card) else f"数字人民币钱包（由{card}充值）"
        self._fill("from_account", wallet, overwrite=True)

    def _from_account_words(self) -> None:
        if self.asked == "from_account" and DIGITAL_YUAN.search(self.text):
            return   # _digital_yuan_wallet
        if self.asked != "from_account" or "from_account" in self.filled or "paying_bank" in self.filled:
            return   # "支付宝绑的中信信用卡": the card behind the wallet, its tail asked next
        tail = card_tail(self.text, asked_for_it=True)
        short_bank = None if self.said.values("bank_name") else self._short_bank_in_clauses()
        exchange = CRYPTO_EXCHANGE.search(self.text)
        if exchange and not self.said.values("bank_card"):
            named = next((m.group(1) for m in CRYPTO_EXCHANGE.finditer(self.text) if m.group(1)), None)
            self._fill("from_account", f"{named}交易所账户" if named else "数字货币交易所账户")   # USDT sent from it
            return
        paid_in_cash = re.search(r"现金", self.text) and not re.search(r"现金给了?(他|她|孙子|孙女|儿子|女儿|闺女|家里人|孩子)", self.text)
        if paid_in_cash and not self.said.values("bank_card"):
            self._fill("from_account", "现金")   # "没用卡，是我从家里拿的现金存的"
            return
        # the most specific named: "我支付宝里的余额宝" is 余额宝
        wallet = next((m for m in (re.search(w, self.text) for w in ("余额宝", "花呗", "借呗", "零钱通", "零钱", "亲情卡", "亲属卡",
                                                                      "支付宝", "微信")) if m), None)
        login = self.said.values("phone")
        if wallet and login and re.search(r"账号|账户|手机号", self.text) and not FRAUDSTER_PHONE.search(self.text):
            # "用的我的支付宝，账号就是我手机号 136…": the wallet's login, which Alipay or Tenpay can trace
            self._fill("from_account", f"{'微信' if wallet.group(0) in ('零钱', '微信') else '支付宝'}账号 {login[0]['value']}")
        elif wallet and (is_unknown(self.text) or UNSURE_WHICH.search(self.text)) and re.search(r"哪张|几张|什么卡|卡", self.text):
            self._unknown("from_account", rough_answer_possible=False)   # "不知道扣的哪张，我微信绑了好几张卡"
        elif wallet and wallet.group(0) in ("支付宝", "微信") and re.search(r"卡[^，,。]{0,6}绑|绑[^，,。]{0,4}(?:的|着)?[^，,。]{0,4}卡", self.text) \
                and not re.search(r"(?:没|没有|不|未)绑", self.text) \
                and not tail and not self.said.values("bank_card"):
            # "我的银行卡 绑在那个微信上的": the card behind the wallet paid; which bank's and its tail, asked once
            hint = f"{wallet.group(0)}绑定的银行卡"
            if self.draft.paying_tail_asked:
                self._fill("from_account", self.draft.paying_hint or hint)
            else:
                self.draft.paying_hint, self.draft.paying_tail_asked = hint, True
                self.filled.append("paying_bank")
        elif wallet:
            # "我闺女给我开的那个亲情卡": a relative's account lent through the wallet the channel names
            lent_by = {"alipay": "支付宝", "wechat_pay": "微信"}.get(self.draft.current.channel or "", "")
            name = {"余额宝": "支付宝余额宝", "花呗": "支付宝花呗", "借呗": "支付宝借呗", "支付宝": "支付宝余额", "零钱": "微信零钱",
                    "零钱通": "微信零钱通", "亲情卡": f"{lent_by}亲情卡", "亲属卡": f"{lent_by}亲属卡",
                    "微信": "微信零钱"}[wallet.group(0)]
            self._fill("from_account", name)
            if self.draft.current.channel in (None, "bank_transfer") and "channel" not in self.filled \
                    and name.startswith(("支付宝", "微信")):
                # "余额宝里的钱" after "转账请备注…" in the card's message: a wallet's balance leaves by that wallet
                self.draft.current.channel = "alipay" if name.startswith("支付宝") else "wechat_pay"
        elif re.fullmatch(r"(?:第.次)?(?:也是|还是|都是|就是|用的)?(?:从|在)?(?:那个|这个)?(?:软件|app|APP|应用)?"
                          r"(?:账户|账上|里的|里面的|里)?(?:余额|零钱)(?:付的|转的|出的|里的钱|里出的)?",
                          compact(self.text)) and self.draft.current.channel in ("alipay", "wechat_pay"):
            # "余额" / "第二次也是余额" after paying by Alipay or WeChat: that wallet's balance
            self._fill("from_account", "支付宝余额" if self.draft.current.channel == "alipay" else "微信零钱")
        elif tail or short_bank:
            hint = self.draft.paying_hint if self.draft.paying_hint and "尾号" not in self.draft.paying_hint \
                and self.draft.paying_hint != OWN_CARD_HINT else None
            described = hint
            if short_bank and not (hint and find_banks(hint)):   # "中信的，尾号0612" after "信用卡"
                described = self._card_owner(hint) + short_bank + (
                    "信用卡" if "信用卡" in (hint or "") + joined_words(self.text) else "卡")
            kind = next((k for k in ("信用卡", "存折", "工资卡", "社保卡") if k in joined_words(self.text)), None)
            described = described or kind   # "信用卡，尾号0937"
            if tail:
                self._fill("from_account", f"{described} 尾号{tail}" if described else f"尾号{tail}的卡")
            elif self.draft.paying_tail_asked or NO_NUMBER.search(self.text):
                self._fill("from_account", described)   # "我自己的卡啊，招商的"
            else:
                self.draft.paying_hint, self.draft.paying_tail_asked = described, True   # its tail asked once
                self.filled.append("paying_bank")
        elif not self.said.values("bank_name") and not is_unknown(self.text) and not QUESTION_LIKE.search(self.text) \
                and not RHETORICAL_UNKNOWN.search(self.text):   # "我卡多，哪记得是哪张"
            told = "，".join(c for c in re.split(r"[，,。；;\s]+", self.text) if c and not WAIT.search(c))   # "…的我问问"
            described = ACCOUNT_WORDS_AROUND.sub("", re.sub(r"[啊呀吧哦嘛呗]+$", "", compact(told)))
            described = re.sub(r"^(?:我用的|用的|就是|就)", "", described)
            if re.fullmatch(r"(?:用|从|是)?(?:我的?)?云闪付(?:里的钱|付的|转的)?", described):
                described = "云闪付绑定的卡"   # 云闪付 holds no money: the card behind it, asked once
            if re.search(r"[那这]张$", described) and len(described) > 3:
                described += "卡"   # "就是我平时发工资的那张"
            own_card_only = re.fullmatch(r"(我|俺|咱|自己)*的?(银行)?卡", described)
            if own_card_only and not self.draft.paying_tail_asked:
                # "我自己的卡": which bank's, and its tail, asked once; nothing more said, it stays unknown
                self.draft.paying_hint, self.draft.paying_tail_asked = OWN_CARD_HINT, True
                self.filled.append("paying_bank")
            elif own_card_only and self.draft.paying_hint == OWN_CARD_HINT:
                self._unknown("from_account", rough_answer_possible=False)
            elif 2 <= len(described) <= 12 and ACCOUNT_WORD.search(described) and not own_card_only:
                if re.search(r"卡|存折", described) and not self.draft.paying_tail_asked and not NO_NUMBER.search(self.text):
                    # "信用卡", "我老伴的卡": which bank's, and its tail, asked once
                    self.draft.paying_hint, self.draft.paying_tail_asked = described, True
                    self.filled.append("paying_bank")
                elif self.draft.paying_tail_asked and self.draft.paying_hint == OWN_CARD_HINT:
                    self._unknown("from_account", rough_answer_possible=False)   # nothing more than "my card"
                elif self.draft.paying_tail_asked and self.draft.paying_hint:
                    self._fill("from_account", self.draft.paying_hint)   # asked its tail, told "还是那个存折"
                else:
                    self._fill("from_account", described)   # "京东白条", "单位的对公账户": as told

    def _card_owner(self, hint: Optional[str] = None) -> str:
        """"是我老伴的卡 农业银行的": whose card paid when it is not the citizen's own ("老伴的")."""
        owner = CARD_OWNER.search(compact(self.text)) or CARD_OWNER.search(hint or "")
        return f"{owner.group(1)}的" if owner else ""

    def _short_bank_in_clauses(self) -> Optional[str]:
        clauses = re.split(r"[，,。；;\s…]+", self.text)
        return next(filter(None, map(self._short_bank_name, clauses)), None)

    def _short_bank_name(self, text: Optional[str] = None) -> Optional[str]:
        """"华夏", "邮政的", "招商的卡": a short bank name said alone, as the answer to a bank question."""
        said = compact(self.text if text is None else text)
        return canonical_bank(re.sub(r"^(?:呃|嗯|额|哦|那个|好像是|好像|应该是|可能是|我的|我自己的|就是|是|在|用的|用)+|"
                                     r"(?:的卡|的|吧|啊|呀|银航|银形|银杭)+$", "", said))

    def _free_text(self) -> None:
        """Answers only the asked question can take: the scam detail, a bank written out."""
        text, asked = self.text.strip(), self.asked
        plain = not (is_filler(text) or yes_or_no(text) is not None or is_unknown(text))
        long_enough = len(compact(text)) >= 12   # a story with a complaint in it still tells the story
        if asked == DETAIL and plain and len(compact(text)) >= 2 and (long_enough or not QUESTION_LIKE.search(text)):
            self.draft.report.scam_detail = text[:300]
            self.filled.append(DETAIL)
        elif asked == "to_bank" and re.search(r"没有银行|没银行|不是银行|不是卡|没有卡|哪来的?银行|哪有银行|微信转|支付宝转",
                                              text) and not find_banks(text):
            self._fill("to_bank", UNKNOWN)
        elif asked == "to_bank" and not [b for b in self.said.values("bank_name") if not self._own(b["start"], b["end"])] \
                and self._short_bank_in_clauses() and not re.search(r"还是|或者", text):
            # "华夏", "呃……邮储的", "广发，我这边是从自己的工行卡转的": a short name that is an ordinary word
            # elsewhere is the bank when the bank was asked ("交通……还是建设" is not sure: asked again)
            self._fill("to_bank", self._short_bank_in_clauses())
            self.draft.bank_answered = True
        elif asked == "to_bank" and plain and not find_banks(text) and re.fullmatch(
                r"(是|在)?[\u4e00-\u9fff]{1,12}(银行|信用社|农商行|村镇银行)(的)?", compact(text)) \
                and not re.search(r"没|不|哪|微信|支付宝|什么|那个|这个|个|颜色|色的|好像|大概|可能|应该", text):
            self._fill("to_bank", re.sub(r"^(是|在)|的$", "", compact(text))[:30])
        elif asked == "to_account" and re.search(r"@|支付宝|微信|账号", text):
            account = re.search(r"[A-Za-z0-9_.\-]+@[A-Za-z0-9_.\-]+|[A-Za-z][A-Za-z0-9_\-]{4,}", text)
            wallet = "支付宝" if "支付宝" in text else "微信" if "微信" in text else ""
            phone = self.said.values("phone")
            if account:
                self._fill_wallet(f"{wallet}账号 {account.group(0)}".strip())
            elif wallet and phone and not FRAUDSTER_PHONE.search(text):
                self._fill_wallet(f"{wallet}账号 {phone[0]['value']}")   # "他的支付宝账号 138…": a phone login

    # --- answers that only mean something in context ------------------------------------------
    def _context_answer(self, yn: Optional[bool]) -> bool:
        draft, asked, text = self.draft, self.asked, self.text
        pending = draft.pending
        fixed_tail = said_tail(text)
        if pending and pending["field"] == asked == "to_account" and not set(self.filled) - {"amount"}:
            # "倒数第三位是1，不是6" / "卡号最后三位打反了，是136不是163": the read-back card mended
            candidate = digit_fixed(pending["value"], text) or (
                pending["value"][:-len(fixed_tail)] + fixed_tail if fixed_tail else None)
            if candidate:
                if luhn_valid(candidate):
                    draft.pending = None
                    self._fill("to_account", candidate, overwrite=True)
                    self._bank_from_bin(candidate)
                else:
                    draft.pending = {"field": "to_account", "value": candidate}
                return True
        if pending and pending["field"] == asked and yn is not None:
            if yn:
                if asked == "to_account":
                    draft.report.warnings.append(
                        f"收款卡号 {grouped(pending['value'])} 校验未通过（报案人已核对确认），可能有误")
                    self._fill("to_account", pending["value"], overwrite=True)
                    self._bank_from_bin(pending["value"])
                elif mobile_shaped(pending["value"]):
                    self._keep_confirmed_phone(pending["value"])
                else:
                    draft.report.victim.phone = UNKNOWN
                    draft.report.warnings.append(f"报案人手机号 {pending['value']} 不是有效号码")
            draft.pending = None
            return True
        if asked == MONEY_SENT:
            if draft.money_sent is False:
                draft.money_rechecked = True   # this was the second look, after screen sharing
            text = joined_words(text)   # "转 了 啊 说 了 转 了": a speech recogniser's words
            moved = any(name in TRANSFER_QUESTIONS for name in self.filled) or MONEY_GONE.search(text) \
                or SENT_IN_OTHER_WORDS.search(text)
            not_yet = MONEY_NOT_YET_SENT.search(text) and not any(name in TRANSFER_QUESTIONS for name in self.filled)
            if yn is False or NO_MONEY_LEFT.search(text) or not_yet or (NOT_YET.search(text) and not moved):
                draft.money_sent = False
            elif (yn is True and compact(text) not in POLITE_OK) or moved or (
                    draft.money_rechecked and re.match(r"(有|是的|对|转了)(?!人|个)", compact(text))):
                draft.money_sent = True
            else:
                return False
            return True
        if asked == MORE:
            if self._no_more(yn):
                draft.transfers_done = True
                return True
            return MORE in self.filled
        return False

    def _no_more(self, yn: Optional[bool]) -> bool:
        bare = compact(self.text)
        if yn is False or re.match(r"(没|没有|没了|就这|只有|就一|只转了|就转了)", bare):
            return True
        return bool(NO_MORE.search(bare)) and not re.search(r"还有一|另外还|又转|还转了", bare)

    def _read_back_answer(self, yn: Optional[bool]) -> None:
        """At the read-back: corrections are applied and read back again; yes confirms."""
        draft = self.draft
        if ANOTHER_TRANSFER.search(compact(self.text)) and draft.money_sent is not False:
            # "哦对了还有一笔，前天晚上还交过八百块钱的工本费": a transfer remembered at the read-back
            draft.report.transfers.append(Transfer())
            draft.transfers_done = False
            self.asked = None
            self._mine()
            previous, current = draft.previous_transfer(), draft.current
            if SAME_CARD.search(compact(self.text)) and previous and current.to_account is None:
                # "我又往同一张卡转了6k": the previous transfer's receiving account
                current.to_account, current.to_bank = previous.to_account, current.to_bank or previous.to_bank
                current.to_name = current.to_name or previous.to_name
            return
        if self._restates_the_read_back(yn):
            draft.confirmed = True   # "对的 两笔 一共三万八", "对，第一笔两万工行，第二笔一万五农行，没错"
            self._answered()
            return
        changed = self._corrections()
        changed = self._serial() or changed
        if changed:
            draft.last_reply = None
            return
        if yn is True or (yn is None and CONFIRMING.search(self.text) and not DISPUTING.search(self.text)):
            draft.confirmed = True   # "嗯，奶奶说对的，谢谢你们"
            self._answered()
        elif yn is False or re.search(r"不对|错了|有误|不是", self.text):
            draft.last_reply = "deny"
            draft.failed[CONFIRM] = draft.failed.get(CONFIRM, 0) + 1
            if draft.failed[CONFIRM] > MAX_FAILED:
                self._failed(CONFIRM)
        elif self._say_again(yn):
            pass
        elif is_filler(self.text) or self._question(yn):
            draft.last_reply = "filler"
        else:
            self._failed(CONFIRM)

    def _asserted_first(self, entities: List[Dict[str, Any]], kind: str) -> List[Dict[str, Any]]:
        """"不是昨天，是前天晚上八点，昨天是他催我付尾款的时候": the value said to be right, when one is."""
        found = [e for e in entities if e.get("entity") == kind]
        return [e for e in found if ASSERTED_BEFORE.search(self.text[max(0, e["start"] - 4):e["start"]])] or found

    def _restates_the_read_back(self, yn: Optional[bool]) -> bool:
        """Yes, said with sums and banks that are already in the report (or the total of its sums): no correction."""
        if not (yn is True or CONFIRMING.search(self.text)) or DISPUTING.search(re.sub(r"不是吗|是不是", "", self.text)):
            return False
        transfers = self.draft.report.transfers
        sums = [t.amount for t in transfers if isinstance(t.amount, float)]
        amounts = [float(a["value"]) for a in self.said.values("amount")]
        banks = {str(t.to_bank) for t in transfers} | {str(t.from_account) for t in transfers}
        other = [e for e in self.said.entities if e.get("entity") not in ("amount", "bank_name")]
        return bool(amounts) and not other and all(a in sums or abs(a - sum(sums)) < 0.01 for a in amounts) \
            and all(any(b["value"] in known for known in banks) for b in self.said.values("bank_name"))

    @staticmethod
    def _on_the_same_day(target: Transfer, value: Any, said: str, now: datetime) -> Any:
        """"是九点四十转的，不是九点二十" at the read-back of "12月1日 21:20": the same evening, not this morning.
        "日期不对，是11月29号" at the read-back of "12月2日 20:40": the same clock time on the day said."""
        bare_weekday = BARE_WEEKDAY.search(said)
        if isinstance(target.time, str) and "T" in target.time and bare_weekday and re.match(r"\d{4}-\d{2}-\d{2}", str(value)):
            # "是礼拜三不是礼拜二" at the read-back of last Tuesday: last Wednesday, the week the citizen told
            before = datetime.fromisoformat(target.time)
            day = before + timedelta(days=WEEKDAY_INDEX[bare_weekday.group(1)] - before.weekday())
            clock = datetime.fromisoformat(str(value)) if "T" in str(value) else before
            moved = day.replace(hour=clock.hour, minute=clock.minute, second=clock.second)
            if moved <= now:
                return moved.isoformat()
        if isinstance(target.time, str) and "T" in target.time and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
            before = datetime.fromisoformat(target.time)
            moved = datetime.fromisoformat(str(value)).replace(hour=before.hour, minute=before.minute,
                                                               second=before.second, tzinfo=before.tzinfo)
            return moved.isoformat() if moved <= now else value
        if isinstance(target.time, str) and "T" in target.time and "T" in str(value) and re.search(r"[点:：]", said) \
                and not DAY_WORDS.search(said) and not RELATIVE_TIME.search(said) and part_of_day(said):
            # "不是下午三点，是下午五点" at the read-back of yesterday 15:00: yesterday 17:00, whatever the hour now
            moved = f"{target.time[:11]}{str(value)[11:]}"
            if datetime.fromisoformat(moved) <= now:
                return moved
        if DAY_OR_PART.search(said) or not re.search(r"[点:：]", said) or not isinstance(target.time, str) \
                or "T" not in target.time or "T" not in str(value):
            return value   # "是一个小时以前，不是五十分钟": how long ago, already a moment
        before, corrected = datetime.fromisoformat(target.time), datetime.fromisoformat(str(value))
        candidates = [moment for moment in (before.replace(hour=hour, minute=corrected.minute, second=0)
                                            for hour in {corrected.hour, (corrected.hour + 12) % 24}) if moment <= now]
        return min(candidates, key=lambda moment: abs(moment - before)).isoformat() if candidates else value

    def _one_character_off(self, transfers: List[Transfer]) -> bool:
        """"郭玉岚的岚是山字头下面一个风，不是兰花的兰": a name said again with one character changed."""
        names = [(t, "to_name", t.to_name) for t in transfers] + [(self.draft.report.victim, "name",
                                                                    self.draft.report.victim.name)]
        for owner, attribute, name in names:
            if not name or name == UNKNOWN or not re.search(r"名字|户名|姓名|收款人|字", self.text):
                continue
            for match in re.finditer(rf"{re.escape(name[0])}[\u4e00-\u9fff]{{{len(name) - 1}}}", self.text):
                said = match.group(0)
                if said != name and sum(a != b for a, b in zip(said, name)) == 1 and \
                        not re.search(r"不是\s*$", self.text[:match.start()]) and person_name(said):
                    setattr(owner, attribute, said)
                    return True
        return False

    def _victim_corrections(self) -> bool:
        """"手机号最后一位是8不是7", "电话中间是2345不是1234", "名字错了，是王淑芬": the citizen's own details mended."""
        victim, changed = self.draft.report.victim, False
        if re.search(r"电话|手机|号码", self.text) and str(victim.phone or "").isdigit() \
                and not self.said.values("phone"):
            mended = digit_fixed(victim.phone, self.text) or swapped_digits(victim.phone, spoken_digits_to_ascii(self.text))
            if mended and mended != victim.phone:
                victim.phone, changed = mended, True
        if re.search(r"我的名字|我名字|我叫|我姓|我的姓名|报案人|称呼|^\W*(?:名字|姓名)", self.text) and \
                not re.search(r"户名|收款|收钱|对方|他叫|她叫|那个人|骗子", self.text):
            taken_back = list(NAME_TAKEN_BACK.finditer(self.text))
            name = person_name(self.text[taken_back[-1].end():] if taken_back else self.text)
            holders_mended = [t for t in self.draft.report.transfers if name and t.to_name and len(t.to_name) == len(name)
                              and t.to_name[0] == name[0] and sum(a != b for a, b in zip(t.to_name, name)) == 1]
            mine = re.search(r"我的名字|我名字|我叫|我姓|我的姓名|报案人|称呼", self.text)
            if name and "*" not in name and name != victim.name and (mine or not holders_mended):
                victim.name, changed = name, True   # "名字错了 是魏晓艳" after the holder 魏晓燕: the holder's (below)
        return changed

    def _paying_card_put_right(self, card: Dict[str, Any]) -> bool:
        """At the read-back, a card (or bank) said to be the citizen's: theirs by its words, or every card of a message that begins
        by putting the paying card right ("付款的卡说错了，…最后转给他是从工行卡转的，6222…") unless said to be the other side's."""
        if card.get("entity") == "bank_card" and self._own_card(card):
            return True
        first_clause = re.split(r"[，,。；;！!]", self.text)[0]
        return bool(PAYING_TOPIC.search(first_clause) and re.search(r"(?<!没)(?<!没有)错|不对", first_clause)
                    and not re.search(r"对方|骗子|收款", self.text[len(first_clause):card["start"]]))

    def _paying_account_corrected(self, target: Transfer) -> Optional[str]:
        """The paying card described anew at the read-back: its bank (not the one after 不是) and tail."""
        topic = PAYING_TOPIC.search(self.text)
        if not topic or self.said.values("bank_card"):
            return None
        # from the clause naming the paying card up to one about the receiving side
        bounds = [0] + [m.end() for m in re.finditer(r"[，,。；;！!]", self.text)] + [len(self.text)]
        at = max(i for i, b in enumerate(bounds[:-1]) if b <= topic.start())
        end = next((bounds[i] for i in range(at + 1, len(bounds) - 1)
                    if re.search(r"收款|对方|转入|转到|他的|她的|骗子", self.text[bounds[i]:bounds[i + 1]])), len(self.text))
        banks = [b["value"] for b in self.said.values("bank_name") if bounds[at] <= b["start"] < end
                 and not re.search(r"(不是|而不是|不应该是)\s*$", self.text[:b["start"]])]
        tail = card_tail(self.text[bounds[at]:end])
        if not banks and not tail:
            return None
        paying = str(target.from_account or "")
        if paying.isdigit() and not tail and banks and bank_for_card(paying) == banks[0]:
            return None   # "建行是我自己的卡": the card number told already is that bank's
        known = find_banks(paying)
        bank = banks[0] if banks else (known[0][2] if known else None)   # "是浦发的…招行那张是我老公的"
        kind = "信用卡" if "信用卡" in self.text else "卡"
        return f"{bank}{kind}" + (f" 尾号{tail}" if tail else "") if bank else f"尾号{tail}的卡"

    def _holder_surname_corrected(self, target: Optional[Transfer]) -> bool:
        """"那个收款人的姓不对 是西早覃 不是秦始皇的秦": the holder's surname, as spelled, replaces the one read back."""
        if target is None or target.to_name in (None, UNKNOWN) or not HOLDER_SURNAME_WRONG.search(self.text):
            return False
        for clause in re.split(r"[\s，,。；;]+", self.text):
            character = explained_character(clause) if not NOT_THIS_ONE.match(clause) else None
            if character and character != str(target.to_name)[0]:
                target.to_name = character + str(target.to_name)[1:]
                return True
        return False

    def _holder_part_corrected(self, transfers: List[Transfer]) -> bool:
        """"户名是融信 融化的融 信用的信 不是荣鑫" at the read-back of 上海荣鑫资产管理有限公司: the part of the company's
        name taken back is replaced, the rest of the name stays."""
        said = HOLDER_PART_CORRECTED.search(self.text)
        if not said or len(said.group("right")) != len(said.group("wrong")):
            return False
        for transfer in transfers:
            name = str(transfer.to_name or "")
            if said.group("wrong") in name and name != said.group("wrong") and ORGANISATION.match(name):
                transfer.to_name = name.replace(said.group("wrong"), said.group("right"))
                return True
        return False

    def _channels_meant(self) -> List[str]:
        """"第二笔是微信转的不是支付宝": the channels said at the read-back, without the one taken back."""
        if not self.said.values("payment_channel"):
            return []
        named = CHANNEL_WORDS[:3] + [("bank_transfer", r"手机银行|银行卡|银行|网银|柜台|atm")]   # "不是手机银行" whole
        said = sorted((m.start(), name) for name, words in named for m in re.finditer(words, self.text.lower()))
        taken_back = {name for start, name in said if NEGATED_BEFORE.search(self.text[max(0, start - 4):start])}
        # "不是手机银行，我是用云闪付转的，当时手机银行限额": the one taken back is not meant when named again
        meant = [name for start, name in said if name not in taken_back]
        return meant or ([] if said else [c["value"] for c in self.said.values("payment_channel")])

    def _corrections(self) -> bool:
        draft = self.draft
        transfers = draft.report.transfers
        target = transfers[-1] if transfers else None
        ordinal = ORDINAL.search(self.text)
        if ordinal and transfers:
            index = ordinal_number(ordinal.group(1)) - 1
            target = transfers[min(max(index, 0), len(transfers) - 1)]
        part_put_right = self._holder_part_corrected(transfers)
        changed = self._victim_corrections() or self._holder_surname_corrected(target) or part_put_right
        ascii_text = spoken_digits_to_ascii(self.text)
        tail_said = said_tail(self.text)   # "后四位是0128", "最后三个数是六六零"
        if target is not None:
            meant = [e for e in self.said.entities if not re.search(r"(不是|而不是|不应该是)\s*$", self.text[:e["start"]])
                     and not (e.get("entity") == "transfer_time"
                              and VAGUE_TIME.fullmatch(self.text[e["start"]:e["end"]]))]
            sums = [a for a in meant if a.get("entity") == "amount"]
            sums = [a for a in sums if not DIFFERENCE_BEFORE.search(self.text[max(0, a["start"] - 4):a["start"]])] or sums
            # "是四千二，不是四千，还有两百运费一起付的": the sum said to be right, not the explanation after it
            sums = self._asserted_first(sums, "amount")
            values = {
                # "对，三笔都没错，那个一万我是不会再交了": a sum refused is no correction
                "amount": [float(a["value"]) for a in sums
                           if not WONT_PAY.search(re.split(r"[，,。；;！!？?]", self.text[a["start"]:])[0])],
                "to_account": [str(c["value"]) for c in self.said.values("bank_card") if not self._paying_card_put_right(c)],
                "from_account": [str(c["value"]) for c in self.said.values("bank_card") if self._paying_card_put_right(c)],
                "time": [self._on_the_same_day(target, t["value"], self.text[t["start"]:t["end"]], self.said.at)
                         for t in self._asserted_first(meant, "transfer_time")],
                "channel": self._channels_meant(),
                "to_bank": [b["value"] for b in meant if b.get("entity") == "bank_name" and not self._own(b["start"], b["end"])
                            and not self._paying_card_put_right(b)],
            }
            if not values["time"] and re.search(r"日期|哪天|不是|不对|错了|改成|应该是|转的|转了", self.text):
                weekday = None if re.search(r"[\d一二三四五六七八九十]+\s*(?:月|号|日)", self.text) else next(
                    (m.group(0) for m in BARE_WEEKDAY.finditer(self.text) if not re.search(r"不是\s*$", self.text[:m.start()])),
                    None)   # "是11月23号礼拜一": the date said wins
                values["time"] = [self._on_the_same_day(target, day, weekday or day, self.said.at)
                                  for day in days_said(self.text, self.said.at)][:1]
            if not values["amount"] and re.search(r"金额|钱数|数目|多少钱|转了|钱(?:不对|错了|说错|记错)", self.text):
                with_units = BARE_NUMBER.sub(lambda m: m.group(0) if re.match(r"\s*[点号月日时:：.]", self.text[m.end():])
                                             else m.group(1) + "元", self.text)   # "钱不对 短信是15800 不是15000"
                values["amount"] = [float(v) for b, _, v in find_amounts(with_units)
                                    if not NEGATED_BEFORE.search(with_units[max(0, b - 4):b])][:1]
            paying = self._paying_account_corrected(target)
            if paying:   # "付款卡说错了，不是建行，是农行卡，尾号6128": the citizen's card, not the receiving bank
                values["from_account"], values["to_bank"] = [paying], []
            wrong = re.search(r"不是\s*(\d{2,4})", self.text.translate(SPOKEN_DIGITS))
            if tail_said and not values["to_account"] and not re.search(r"电话|手机|号码", self.text.replace("卡号", "")):
                candidates = [t for t in transfers if t.to_account and t.to_account.isdigit()]
                if wrong:
                    candidates = [t for t in candidates if t.to_account.endswith(wrong.group(1))] or candidates
                if candidates:
                    card_target = candidates[-1] if not ordinal else target
                    if card_target.to_account and card_target.to_account.isdigit():
                        values["to_account"] = [card_target.to_account[:-len(tail_said)] + tail_said]
                        target = card_target
            cards = [t for t in ([target] if ordinal else transfers) if t.to_account and t.to_account.isdigit()]
            if not values["to_account"] and not tail_said and not re.search(r"电话|手机", self.text):
                fixed = [(t, digit_fixed(t.to_account, self.text)) for t in cards]
                fixed = [(t, f) for t, f in fixed if f]
                if fixed:   # "卡号倒数第三位是1，不是6": the card whose digit it names
                    target, card = next(((t, f) for t, f in fixed if luhn_valid(f)), fixed[-1])
                    values["to_account"] = [card]
            if not values["to_account"] and not values["from_account"] and not tail_said:
                # "后面应该是0225 177，不是0252 177": the digits swapped in whichever number holds the wrong ones
                for transfer in ([target] if ordinal else transfers):
                    for name in ("to_account", "from_account"):
                        mended = swapped_digits(str(getattr(transfer, name) or ""), ascii_text)
                        if mended and not values[name]:
                            target, values[name] = transfer, [mended]
            for name, found in values.items():
                if found and getattr(target, name) != found[-1]:
                    setattr(target, name, found[-1])
                    changed = True
                    issuer = bank_for_card(str(found[-1])) if name == "to_account" else None
                    if issuer and not values["to_bank"]:
                        target.to_bank = issuer   # the corrected card's bank, by its number
            holder = HOLDER_SAID.search(self.text)
            holder_name = person_name(holder.group(1)) if holder and not holder.group(1).startswith("不") else None
            if not holder_name and re.search(r"户名|收款|收钱|对方|那个人", self.text):
                words = re.split(r"[\s，,。；;]+", self.text)
                if len(words) > 3:   # "户名 不对 是 立早章 不是 弓长张 章静": a recogniser's words, the last name meant
                    holder_name = next((person_name(w) for before, w in reversed(list(zip([""] + words, words)))
                                        if len(w) >= 2 and person_name(w) and not explained_character(w)
                                        and before not in ("不是", "而不是", "不叫")), None)
                holder_name = holder_name or next((person_name(c) for c in re.split(r"[，,。；;]", self.text)
                                                   if person_name(c) and not MY_NAME.search(c)
                                                   and not re.match(r"\s*(不是|而不是|不应该是|不叫)", c)), None)
            if holder_name and holder_name != target.to_name and not part_put_right:
                every = re.search(r"两笔|三笔|几笔|都错|都是|全部|每笔|两个都|都改", self.text) and not ordinal
                wrong_name = target.to_name
                for transfer in (transfers if every else [target]):   # "两笔户名都错了，是张卫民"
                    if transfer is target or transfer.to_name == wrong_name:
                        transfer.to_name = holder_name
                changed = True
        phone = draft.report.victim.phone or ""
        if tail_said and re.search(r"电话|手机|号码", self.text) and phone.isdigit() and \
                not self.said.values("phone"):
            fixed = phone[:-len(tail_said)] + tail_said
            if fixed != phone:
                draft.report.victim.phone = fixed   # "电话最后三个数是二八六，不是二六八"
                changed = True
        changed = changed or self._one_character_off(transfers)   # not after a correction made ("王方应该是王芳")
        phones = [p for p in self.said.values("phone") if p.get("valid") is not False and
                  not FRAUDSTER_BEFORE.search(self.text[:p["start"]])]
        if phones:
            number, valid = mobile_number(str(phones[-1]["value"]))
            if valid and number != draft.report.victim.phone:
                draft.report.victim.phone = number
                changed = True
        about_holder = re.search(r"户名|收款|收钱|对方|那个人|他的名字|她的名字", self.text)
        named = MY_NAME.search(self.text) or (None if about_holder else re.search(
            r"我的(?:名字|姓名)(?:错了|不对|写错了)?[，,]?(?:是|叫|应该是)\s*([\u4e00-\u9fff·]{2,4})", self.text))
        if named and person_name(named.group(1)) and person_name(named.group(1)) != draft.report.victim.name:
            draft.report.victim.name = person_name(named.group(1))
            changed = True
        return changed


ONE_DIGIT = "0-9零〇一二三四五六七八九幺"
DIGIT_AT = re.compile(rf"(倒数)?第\s*([一二三四五六七八九十1-9]{{1,3}})\s*(?:位|个数字?|个号|个)(?:数字?)?(?:错了|不对|记错了)?"
                      rf"[，,]?(?:应该|应|其实)?(?:是|为|改成)\s*([{ONE_DIGIT}])(?:[，,]?\s*不是\s*([{ONE_DIGIT}]))?")
LAST_DIGIT = re.compile(rf"最后一(?:位|个数字?|个号)(?:数字?)?(?:错了|不对)?[，,]?(?:应该|应|其实)?(?:是|为|改成)\s*"
                        rf"([{ONE_DIGIT}])(?:[，,]?\s*不是\s*([{ONE_DIGIT}]))?")


LAST_DIGITS_SAID = re.compile(r"(?:最后|后|末)([两二三四五2-5])(?:位|个数字?|个号)[^0-9。]{0,16}?(?<!\d)(\d{2,5})(?!\d)")


def said_tail(text: str) -> Optional[str]:
    """The last digits of a number said again: "后四位是0128", "最后三个数是六六零" (as many digits as said)."""
    said = LAST_DIGITS_SAID.search(text.translate(SPOKEN_DIGITS))
    if said is None or len(said.group(2)) != int(said.group(1).translate(SPOKEN_DIGITS)):
        return None
    return said.group(2)


def near(digits: str, other: str) -> bool:
    """The same card number with a few digits misread or swapped (at most three positions differ)."""
    return other.isdigit() and len(digits) == len(other) and sum(a != b for a, b in zip(digits, other)) <= 3


SWAPPED = re.compile(r"(?:应该是|应为|是)\s*(\d[\d\s]{2,})[，,。\s]*(?:不是|而不是)\s*(\d[\d\s]{2,})|"
                     r"不是\s*(\d[\d\s]{2,})[，,。\s]*(?:而)?(?:应该是|是)\s*(\d[\d\s]{2,})")


def finer_minute(known: str, said: str) -> Optional[str]:
    """"…T23:00" known and "…T11:05" said of the same transfer: 23:05 on the known day."""
    if "T" not in known or "T" not in said or not known[11:16].endswith(":00"):
        return None
    hour, minute = int(said[11:13]), said[14:16]
    if minute == "00" or hour % 12 != int(known[11:13]) % 12:
        return None
    return f"{known[:14]}{minute}{known[16:]}"


def unmasked(masked: str, text: str) -> Optional[str]:
    """The full name behind "蓝*峰" / "*红梅" when the same message says it, or the surname it hides ("姓赵")."""
    single, compound = surnames()
    # one star may hide one or two characters ("*涛" for 庞志涛, as the citizen understood the app)
    pattern = re.escape(masked).replace(r"\*", "[\u4e00-\u9fff]" if masked.count("*") > 1 else "[\u4e00-\u9fff]{1,2}")
    for found in re.finditer(f"(?=({pattern}))", text):
        name = found.group(1)
        if name[0] in single or name[:2] in compound:
            return name
    said = [m.group(1) or m.group(2) for m in re.finditer(r"姓([\u4e00-\u9fff])|填的?是?([\u4e00-\u9fff])", text)]
    surname = next((s for s in said if s in single), None)
    if masked.startswith("*") and masked.count("*") == 1 and surname:
        return surname + masked[1:]   # "验证了姓赵，对上了"
    return None


def swapped_digits(value: str, text: str) -> Optional[str]:
    """"是0225 177，不是0252 177": the number with the wrong digits replaced, when they occur once in it."""
    said = SWAPPED.search(text)
    if not said or not value.isdigit():
        return None
    right, wrong = (said.group(1), said.group(2)) if said.group(1) else (said.group(4), said.group(3))
    right, wrong = re.sub(r"\D", "", right), re.sub(r"\D", "", wrong)
    if len(right) != len(wrong) or value.count(wrong) != 1:
        return None
    return value.replace(wrong, right)


def digit_fixed(value: str, text: str) -> Optional[str]:
    """"倒数第三位是1，不是6" / "第五位应该是8" / "最后一位是3": the number with that one digit changed."""
    at = DIGIT_AT.search(text)
    if at:
        position = int(at.group(2)) if at.group(2).isdigit() else int(cn2an.cn2an(at.group(2), "smart"))
        index, digit, was = (len(value) - position if at.group(1) else position - 1), at.group(3), at.group(4)
    else:
        last = LAST_DIGIT.search(text)
        if not last:
            return None
        index, digit, was = len(value) - 1, last.group(1), last.group(2)
    digit, was = digit.translate(SPOKEN_DIGITS), was.translate(SPOKEN_DIGITS) if was else None
    if not 0 <= index < len(value) or not digit.isdigit() or (was is not None and value[index] != was):
        return None
    return value[:index] + digit + value[index + 1:]


def read(draft: Draft, asked: Optional[str], said: Said, now: datetime) -> Turn:
    """Reads the citizen's message into the draft; the form then asks next_question(draft)."""
    return Reader(draft, asked, said, now).read()


def ordinal_number(word: str) -> int:
    return int(word) if word.isdigit() else "一二三四五六七八九".index(word) + 1


def format_phone(phone: str) -> str:
    return f"{phone[:3]} {phone[3:7]} {phone[7:]}" if len(phone) == 11 else phone


def grouped(digits: str, size: int = 4) -> str:
    return " ".join(digits[i:i + size] for i in range(0, len(digits), size))
