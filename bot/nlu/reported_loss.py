"""Rasa component: a message that says money already went to a scammer starts a report.

"有人冒充领导，让我给客户转了五万" reads like a question about impersonated leaders, but the citizen
has lost money: the intent becomes `report_fraud` when an amount and a past transfer are stated.
So does the citizen's own story of a scammer's approach ("我三天前接到一个电话说是银保监会的…"),
told rather than asked: the report's first question is whether money left (`reported_as`: encounter).
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_override import override_intent
from bot.nlu.scam_markers import SCAM_MARKERS
from bot.report.answers import joined_words
from bot.report.receipts import read_receipt
from bot.report.reader import NOT_PAID_YET, REPORTED_AS, asks_a_question, told_nothing_paid

REPORT_INTENT = "report_fraud"
ENCOUNTER_CONFIDENCE = 0.8     # the scam type must be this sure for a story to start a report
MIN_STORY_CHARS = 10
# Intents a reported loss may override: also a scam in progress (the report warns first) and a bare
# inform/affirm outside a report. Inside a report the form reads every message itself.
OVERRIDABLE = {"faq", "out_of_scope", "nlu_fallback", "gibberish", "greet", "thank", "goodbye",
               "bot_challenge", "ask_capabilities", "scam_in_progress", "inform", "affirm", "deny"}
PAST_TRANSFER = re.compile(r"(转|汇|打|付|充|交|投|给|借|骗|补|垫|被骗走|卷走)了|转过去|转出去|打过去|被骗|转走|(转|打|汇)给")
# Money has left, with or without an amount: "我已经把钱转到他说的安全账户了", "交了解冻金",
# "付了钱就被拉黑了", "……我转了钱", "还有一笔".
# "我是跑去柜台转的": told as done (not "我是不是应该转的", "我是想问…怎么转的", "…转的吗")
TOLD_AS_DONE = r"(?:我|俺)是(?!不是)[^，,。？?吗怎如想问要会]{0,10}(?:转|汇|付|交|充)的(?![^。]*[吗呢？?])"
STATED_LOSS = re.compile(
    r"被.{0,10}骗(了|走|去)?|(叫|让|给)人.{0,4}骗|给骗了|上当了|受骗了|遇到骗子|碰到骗子|钱.{0,6}(被骗|被转走|没了|被卷走|要不回来|拿不回来|提不出来|"
    r"取不出来|提不了现|不见了)|被转走了|骗走了|把钱.{0,12}(转|汇|打|给|交|存)|"
    r"(我|俺|咱|本人|已经|都|刚|刚刚|早就|全部|一共|总共|前后|钱).{0,12}(转|汇|打|付|交|充|投|给|存|垫)(了|过去|出去|进去|进了|到了|给了)|"
    # did what the caller said on the phone: money may have left unseen (the report checks)
    r"(让我|叫我|他)(下载|下|装|安装)了|开了.{0,4}(屏幕共享|共享屏幕|远程)|按(他|她|对方)说的.{0,8}操作|"
    r"(转|汇|打|付|交|充|垫|投|花)了.{0,6}(钱|款|\d|[一二两三四五六七八九十百千万几]+[万千百块元])|"
    r"交了.{0,8}(金|费|钱)|付了.{0,4}(钱|款)|(付|转|交|打|汇|垫)(完|了|过去).{0,15}(拉黑|联系不上|找不到|不回|删了|消失|不见|关机|停机|打不通|跑路)|"
    r"还有一笔|又转了|还转了|另外还转|第二笔|(转|交|付|打|汇|充|垫)完(以后|之后|后|他|她|对方|说|又)|"
    r"把钱(追|要|拿|找)回来|被骗的钱|钱.{0,4}(能|还能|可以)?(追|要|拿)回|提不出来|提不了现|提现不了|无法提现|不给提现|"
    r"我.{0,6}(转|汇|打|付|交|充)(钱|款)|骗了(我|俺)|(弄|扣|划|卷|骗)走|发了.{0,6}红包|(我|就)(专|冲|充)了|充值了|冲值|"
    rf"{TOLD_AS_DONE}|"
    r"联系不上|找不到人|失联了|(把我|给我)(拉黑|删)|拉黑了我|(垫|转|交|付|打)(了|过去|钱)[^。？?]{0,40}打不通了?[^。？?]{0,14}(也|都)不回|"
    # said in other words: "被人坑了三千块", "付款后卖家消失了", "骗子把我钱卷跑了", "我中招了", "卡里没钱了"
    r"被人?坑了|坑了我|(付款|付钱|转账|转钱|打款|汇款)(后|之后|以后|完)|(投资|理财|平台|炒股|炒币|带单|导师|老师|群里).{0,20}亏了.{0,4}(万|千|百|钱)|充了.{0,6}(会员|钱|费|值)|"
    r"(卷|拐)(跑|走)|跑路了|中招了|中了(圈套|套路)|(遇到|碰到|遭遇|遇上)了?(诈骗|电诈|骗局)|提不出钱|取不出钱|"
    r"卡里(的钱)?没(钱)?了|(钱|都|全|全部)[^，,。？?]{0,6}转走了|(转|汇|打)(出去|掉)了|"
    r"(?<![想要打算准备计划])把[^，,。？?]{0,10}(钱|块|元|万|千|钿)[^，,。？?]{0,4}(转|汇|打|交)(到|给|进|过去|出去|了)[^，,。？?]{0,16}(去了|了)|"
    # money taken from the account unseen: "好像扣款了", "余额少了七千二"
    r"扣款了|被扣(了)?款|扣了.{0,6}(钱|块|元|\d|[一二两三四五六七八九十百千万]+)|(余额|卡里的?钱|账户里的?钱).{0,4}(少了|不对|没了|被扣)|"
    # asking to report is a report: "我要报案！那个贷款APP就是骗子"
    r"(我|俺)?(要|想|来)报(个|一下)?(案|警)|报个(案|警)|^\s*报(案|警)(?![^。]*[吗呢？?])(?!要|电话|需要|流程|怎么|在哪|去哪|找|的|材料|有用|能|可以|后|以后|之后)|"
    # "充完系统说我连单了", "钱已经给他们了", "说好返本金": told as done
    r"(?<![等要先])(转|交|付|打|汇|充|垫)完(?!了?[吗没]|再|就)|(转|汇|打|付|给|交)(给)?(他|她|对方|人家|骗子|那人)们?了|"
    r"说好.{0,12}(返|退|还)(我)?本金|本金.{0,4}(不退|不返|不给|拿不回|要不回|取不出|提不出)|"
    r"(说|显示|提示)(我|我的)?.{0,6}(连单|卡单|操作超时|任务超时|单子超时)")
# Told only by what followed: the platform holding the money closed, the money did not come back, a fee
# was taken, loans were passed on, the balance dropped ("平台打不开了 里面还有四万", "收了我八千包装费").
INDIRECT_LOSS = re.compile(
    r"(平台|app|APP|软件|网站|网页|账户|群).{0,8}(打不开|登不上|登不进|进不去|关了|关闭了|解散了|维护中|跑路)|"
    r"(取|提|拿)不(出|回)|动不了|没回来|不退了|不给退|(一分|一毛|一个子儿?)(钱)?都?(没|不|拿不|取不|提不)|"
    r"收了(我|俺|她|他|我们|我妈|我爸)?.{0,10}(费|钱|块|元|万|千)|收了钱|"
    r"(借|贷)(了|出来的|来的).{0,12}(转|打|给|汇|交)|"
    r"(零钱|余额|卡|账上|账户里|钱包).{0,6}(没了|少了|空了|被刷|被扣|被转|不见)|(被)?刷走|少了钱|就少了|"
    r"转出(了)?[一二两三四五六七八九十百千万\d]|多了.{0,4}消费|钱.{0,6}过去了|才转的|就转了|"
    r"(我|俺|就|都|全).{0,4}(寄|投|押|砸)(了|进去|过去)|拿出(去|来)了|刷了?.{0,6}礼物|骗(脱|惨)|遭.{0,6}骗|"
    r"买了.{0,10}(疗程|治疗仪|保健品|理疗)|(交|充|付|转)了.{0,6}(还是|也|都|仍然|依然)(提|取)不|"
    r"(一次次|一次又一次|一直|不停|接二连三)(的|地)?(交|转|充|打|付|汇)|(借|转|打|汇)(钱|款)给.{0,8}了|"
    r"骗局.{0,6}(我|就|也)中了|投了.{0,10}(项目|理财|基金|产品|平台)|钱.{0,4}被扣了|"
    r"(千|万|百|块|元|钱)没了|(转|交|付|打|汇|垫)了\s*(钱)?\s*(就)?没了|被盗?刷|盗刷|(钱|卡).{0,4}被人?取|钱少了|"
    r"(收到|来了).{0,4}(转账|扣款|消费|支出)(通知|短信|提醒)|买了.{0,10}的?药|没影了|人(就)?没了|"
    r"人(就|也)?(找不到|联系不上)了|照做了|照办了|听(了)?(他|她|对方)的.{0,4}(转|打|汇|交|付)|"
    # "后面两单钱没返回来", "买的东西到现在也没寄来，电话也打不通了"
    r"(钱|单|本金|佣金|本钱).{0,4}没(有)?(返|退|还|打)(回来|给我|回)|"
    r"(没(寄|发|到|收到)|不发货|一直没(寄|发|到)).{0,15}(打不通|不接|不回|联系不上|拉黑|删了|找不到|注销|关机)")
PAID_A_SUM = re.compile(r"(转|汇|打|付|交|充|投|补|垫)了[^，。,.?？]{0,4}(\d|[一二两三四五六七八九十百千万]+)(万|千|块|元|\d)")
HYPOTHETICAL = re.compile(r"会不会|不会|可能|能不能|是不是|怎么|万一|如果|要是|担心|怕")   # "平台会不会突然打不开"
DEMAND = re.compile(r"(让|叫|要|要求|逼|催)我|说(要|让)?(我)?把钱|要先(转|交|付|充)")
COMPLETED = re.compile(r"(转|交|付|打|汇|给|充|存|投|垫|花)(了|过去了|完了|过了|过去|出去)|亏了|(转|汇|打|付|给|交)(给)?(他|她|对方|人家|骗子|那人)们?了|(转|交|付|打|汇|充|垫)完(以后|之后|后|他|她|对方|说|又)|已经|都转|全转|被骗|骗了|骗走|"
                       r"(弄|扣|划|卷)走|联系不上|拉黑|提不出|我就(转|专|交|付)|(专|冲)了|(下载|下|装|安装)了|开了.{0,4}共享|"
                       r"按.{0,3}说的.{0,8}操作|发了.{0,6}红包|(要|想)报(案|警)|报个(案|警)|"
                       # what followed the demand: "让我扫码 钱没了", "让我垫钱 垫完人就没了", "我照做了"
                       r"没了|少了|被盗?刷|盗刷|被人?取|被转走|转走了|找不到|没影|不见了|照做了|照办了|听(了)?他的|"
                       r"(追|要|拿)回|(转|交|付|打|汇|充|投|垫)(进去|给)|(转|交|付|打|汇|充|垫)完(人|就)|"
                       r"(转|汇|打|存)(到|进)[^，,。？?]{0,14}(去了|里了)|(转|汇|打)(出去|掉)了|"
                       # what followed: the money stuck on the platform, the other side gone
                       r"提不了现|提现不了|无法提现|不给提现|打不通了?[^。？?]{0,14}(也|都)不回|不回(我|消息|信息)了|"
                       rf"{TOLD_AS_DONE}")
NOT_A_LOSS = re.compile(r"(别|不|防止|避免|以免|怕|不要|免得)被.{0,8}骗|如果|(?<![一二两三四五六七八九十百千\d多余来])万一(?![千百十])|要是|假如|怎么(知道|判断|防|避免|报案|报警)|如何(防|避免|判断|报案|报警)|在哪(里)?报|"
                        r"防止被骗|避免被骗|以免被骗|怕被骗|不被骗|别被骗|不要被骗|还没(有)?(转|汇|打|付|给|交)|没有转|没转|"
                        r"差点|幸好|要不要转|该不该转|能不能转|准备转|打算转|不(转|给|打|交|汇)钱?就[^，,。]{0,8}(发|曝光|公开|散布)(?![^。]*(我|就)(转|交|给|打|汇)了)")   # "不转钱就发出去": a threat

# Someone approached the citizen (or their family): a call, a message, an add; someone claiming to be someone.
APPROACHED = re.compile(
    r"(接到|接了|收到|来了)(一个|一通|一条|个|条|了)?.{0,8}(电话|短信|消息|信息|微信|私信|视频|来电)|"
    r"(有|一)个.{0,6}(人|男的|女的|号码|陌生|的).{0,20}(说|自称|冒充|让我|叫我|要我|找我|加我|联系我)|"   # "有个部队的说…"
    r"有人.{0,4}(打电话|打来电话|来电话|发短信|发消息|发信息|加我|联系我|找我)|"
    r"(有|一)个.{0,4}(警察|警官|公安|民警|法官|检察官|客服|老师|领导|经理|快递员?|银行的|部队的).{0,4}"
    r"(打电话|打来|来电|发短信|发消息|加我|找我|联系我)|"
    r"(打电话|打来电话|发短信|发消息|发信息)(给|跟)?(我|俺)|(他|她|对方|那人)(又|再)?(打电话|打来电话|来电话|发消息|发微信)(来)?(说|讲)|(加了?|联系|找到|找上|私信)(我|俺)|(上|来|就|又)找(我|俺)|给(我|俺)打|"
    r"(公安局|公安|派出所|法院|检察院|银行|快递|客服|部队|医保局|社保局|电信|移动|联通)的人(打电话|打来|说|讲|让|叫|要)|"
    r"自称|冒充|假冒|(说|说他|说她|说自己)是.{1,12}(的|客服|警官|民警|公安|法院|检察院|银行|快递|领导|老板|老师|"
    r"工作人员|专员|理赔|部门)|"
    # no call: the citizen went to the scam (a platform, an app, a side job, a group) and tells what followed
    r"(我|俺).{0,4}(在|上|用|通过|从)(网上|网络|手机|APP|app|平台|群里|.{1,4}(上|里)).{0,10}"
    r"(申请|贷款|借款|代款|网贷|刷单|兼职|任务|投资|理财|炒股|博彩|充值|认识|交友|游戏).{0,30}(说|要|让|叫)|"
    r"(我|俺).{0,3}(做|接|玩|参加|加入)了?.{0,12}(刷单|兼职|任务|投资|理财|项目|炒股|博彩|群).{0,30}(说|要|让|叫)|"
    # the scammer's demand, told as it happened ("他让我把钱转到安全账户")
    r"(他|她|对方|那人|那个人|那边|骗子|客服|警官)(们)?.{0,3}(让|叫|要|要求|逼|催)(我|俺)|"
    # a story of the citizen's own deal: "我给我弟买个游戏皮肤，结果……", "交易群里看到有人便宜出"
    r"(我|俺).{0,8}(买|卖|租|订|办|充|投|借|贷|下单|交易).{0,20}(结果|后来|谁知|没想到|哪知)|"
    r"有人.{0,10}(卖|出|便宜|低价|转让|代购|推荐|私信|加我|联系我)|"
    # a relative or acquaintance "called": "我孙子打电话说他出事了，要我打钱"
    r"(孙子|孙女|外孙|外孙女|儿子|女儿|闺女|侄子|外甥|老公|老婆|同学|朋友|领导|老板|亲戚)[”\"」』']?(给(我|俺))?"
    r"(打电话|打来|来电话|发消息|发信息|发短信|发微信|在微信上|在QQ上)")
DEMAND_MONEY = re.compile(r"(让|叫|要|要求|逼|催)(我|俺|她|他).{0,8}(打钱|转钱|转账|汇钱|汇款|打款|交钱|给钱|付钱|充值|借钱|垫钱|垫付|"
                          r"(?:交|付|缴)[了个笔]?(?:解冻|保证|激活|认证|会员|手续|工本|服务|税|入库|验资|押|定|订|风控|刷流水|"
                          r"解封|提现|升级|通道|保险|个税|违约|审核|公证)(?:金|费|税)?)|"   # "让我交解冻金"; not 交通费, 物业费
                          r"要(赔钱|私了|交保释金|交赎金)")   # "打伤了人，要赔钱私了": the grandchild scam
STORY_TELLER = re.compile(r"我|俺|咱|本人|家里|我家")
# Extortion ("裸聊" videos, threats): a crime to register whether or not money has left yet
EXTORTED = re.compile(r"(?<![担怕心别])(我|俺)(被|让|叫)(人|他们|对方)?(敲诈|勒索)|(敲诈|勒索)(我|俺)|(我|俺)?(被人|被他们)(敲诈|勒索)|"
                      r"(不给钱|不转钱|不打钱).{0,8}(发给|发到|曝光|公开|散布)")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ReportedLossDetector(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "ReportedLossDetector":
        return cls()

    @staticmethod
    def reports_loss(message: Message) -> bool:
        text = joined_words(message.get(TEXT) or "")
        amounts = [e for e in message.get(ENTITIES) or [] if e.get("entity") == "amount"]
        indirect = any(not HYPOTHETICAL.search(text[max(0, m.start() - 6):m.end()]) for m in INDIRECT_LOSS.finditer(text))
        paid_sum = any(not HYPOTHETICAL.search(text[max(0, m.start() - 6):m.start()]) for m in PAID_A_SUM.finditer(text))
        if paid_sum and not (told_nothing_paid(text) or NOT_PAID_YET.search(text)):
            return True   # "有个人说如果不注销会影响征信 我就听他的转了十二万": whatever the scammer said
        receipt = read_receipt(text, datetime.now(timezone.utc))
        if receipt and "amount" in receipt.fields and len(receipt.fields) >= 2 and not asks_a_question(text):
            return True   # a bank SMS or a transfer receipt pasted into the chat: the transfer it shows
        if NOT_A_LOSS.search(text) or (DEMAND.search(text) and not (COMPLETED.search(text) or indirect)):
            return False   # "他现在让我把钱转到安全账户": asked to pay, not paid (the warning comes first)
        return (bool(amounts) and bool(PAST_TRANSFER.search(text))) or bool(STATED_LOSS.search(text)) or indirect

    @staticmethod
    def tells_an_encounter(message: Message) -> bool:
        """The citizen tells (not asks about) a scammer's approach to them, and the scam type is clear."""
        text = joined_words(message.get(TEXT) or "")
        scam_type = message.get("scam_type") or {}
        clear_type = scam_type.get("name") not in (None, "none") \
            and float(scam_type.get("confidence") or 0) >= ENCOUNTER_CONFIDENCE
        marked = bool((message.get(SCAM_MARKERS) or {}).get("markers"))   # "安全账户": a scam whatever its type
        asked_for_money = bool(DEMAND_MONEY.search(text))   # "我孙子打电话说他出事了，要我打钱": a scam, whatever its type
        return len(text) >= MIN_STORY_CHARS and (clear_type or marked or asked_for_money) \
            and bool(APPROACHED.search(text)) and bool(STORY_TELLER.search(text)) and not asks_a_question(text)

    @staticmethod
    def tells_extortion(message: Message) -> bool:
        text = joined_words(message.get(TEXT) or "")
        return bool(EXTORTED.search(text)) and not asks_a_question(text)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            if intent not in OVERRIDABLE:
                continue
            if self.reports_loss(message):
                reported_as = "loss"
            elif intent != "scam_in_progress" and (self.tells_an_encounter(message) or self.tells_extortion(message)):
                reported_as = "encounter"   # in progress: the warning and "can you stop?" come first
            else:
                continue
            override_intent(message, REPORT_INTENT)
            message.set(REPORTED_AS, reported_as, add_to_output=True)
        return messages
