import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.reported_loss import ReportedLossDetector

FIVE_WAN = {"entity": "amount", "value": 50000, "start": 0, "end": 2}


def run(text, intent, entities):
    message = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 0.9}, ENTITIES: entities})
    ReportedLossDetector().process([message])
    return message.get(INTENT)["name"]


@pytest.mark.parametrize("text", ["有人冒充我们领导加我微信，让我给客户转了五万", "我投了五万现在提不了现"])
def test_a_stated_loss_starts_a_report(text):
    assert run(text, "faq", [FIVE_WAN]) == "report_fraud"


@pytest.mark.parametrize("text", ["对方说他是公安，我把钱转到了他说的安全账户",
                                  "买家让我在交易平台交了保证金，钱被骗了", "按他说的操作，钱被转走了",
                                  "我已经把钱转到他说的安全账户了", "……我转了钱", "交了解冻金", "付了钱就被拉黑了", "校园贷注销 转了 他关机了",
                                  "还有一笔", "俺在网上做那个刷单的活，钱转过去了人家不给返了", "我好像叫人给骗了",
                                  "他让我下载了一个会议软件，然后让我按他说的在手机上操作，不知道是不是骗子",
                                  "你们能帮我把钱追回来吗", "平台上显示赚了很多，但是提不出来", "我先转钱买币，再充到平台上",
                                  # writer L's openings: 充完, an amount with 万一 in it, angry, ASR spaces
                                  "后来有一单要充一万一千五，充完系统说我“连单”了，还要再充",
                                  "什么狗屁兼职！说好做完三单就返本金加佣金，做到第三单又说我操作超时要重做！",
                                  "我 那个 征信 有 逾期 网上 找了 个 说 能 帮 修复 征信 的 我 钱 已经 给 他们 了",
                                  # writer S: a deduction seen, not made; the scammer's demand then the payment
                                  "我按他说的在手机上点了好多东西，好像扣款了我也不知道，现在有点慌",
                                  "三天前他让我交签证服务费，而且不收人民币，只收USDT，我就在交易所买了U转给他了",
                                  # said in other words
                                  "被人坑了三千块", "网上买手机，付款后卖家消失了", "我在网上认识个女的，让我投资，亏了十几万",
                                  "充了会员说要解冻", "骗子把我钱卷跑了", "我中招了", "我遇到诈骗了", "投资平台提不出钱了",
                                  "有个人说帮我注销校园贷，我照做了，现在卡里没钱了"])
@pytest.mark.parametrize("intent", ["faq", "scam_in_progress", "goodbye", "affirm"])
def test_a_loss_without_an_amount_starts_a_report(text, intent):
    assert run(text, intent, []) == "report_fraud"


@pytest.mark.parametrize(
    "text, intent, entities",
    [
        ("出租银行卡犯法吗", "faq", []),                       # no amount
        ("要是被骗了，应该怎么办才好", "faq", []),             # a hypothetical, not a loss
        ("五万块的理财靠谱吗", "faq", [FIVE_WAN]),             # an amount, but nothing was sent
        ("他现在让我转五万", "scam_in_progress", [FIVE_WAN]),  # nothing sent yet: the warning comes first
        ("他让我转钱，我还没转", "scam_in_progress", []),
        ("如果我转了钱怎么办", "faq", []),
        ("刷单返本金是真的吗", "faq", []),
        ("卡单是什么意思", "faq", []),
        ("等我转完再说", "faq", []),
        ("万一被骗了怎么办", "faq", []),
        ("好的", "affirm", []),
        ("有人让我下载会议软件，我没下", "faq", []),
    ],
)
def test_other_messages_keep_their_intent(text, intent, entities):
    assert run(text, intent, entities) == intent


@pytest.mark.parametrize("text", ["我要报案！那个什么贷款APP就是骗子！", "有人冒充银保监会的说要帮我注销网贷账户，骗了我两次钱",
                                  "然后让我在借呗上借出来 专账给他们 我就专了", "我就信了，现在厂家和他都联系不上了",
                                  "然后直接从我卡里扣走了五千！", "我给那个客服发了好几个红包！"])
def test_more_ways_of_saying_money_is_gone_or_asking_to_report(text):
    assert run(text, "faq", []) == "report_fraud"


@pytest.mark.parametrize("text", ["怎么报案", "在哪里报警比较快"])
def test_asking_how_to_report_is_a_question(text):
    assert run(text, "faq", []) == "faq"


