"""反诈咨询 on what the citizen shows or tells, on the running system: a forwarded scam SMS is named and
leads to the report if money left; an ordinary SMS, call or described contact is never warned about."""
import uuid

import pytest
import yaml

from bot.settings import REPO_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def new_sender() -> str:
    return f"check-{uuid.uuid4().hex[:12]}"


def test_a_forwarded_scam_sms_is_named_and_money_sent_starts_the_report(system):
    sender = new_sender()
    replies = system.say(sender, "【顺丰速运】尊敬的客户，您的快件SF1402873391在转运途中遗失，可获三倍赔付，"
                                 "请添加理赔专员QQ：3389201765办理。")
    assert replies[0].startswith("⚠️ 这条短信有“冒充电商物流客服”诈骗的特征")
    assert "转了" in replies[-1] and "没有" in replies[-1]
    replies = system.say(sender, "转了")
    assert any("登记报案信息" in r for r in replies)
    assert system.slots(sender)["requested_slot"] is not None   # the report form asks its questions


def test_nothing_sent_after_a_checked_scam_sms_gets_what_to_do(system):
    sender = new_sender()
    system.say(sender, "【京东】您的PLUS会员即将自动续费2388元/年，如需取消请联系专属客服微信：jd-kefu0912")
    replies = system.say(sender, "没有")
    domain = yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert replies == [domain["responses"]["utter_check_nothing_lost"][0]["text"]]


@pytest.mark.parametrize("text", [
    "【育才小学】家长您好：本周五（12月6日）下午14:30召开期中家长会，请家长准时到各班教室参加。三(2)班 杨老师",
    "【丰驰速运】您的快件已到达锦绣花园南门驿站，取件码8-2-3107，营业时间9:00-21:00，请及时领取。",
    "刚才顺丰快递员给我打电话，说快递放到驿站了，让我下班去取",
    "美团骑手刚打电话说我的外卖洒了，问我要不要重新送一份",
    "骑手：您好，您的外卖到了，我在小区东门，进不去\n我：好的，我马上下来拿",
])
def test_an_ordinary_sms_call_or_contact_is_not_warned_about_and_starts_no_report(system, text):
    sender = new_sender()
    replies = system.say(sender, text)
    said = "\n".join(replies)
    assert "没有发现诈骗的迹象" in said
    assert "请立即停止" not in said and "登记报案" not in said and "这是诈骗" not in said
    assert system.slots(sender)["requested_slot"] is None
