"""What the bot says to ask for each field of the report; repeats are shorter and patient."""
from __future__ import annotations

from datetime import datetime

from bot.extract.phones import mobile_shaped
from bot.extract.banks import find_banks
from bot.report.dialogue import CONFIRM, DETAIL, MONEY_SENT, MORE, VICTIM_NAME, VICTIM_PHONE, Draft
from bot.report.model import UNKNOWN
from bot.report.reader import ROUGH_AMOUNT_NOTE, format_phone, grouped

FIRST_ASK = {
    MONEY_SENT: "先问一下：钱已经转出去了吗？（回复“转了”或“还没转”）",
    "to_account": "对方收款的银行卡号或账号是多少？可以一位一位地说，也可以直接粘贴。",
    "amount": "这一笔转了多少钱？",
    "time": "是什么时候转的？大概时间就行，比如“十分钟前”“昨天晚上八点”。",
    "to_bank": "对方收款账户是哪个银行的？（不知道可以说“不知道”）",
    "to_name": "对方收款账户的户名（收款人姓名）是什么？转账记录里一般能看到；不知道可以说“不知道”。",
    "channel": "您是通过什么方式转的？银行转账、支付宝、微信还是云闪付？",
    "from_account": "您是从自己哪张卡或哪个账户转出去的？（说卡号，或者说“支付宝”“微信零钱”）",
    MORE: "除了这一笔，还有其他转账吗？（回复“有”或“没有了”）",
    VICTIM_NAME: "请问您怎么称呼？请告诉我您的姓名。",
    VICTIM_PHONE: "请留一个能联系到您的手机号，民警会和您联系。",
}
# After a reply that did not fit: say what kind of answer is needed.
CLARIFY = {
    MONEY_SENT: "钱已经转出去了吗？转了请回复“转了”，还没转请回复“没转”。",
    "to_account": "请告诉我对方收款的卡号（一般是16到19位数字）；实在找不到可以说“不知道”。",
    "amount": "这一笔转了多少钱？说个数就行，比如“五万”或“50000元”；不记得可以说“不知道”。",
    "time": "大概是什么时候转的？比如“半小时前”“昨天晚上八点”；记不清可以说“不知道”。",
    "to_bank": "对方的收款卡是哪个银行的？比如“工商银行”“建行”；不知道可以说“不知道”。",
    "to_name": "收款人的名字叫什么？比如“张伟”，转账记录上写的户名；不知道可以说“不知道”。",
    "channel": "是怎么转的？请从这几种里选一种：银行转账、支付宝、微信、云闪付，或者说“其他”。",
    "from_account": "钱是从您自己哪个账户转出的？比如“工行卡尾号1234”或“支付宝”；不知道可以说“不知道”。",
    MORE: "还有别的转账吗？有请回复“有”，没有请回复“没有了”。",
    VICTIM_NAME: "请告诉我您的名字，比如“王芳”。",
    VICTIM_PHONE: "请说一下您的11位手机号，民警要联系您。",
    CONFIRM: "以上信息都对请回复“对”；哪里不对请直接说出正确的内容，我来改。",
}
PATIENT = "不着急，您慢慢找，找到了再告诉我。"
# "不想说": why the officer needs it, asked once more (a second no is respected)
DECLINED = {
    VICTIM_NAME: "理解您的顾虑。报案信息只有办案民警能看到，银行止付时也要登记报案人，说个姓也可以。请问您怎么称呼？",
    VICTIM_PHONE: "理解您的顾虑。号码只用于民警联系您核实止付，不会给其他人。请留一个能联系到您的手机号；实在不方便可以说“不留”。",
}
# After a first "不记得": a rough answer still helps the bank find the transaction.
ROUGH = {
    "time": "记不清也没关系，说个大概就行：是今天还是昨天，大概几点或者多久以前？（实在想不起来可以说“不知道”）",
    "amount": "说个大概的数也行，大概转了多少钱？比如“五千左右”。（实在想不起来可以说“不知道”）",
    "from_account": "说个大概就行：钱是从您自己哪个银行的卡转出的，还是支付宝、微信？（实在不知道可以说“不知道”）",
    VICTIM_PHONE: "民警要打电话联系您。可以在手机“设置”里的“本机号码”看一下，或者问问身边的家人：您的手机号是多少？"
                  "留一个家人的手机号也行；实在没有可以说“没有”。",
}