@pytest.mark.parametrize("text", ["怎么让家里人别被电话里的骗子骗", "网贷说我征信不好要先交钱才能放款",
                                  "信用卡自动扣款失败怎么办", "怎么避免被坑", "炒股亏了怎么办"])
def test_advice_and_demands_stay_questions(text):
    assert run(text, "faq", []) == "faq"


def run_story(text, intent="faq", scam_type=("credit_repair", 0.97)):
    message = Message(data={TEXT: text, INTENT: {"name": intent, "confidence": 0.9}, ENTITIES: [],
                            "scam_type": {"name": scam_type[0], "confidence": scam_type[1]}})
    ReportedLossDetector().process([message])
    return message.get(INTENT)["name"], message.get("reported_as")


@pytest.mark.parametrize("text", [
    "你好，我三天前接到一个电话说是银保监会的，说我大学时候在网上借过贷款，现在要消除记录",
    "刚才有个人说是中通快递理赔部的，说我的包裹丢了要赔我三倍，让我下一个会议软件开屏幕共享，我觉得不对劲就挂了",
    "有人在QQ上冒充我们老板让我转二十万，我打电话问了老板，是假的，钱没转",
    "我妈上午接了个电话，对方自称是法院的，说她有一张传票",
    # no call or message: the citizen went to the scam themselves (a platform, an app, a side job)
    "我在网上申请了一笔贷款，额度批下来了，可是说我卡号填错账户冻结了，要交钱才能解冻",
    "我在抖音上接了个点赞的兼职，前几单都返了佣金，现在说我任务没做完要继续充值",
    "嗯，你好啊，我是给我弟买个游戏皮肤，结果……唉，怎么说呢",
    "就是CSGO的皮肤，在一个交易群里看到有人便宜出，说是什么“龙狙”，我弟念叨好久了",
    "我做了一个投资理财的群里推荐的项目，现在平台说要交税才能提现",
    # the scammer's demand, told as it happened
    "他让我把钱转到一个安全账户，说查完就退回来",   # (the pipeline has turned 繁體 into simplified)
    "对方叫我下载一个APP，说要核实我的身份",
    "昨天上午老板在微信上找我，说有个供货商的货款急着付，让我直接打到对方公司账户",
    "有个警察打电话说我的身份证被人拿去办了卡，在外面洗钱，让我把钱转去核查",   # writer M
    "喂，是反诈中心吗？我孙子打电话说他出事了，要我打钱……",   # writer S: greeted with a question
    "我儿子叫我打这个电话，说我碰到骗子了，公安局的人说我的卡涉嫌洗钱",   # writer T
    "今天他打电话说部队还要采购一批军用帐篷，让我先帮忙从他们指定的厂家进货，说部队结账的时候一起给我，我就信了，唉",
])
def test_the_citizens_own_story_of_a_scammers_approach_starts_a_report(text):
    assert run_story(text) == ("report_fraud", "encounter")


@pytest.mark.parametrize("text, intent, scam_type", [
    ("我接到一个电话说是银保监会的，这是诈骗吗", "faq", ("credit_repair", 0.97)),        # asked, not told
    ("我今天接到一个快递电话，说快递放驿站了", "faq", ("none", 0.67)),                    # no scam in it
    ("我接到一个电话说是银行的，说我信用卡逾期", "faq", ("credit_repair", 0.6)),          # type unsure
    ("他现在打电话给我说他是公安，让我别挂", "scam_in_progress", ("impersonate_police", 0.99)),  # the warning first
    ("冒充公检法诈骗有哪些特点", "faq", ("impersonate_police", 0.99)),                   # nobody approached the citizen
    ("如果对方让我把钱转到安全账户怎么办", "faq", ("impersonate_police", 0.99)),          # asked, not told
    ("我在网上申请贷款要注意什么", "faq", ("loan", 0.9)),                               # asked, not told
    ("我在网上买了件衣服，卖家说明天发货", "faq", ("none", 0.9)),                       # no scam in it
])
def test_questions_unsure_types_and_scams_in_progress_are_not_stories_to_report(text, intent, scam_type):
    assert run_story(text, intent, scam_type) == (intent, None)


@pytest.mark.parametrize("text", ["我就用微信专过去了 两千八", "刚专过去五千块"])
def test_a_transfer_typed_with_a_homophone_is_a_loss(text):
    from bot.nlu.text import normalize

    assert run_story(normalize(text)) == ("report_fraud", "loss")


def test_a_relatives_call_asking_for_money_is_a_report_even_when_the_type_is_unsure():
    assert run_story("喂，是反诈中心吗？我孙子打电话说他出事了，要我打钱……", scam_type=("impersonate_acquaintance", 0.5)) \
        == ("report_fraud", "encounter")
    assert run_story("有人打电话让我转钱怎么办", scam_type=("impersonate_acquaintance", 0.5)) == ("faq", None)
    assert run_story("昨天我“孙子”打电话来，哭着说在外面跟人打架把人打伤了，要赔钱私了，不然要坐牢",
                     scam_type=("impersonate_police", 0.5)) == ("report_fraud", "encounter")


def test_a_story_with_a_scam_marker_is_a_report_even_when_the_type_is_unsure():
    message = Message(data={TEXT: "他让我把钱转到一个安全账户，说查完就退回来", INTENT: {"name": "faq", "confidence": 0.9},
                            ENTITIES: [], "scam_type": {"name": "impersonate_police", "confidence": 0.72},
                            "scam_markers": {"markers": ["safe_account"], "in_progress": False}})
    ReportedLossDetector().process([message])
    assert (message.get(INTENT)["name"], message.get("reported_as")) == ("report_fraud", "encounter")


def test_a_stated_loss_is_noted_as_a_loss():
    assert run_story("我被骗了五万") == ("report_fraud", "loss")


@pytest.mark.parametrize("text", [   # development openings (tests/corpus/openings/lost.txt)
    "刷单那个平台今天打不开了，我里面还有四万多没提出来",
    "我就是想赚点零花钱 给人家关注抖音博主 后来让下载个app做垫付任务 垫进去的一分没回来",
    "你好，我在一个炒股群里跟着老师买了原始股，现在那个app登不上去了，客服也不见了",
    "有个说是证券公司的人带我做内幕票，收了我两万会员费，推荐的票天天跌，现在要退费也不给退",
    "有人打电话说我大学时候开过校园贷账户 不注销会影响征信 我按他说的在几个平台借了钱转到他指定账户",
    "那人说我在拼多多买的东西是次品 给我三倍赔偿 要我扫码 扫完了微信零钱没了",
    "我收到一个公积金提取的链接 填了个人信息之后 银行卡 被刷走了 八千",
    "刚才那个人让我下载的会议软件 我关了以后 银行发短信说转出四万九",
    "有人说我名下的银行卡帮人洗钱 要我把资金转到国家监管账户 后来我打110 才知道没有这个账户 钱已经过去了",
    # development openings (tests/corpus/openings/lost_more.txt): a demand, then what followed
    "股票群里的老师让我们认购新股 中签了要补缴资金 我补了二十万 现在说账户冻结",
    "结果对方说我征信不好要包装流水 让我转两万过去验资 说验完就退 现在人找不到了",
    "微信上的领导让我给他转账 我照做了 刚才打电话核实 领导说不是他 怎么办",
    "有个人说我大学时候注册过一个贷款平台的会员 如果不注销 会影响我买房贷款 我就听他的转了十二万",
    # development conversations (more_x): money not returned, goods never sent and the seller gone
    "你好，我做刷单任务，后面两单钱没返回来",
    "你好啊，我想问问，我上个礼拜买的东西到现在也没寄来，电话也打不通了",
])
def test_a_loss_told_only_by_what_followed_starts_a_report(text):
    assert run_story(text, scam_type=("other", 0.3))[0] == "report_fraud"


@pytest.mark.parametrize("text", ["平台会不会突然打不开", "如果我转了五万会怎么样", "他让我转了五千块保证金 我还没转", "收到短信说我的账户冻结了，要交钱解冻，是真的吗",
                                  "怎么判断一个投资app是不是骗子", "我想借钱给朋友，怎么写借条",
                                  "网上买的东西还没寄来，多久能到", "快递一直没到怎么查"])
def test_questions_about_what_might_happen_are_not_losses(text):
    assert run_story(text, scam_type=("other", 0.3))[0] == "faq"


@pytest.mark.parametrize("text", ["我的钱……都转走了，他们说是公安局，说我身份证被人冒用了，让我把钱放到安全账户里"])
def test_money_said_to_be_transferred_away_starts_a_report(text):
    assert run(text, "faq", []) == "report_fraud"


@pytest.mark.parametrize("text", ["喂 我被人 敲诈了 他们说不给钱就把视频发给我通讯录", "有人勒索我，说不转钱就把照片发到网上"])
def test_extortion_starts_a_report_that_first_asks_whether_money_left(text):
    message = Message(data={TEXT: text, INTENT: {"name": "faq", "confidence": 0.9}, ENTITIES: []})
    ReportedLossDetector().process([message])
    assert message.get(INTENT)["name"] == "report_fraud" and message.get("reported_as") == "encounter"