COME_BACK = {   # a stop-payment field put off earlier ("等我找找"), asked once more
    "amount": "刚才没说清的转账金额，现在找到了吗？转账记录上能看到，转了多少钱？实在不知道可以说“不知道”，民警会跟您核实。",
    "to_account": "刚才没说清的对方收款账号（银行卡号，或对方的支付宝、微信账号），现在找到了吗？转账记录里能看到，"
                  "可以一位一位地说，也可以直接粘贴；实在找不到可以说“不知道”，民警会跟您核实。",
}


def question_text(draft: Draft, asked: str, detail_question: str, summary: str) -> str:
    """What the bot says to ask `asked`; repeats are shorter and patient."""
    pending = draft.pending
    if pending and pending["field"] == asked == "to_account":
        value = pending["value"]
        return (f"您说的对方卡号是 {grouped(value)}，共{len(value)}位。这个号码校验没有通过，可能有一位记错了。"
                "请对照转账记录再核对一遍：确认无误请回复“对”，有误请重新说一遍卡号。")
    if asked == "to_account" and draft.wallet_asked and draft.current.to_account is None:
        where = "点对方头像能看到微信号" if draft.wallet_asked == "微信" else "账单详情里能看到对方账户（手机号或邮箱）"
        return (f"那对方的{draft.wallet_asked}账号是多少？在{draft.wallet_asked}的转账记录里{where}，"
                f"{draft.wallet_asked}可以据此冻结；实在找不到可以说“不知道”。")
    if asked == "to_account" and draft.own_card_offered and draft.current.to_account is None:
        return (f"{grouped(draft.own_card_offered)} 是您自己转出钱的那张卡。对方收款的卡号是多少？转账记录的"
                "“收款账号”或“对方账户”一栏能看到。要是确实就是这个号码，请再说一遍；找不到可以说“不知道”。")
    if asked in ("to_account", "from_account") and draft.partial_card:
        whose = "您付款卡的卡号" if asked == "from_account" else "卡号"   # not the fraudster's card the citizen also has
        rest = "请说付款卡后面的数字。" if asked == "from_account" else "请说卡号后面的数字。"
        return f"好的，{whose}前面是 {grouped(draft.partial_card)}，共{len(draft.partial_card)}位。{rest}"
    if pending and pending["field"] == asked == VICTIM_PHONE:
        value = pending["value"]
        if mobile_shaped(value):
            return (f"您说的号码是 {format_phone(value)}，这个号段不常见，请再核对一下：没错请回复“对”，"
                    "有误请重新说一遍手机号。")
        return f"您说的号码是 {value}，共{len(value)}位，不是有效的手机号（手机号是11位）。请再说一遍您的手机号。"
    if asked == MONEY_SENT and draft.money_sent is False and draft.remote_risk:
        return ("对方让您装过软件、开过屏幕共享或要过验证码，钱可能在您不知道的时候被转走了。"
                "请现在打开银行APP、支付宝或微信看一下，钱有没有被转走？（回复“有”或“没有”）")
    told_next = draft.announced.get(str(len(draft.report.transfers) + 1), {}).get("amount")
    if asked == MORE and draft.last_reply is None and isinstance(told_next, float):
        return f"您刚才还说到一笔{told_next:g}元。还有这一笔转账对吗？（回复“有”或“没有了”）"
    if asked == CONFIRM:
        if draft.last_reply in ("deny", "failed", "filler"):
            return CLARIFY[CONFIRM]
        return summary
    if asked == DETAIL:
        return detail_question
    if asked in draft.deferred and getattr(draft.current, asked) == UNKNOWN:
        return COME_BACK[asked]
    if asked == "from_account" and draft.last_reply is None and not draft.paying_differs and not draft.paying_tail_asked:
        previous = draft.previous_transfer()
        if previous and previous.from_account not in (None, UNKNOWN):
            return f"这一笔也是从{spoken_account(previous.from_account)}转出的吗？（是请回复“是”，不是请说是哪张卡）"
    if asked == "from_account" and draft.paying_tail_asked and draft.paying_hint and draft.last_reply is None:
        if not find_banks(draft.paying_hint):
            said_back = draft.paying_hint.replace("我", "您").replace("俺", "您")   # "我老伴的卡" → "您老伴的卡"
            this_one = "这个存折" if "存折" in said_back else "这张卡"
            return f"钱是从{said_back}转出的，{this_one}是哪个银行的、尾号（最后四位）是多少？（不知道可以说“不知道”）"
        return f"您是从这张{draft.paying_hint}转出的，它的尾号（最后四位）是多少？（不知道可以说“不知道”）"
    if asked == "to_name" and draft.masked_holder and draft.current.to_name is None and draft.last_reply is None:
        return (f"转账记录上只显示了“{draft.masked_holder}”，收款人（户名）的全名您知道吗？聊天记录、对方发来的收款信息"
                "或证件照片上可能有；不知道就说“不知道”。")
    if asked == "to_name" and draft.holder_surname and draft.current.to_name is None and draft.last_reply is None:
        return f"收款人姓{draft.holder_surname}，户名的全名叫什么？转账记录上能看到；实在不知道可以说“不知道”。"
    if asked == VICTIM_NAME and draft.report.victim.name is None and draft.last_reply is None and (
            draft.nickname_given or draft.others_name_given):
        if draft.nickname_given:
            return "好的，请问您的全名是？（身份证上的名字，比如“吕嘉豪”）"
        return "好的。那请问您本人怎么称呼？（您自己的姓名）"
    if asked == VICTIM_NAME and draft.victim_surname and draft.report.victim.name is None:
        return f"好的，请问您的全名是？（姓{draft.victim_surname}，名字叫什么？）"
    if draft.last_reply == "approximate" and asked == "amount" and any(
            w.startswith(ROUGH_AMOUNT_NOTE) for w in draft.report.warnings):
        return "转账记录上能看到准确的金额，方便的话看一下，具体转了多少钱？（看不了就说“不知道”，按大约的数登记）"
    if draft.last_reply == "approximate" and asked in ROUGH:
        return ROUGH[asked]
    if draft.last_reply == "declined" and asked in DECLINED:
        return DECLINED[asked]
    if draft.last_reply == "filler":
        return f"{PATIENT}{FIRST_ASK.get(asked, CLARIFY.get(asked, ''))}"
    if draft.last_reply == "scanned" and asked == "channel":
        return "扫码或点链接付款时，是用什么方式转的：支付宝、微信、云闪付，还是银行APP？"
    if draft.last_reply == "failed":
        return f"抱歉，我没听明白。{CLARIFY.get(asked, FIRST_ASK.get(asked, ''))}"
    if draft.last_reply == "aside":
        return f"我们接着登记：{FIRST_ASK.get(asked, CLARIFY.get(asked, ''))}"
    if asked == "time" and draft.rough_clock and draft.last_reply is None and draft.current.time is None:
        clock = datetime.fromisoformat(draft.rough_clock)
        part = "凌晨" if clock.hour < 6 else "上午" if clock.hour < 12 else "中午" if clock.hour < 13 else \
            "下午" if clock.hour < 18 else "晚上"
        hour = clock.hour if clock.hour <= 12 else clock.hour - 12
        return (f"您说是{clock.month}月{clock.day}日{part}{hour}点多转的，具体是几点几分？转账记录上能看到准确时间；"
                "记不清可以说“不知道”。")
    if asked == "time" and draft.hour_asked and draft.vague_time and "T" not in draft.vague_time \
            and draft.last_reply is None:
        day = datetime.fromisoformat(draft.vague_time)
        return f"是{day.month}月{day.day}日几点左右转的？大概就行，比如“晚上八点多”“两个小时前”；记不清可以说“不知道”。"
    if asked == "amount" and len(draft.report.transfers) > 1:
        return "这一笔转了多少钱？"
    if asked == "time" and len(draft.report.transfers) > 1:
        return "这一笔是什么时候转的？"
    return FIRST_ASK[asked]


def spoken_account(account: str) -> str:
    """A paying account as said back to the citizen: "尾号3122的卡", "支付宝余额"."""
    return f"您尾号{account[-4:]}的卡" if account.isdigit() else account


def shown_account(account: str) -> str:
    return grouped(account) if account.isdigit() else account