def test_asking_about_extortion_is_a_question():
    assert run("被人敲诈了怎么办？", "faq", []) == "faq"


@pytest.mark.parametrize("text", ["报案 冒充部队采购", "报案！我被骗了", "我先垫了钱，厂家电话打不通了 部队那个人也不回了",
                                  "客服说不交就冻结账户，我就交了，现在联系不上"])
def test_a_bare_report_or_both_lines_gone_dead_after_paying_starts_a_report(text):
    assert run(text, "faq", []) == "report_fraud"


@pytest.mark.parametrize("text", ["报案要带什么材料？", "报警电话是多少", "报案以后多久有结果", "我儿子电话打不通了，我担心他",
                                  "我儿子电话打不通，微信也不回，我很着急", "我想把这两万块存到余额宝里", "我打算下个月把三万块转到定期",
                                  "我担心被敲诈", "提醒大家别被勒索了", "看新闻说有个老人被敲诈了"])
def test_questions_about_reporting_and_a_phone_not_answering_are_not_reports(text):
    assert run(text, "faq", []) == "faq"


@pytest.mark.parametrize("text, loss", [
    ("【中国银行】您尾号3391的账户于12月03日14:22向李明辉（账号6217 0038 2955 4416 381）转账支出人民币5,000.00元，余额1,234.56元。", True),
    ("转账成功 收款人：王*芳 收款账号：6222 **** **** 3389 金额：¥3,600.00 付款卡：招商银行(0917)", True),
    ("收款人：王*芳 金额：¥3,600.00 这个是不是骗子？", False),
])
def test_a_pasted_bank_sms_or_transfer_receipt_is_a_loss_unless_asked_about(text, loss):
    from bot.nlu.text import normalize

    assert ReportedLossDetector.reports_loss(Message(data={TEXT: normalize(text)})) is loss


@pytest.mark.parametrize("text", ["我刚刚反应过来 那是骗子对吧 我是跑去柜台转的", "我是用支付宝付的"])
def test_told_as_done_with_shi_de_starts_a_report(text):
    assert run(text, "faq", []) == "report_fraud"


@pytest.mark.parametrize("text", ["我是不是应该转的", "我是用支付宝转的吗"])
def test_asked_with_shi_de_is_no_loss(text):
    assert run(text, "faq", []) == "faq"


def test_someone_who_called_and_a_demand_to_borrow_in_apps_are_an_encounter():
    assert run_story("你好 嗯 我是学生 有人打电话说我大学时候开通过校园贷 现在要注销 不注销会影响征信") == \
        ("report_fraud", "encounter")
    assert run_story("然后 嗯 他让我在几个APP上借钱 再转到他指定的账户 说是走个流程 之后会退回来",
                     scam_type=("customer_service", 0.25)) == ("report_fraud", "encounter")


@pytest.mark.parametrize("text", ["我是在银行存的定期 有人打电话说我涉嫌洗钱 要我转到安全账户", "我是想问一下支付宝怎么转的"])
def test_shi_de_in_a_question_or_before_a_demand_is_no_loss(text):
    assert run(text, "faq", []) != "report_fraud"


@pytest.mark.parametrize("text", ["喂 那个 我是种菜的 有个部队的说要买我的菜 叫我先交钱", "有个卖保健品的说我中奖了，要我先交钱"])
def test_someone_of_a_trade_who_asked_for_money_first_is_an_encounter(text):
    assert run_story(text, scam_type=("military_purchase", 0.97)) == ("report_fraud", "encounter")


@pytest.mark.parametrize("text", ["有个问题的说明我看不懂，怎么办？", "有个卖菜的说今天白菜便宜"])
def test_someone_of_a_trade_without_a_scam_is_no_encounter(text):
    assert run_story(text, scam_type=("none", 0.9))[0] != "report_fraud"


def test_a_fee_demanded_in_a_story_is_an_encounter_whatever_the_types_confidence():
    assert run_story("网贷骗子，让我交解冻金", scam_type=("loan", 0.74)) == ("report_fraud", "encounter")


@pytest.mark.parametrize("text", ["我们单位有个管后勤的说让我把上个月的交通费单据交上去报销",
                                  "我们小区有个物业的说让我交物业费和停车费"])
def test_ordinary_fees_asked_for_are_no_encounter(text):
    assert run_story(text, scam_type=("none", 0.6))[0] != "report_fraud"
