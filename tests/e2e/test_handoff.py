"""Hand-off with the real processes: a citizen's report becomes a case, an officer talks, hands back."""
import json
import os
import signal
import threading
import time
import urllib.request

import pytest

from tests.conftest import http_call
from tests.e2e.citizen import ANSWERS, OLD_TRANSFER_REPORT

pytestmark = [pytest.mark.slow, pytest.mark.integration]

CARD = "6222021234567890128"          # 工商银行 BIN, Luhn-valid
PAYING = "6217001234567890122"        # 建设银行 BIN, Luhn-valid


def wait_for(condition, timeout=15.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


def handed_off(system, sender, *messages):
    for message in messages:
        system.say(sender, message)
    return system.case_of(sender)


def test_a_rest_report_becomes_a_complete_case_and_the_officer_talks_then_hands_back(system, record_figure):
    s = "handoff-report"
    started = time.monotonic()
    system.say(s, "我刚被骗了，转了五万到他卡上，他说他是公安的，让我加QQ 3344556677")
    system.talk(s, CARD, "十分钟前", "张伟", "手机银行转的", PAYING, "没有了", "我叫王芳", "13812345678",
                "没有给编号，让我装了一个叫安全防护的APP")
    done = system.say(s, "对")
    assert "转接值班民警" in done[0] and "不要再向对方转账" in done[0]
    case = system.case_of(s)
    record_figure(f"hand-off: citizen's first message → case on the desk API: {time.monotonic() - started:.1f} s "
                  "(11 REST turns)")
    assert case["status"] == "waiting" and case["channel"] == "rest" and case["conversation_id"] == s
    assert case["reason"] == "report" and case["claimed_by"] is None and case["handoff_active"]
    assert case["scam_type"]["name"] == "impersonate_police" and 0 < case["scam_type"]["confidence"] <= 1
    assert case["victim"] == {"name": "王芳", "phone": "13812345678"}
    transfer, = case["transfers"]
    assert transfer == {"amount": 50000.0, "time": transfer["time"], "channel": "bank_transfer",
                        "from_account": PAYING, "to_account": CARD, "to_bank": "工商银行", "to_name": "张伟",
                        "to_branch": None, "serial": None}
    assert transfer["time"].endswith("+08:00")
    assert "qq:3344556677" in case["fraudster_contacts"] and "app:安全防护" in case["fraudster_contacts"]
    assert "公安" in case["narrative"]
    assert case["urgency"]["level"] == "high"
    for linked_id in case["linked_case_ids"]:  # 串并: other reports to the same card (other tests use it too)
        linked = system.desk("GET", f"/api/cases/{linked_id}", officer="desk-reader")[1]
        assert CARD in [t["to_account"] for t in linked["transfers"]] or \
            set(linked["fraudster_contacts"]) & set(case["fraudster_contacts"]) or \
            linked["victim"]["phone"] == "13812345678"
    assert case["created_at"] and case["handoff_at"]
    said = [(m["from"], m["text"]) for m in case["transcript"]]
    assert said[0][0] == "citizen" and "公安" in said[0][1] and said[-1] == ("bot", done[0])

    # Logs name the account only masked; the store holds it only encrypted.
    log = system.log_path.read_text(encoding="utf-8", errors="replace")
    assert "****0128" in log and CARD not in log
    raw_store = b"".join(p.read_bytes() for p in system.case_db.parent.glob("cases.db*"))
    assert CARD.encode() not in raw_store and "王芳".encode() not in raw_store

    # During the hand-off the bot is silent and the officer sees every message.
    assert system.say(s, "民警同志，我很着急，钱还能追回来吗") == []
    assert system.case_of(s)["transcript"][-1] == {**system.case_of(s)["transcript"][-1], "from": "citizen",
                                                   "text": "民警同志，我很着急，钱还能追回来吗"}

    status, claimed = system.desk("POST", f"/api/cases/{case['id']}/claim", officer="zhang")
    assert status == 200 and claimed["status"] == "claimed" and claimed["claimed_by"] == "zhang"
    status, sent = system.desk("POST", f"/api/cases/{case['id']}/messages",
                               {"text": "您好，我是民警小张，已在给银行发止付申请"}, officer="zhang")
    assert status == 202
    officer_line = "【民警】您好，我是民警小张，已在给银行发止付申请"
    wait_for(lambda: officer_line in [m["text"] for m in system.transcript(s)])
    assert system.slots(s)["handoff_case_id"] is not None

    status, back = system.desk("POST", f"/api/cases/{case['id']}/handback", officer="zhang")
    assert status == 200 and back["handoff_active"] is False
    wait_for(lambda: system.slots(s)["handoff_case_id"] is None)
    assert any("智能助手继续" in m["text"] for m in system.transcript(s))
    answer = system.say(s, "出租银行卡犯法吗")
    assert answer and "帮助信息网络犯罪活动罪" in answer[0]
    # The officer's transcript goes on while the case is open: the hand-back notice, what came after it.
    from actions.handoff import HANDED_BACK
    texts = [m["text"] for m in system.case_of(s)["transcript"]]
    assert texts[-2 - len(answer):] == [HANDED_BACK, "出租银行卡犯法吗", *answer] and texts.count(HANDED_BACK) == 1

    status, closed = system.desk("POST", f"/api/cases/{case['id']}/close",
                                 {"outcome": "partial", "frozen_amount": 32000}, officer="zhang")
    assert status == 200 and closed["status"] == "closed"
    assert closed["outcome"] == {"result": "partial", "label": "部分止付", "frozen_amount": 32000.0}
    status, audit = system.desk("GET", f"/api/cases/{case['id']}/audit", officer="zhang")
    assert [e["action"] for e in audit["entries"]] == ["case_created", "claim", "message", "handback", "close"]
    assert all(e["officer"] == "zhang" for e in audit["entries"][1:])


def test_reports_to_the_same_account_are_linked(system):
    first = handed_off(system, "link-1", "我要找民警")
    assert first["linked_case_ids"] == []
    for sender in ("link-2", "link-3"):
        system.say(sender, "对方让我转到6228480402564890018，转了三千")
        system.say(sender, "转人工")
    second, third = system.case_of("link-2"), system.case_of("link-3")
    assert second["transfers"][0]["to_account"] == "6228480402564890018"
    # other tests on this shared system may have reported the same card too: only these three are checked
    assert third["id"] in second["linked_case_ids"] and second["id"] in third["linked_case_ids"]
    assert first["id"] not in second["linked_case_ids"] + third["linked_case_ids"]


def listen_for_officer(citizen):
    """The chat page's event stream, open: ([(arrival time, text)] of the first officer message, thread)."""
    received, opened = [], threading.Event()

    def listen():
        with citizen.events() as stream:
            for raw in stream:
                line = raw.decode("utf-8").strip()
                if line == "event: ready":
                    opened.set()
                if line.startswith("data:") and "【民警】" in line:
                    received.append((time.monotonic(), json.loads(line[5:])["text"]))
                    return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    assert opened.wait(10)
    return received, listener


def test_the_web_chat_gets_the_officers_message_pushed_live(system, record_figure):
    citizen = system.web_chat()
    assert "转接值班民警" in citizen.send("转人工")[0]
    s = citizen.conversation_id
    case = system.case_of(s)
    assert case["channel"] == "webchat" and case["reason"] == "requested"
    system.desk("POST", f"/api/cases/{case['id']}/claim", officer="zhang")

    received, listener = listen_for_officer(citizen)
    sent_at = time.monotonic()
    system.desk("POST", f"/api/cases/{case['id']}/messages", {"text": "我是值班民警，请说一下对方账号"}, officer="zhang")
    listener.join(15)
    assert received and received[0][1] == "【民警】我是值班民警，请说一下对方账号"
    record_figure(f"hand-off: officer's message → open web chat page (SSE push): {received[0][0] - sent_at:.2f} s")
    # The citizen's answer goes to the officer, not to the bot.
    assert citizen.send("卡号6222021234567890128") == []
    assert system.case_of(s)["transcript"][-1]["text"] == "卡号6222021234567890128"
    assert citizen.history()["with_officer"] is True


def test_an_officers_message_reaches_the_chat_page_while_rasa_is_stalled(system, record_figure):
    """Rasa frozen (SIGSTOP: as busy as it gets): the officer's words still reach the open page at once,
    and Rasa records them in the conversation once it runs again."""
    from actions.handoff import OFFICER_JOINED
    from urllib.parse import urlparse

    from tests.running import pid_of_rasa_server

    citizen = system.web_chat()
    citizen.send("转人工")
    s = citizen.conversation_id
    case = system.case_of(s)
    system.desk("POST", f"/api/cases/{case['id']}/claim", officer="zhang")
    wait_for(lambda: OFFICER_JOINED in [m["text"] for m in system.transcript(s)])
    received, listener = listen_for_officer(citizen)
    rasa = pid_of_rasa_server(urlparse(system.rasa_url).port)
    os.kill(rasa, signal.SIGSTOP)
    try:
        sent_at = time.monotonic()
        system.desk("POST", f"/api/cases/{case['id']}/messages", {"text": "我是民警，已在处理"}, officer="zhang")
        listener.join(10)
        assert received and received[0][1] == "【民警】我是民警，已在处理"
        took = received[0][0] - sent_at
        record_figure(f"hand-off: officer's message → web chat page with Rasa stalled (SIGSTOP): {took:.2f} s")
        assert took < 2.0
    finally:
        os.kill(rasa, signal.SIGCONT)
    wait_for(lambda: "【民警】我是民警，已在处理" in [m["text"] for m in system.transcript(s)])
    history = [m["text"] for m in citizen.history()["messages"]]
    assert history.count("【民警】我是民警，已在处理") == 1  # recorded once, in the conversation


def test_once_the_officer_claims_the_bot_stops_asking_and_the_citizen_talks_to_the_officer(system):
    from actions.handoff import CALLED_WHILE_COLLECTING, OFFICER_JOINED

    s = "handoff-claimed-while-collecting"
    first = system.say(s, "转人工")
    assert first[0] == CALLED_WHILE_COLLECTING and len(first) > 1  # the bot goes on with the report meanwhile
    case = system.case_of(s)
    system.desk("POST", f"/api/cases/{case['id']}/claim", officer="zhang")
    # Sent at once, racing the claim's notice to Rasa: either way the officer gets it, not the form.
    answered = system.say(s, f"我转了五万块到{CARD}")
    assert answered in ([], [OFFICER_JOINED]), answered
    assert system.say(s, "民警您好，我该怎么办") == []
    said = [m["text"] for m in system.transcript(s)]
    assert said.count(OFFICER_JOINED) == 1 and said[-1] == "民警您好，我该怎么办"
    seen = wait_for(lambda: (lambda c: c if c["transcript"][-1]["text"] == "民警您好，我该怎么办" else None)(
        system.case_of(s)))
    citizen = [m["text"] for m in seen["transcript"] if m["from"] == "citizen"]
    assert citizen.count("民警您好，我该怎么办") == 1 and sum("五万" in t for t in citizen) == 1
    # The officer reads what the citizen saw, once and in order: the notice, the questions meanwhile, the claim.
    texts = [m["text"] for m in seen["transcript"]]
    assert texts == [m["text"] for m in system.transcript(s)], (texts, system.transcript(s))
    assert texts.count(CALLED_WHILE_COLLECTING) == 1 and texts.count(OFFICER_JOINED) == 1
    assert texts.index(CALLED_WHILE_COLLECTING) < texts.index(first[1]) < texts.index(OFFICER_JOINED)
    assert seen["transfers"] and seen["transfers"][0]["amount"] == 50000  # still read into the packet
    system.desk("POST", f"/api/cases/{case['id']}/messages", {"text": "我是民警小张，马上帮您止付"}, officer="zhang")
    wait_for(lambda: "【民警】我是民警小张，马上帮您止付" in [m["text"] for m in system.transcript(s)])


def test_a_card_the_citizen_cannot_find_calls_the_officer_and_the_report_goes_on_to_a_complete_case(system):
    from actions.handoff import OFFICER_CALLED_TO_CHECK
    from bot.report.reader import PUT_OFF

    s = "handoff-card-put-off"
    system.say(s, "我被骗了，刚转了两万块")
    system.say(s, "等一下，我找一下转账记录")
    system.say(s, "还在找，你等等")
    put_off = system.say(s, "我还在找")
    assert put_off[:2] == [PUT_OFF, OFFICER_CALLED_TO_CHECK] and "什么时候转的" in put_off[-1], put_off
    case = system.case_of(s)
    assert case["reason"] == "unclear" and case["handoff_active"] and case["transfers"][0]["amount"] == 20000
    system.talk(s, "十分钟前", "工商银行", "张伟", "手机银行转的", PAYING)
    came_back = system.say(s, "没有了")
    assert "找到了吗" in came_back[-1]   # asked once more, now that the rest is told
    system.talk(s, CARD, "我叫王芳", "13812345678", "他说他是公安的")
    assert "转接值班民警" in system.say(s, "对")[0]
    packet = wait_for(lambda: (lambda c: c if c["transfers"][0]["to_account"] == CARD else None)(system.case_of(s)))
    assert packet["id"] == case["id"] and packet["victim"]["name"] == "王芳" and packet["transfers"][0]["to_name"] == "张伟"


def test_a_scam_in_progress_the_citizen_cannot_stop_goes_to_an_officer(system):
    s = "handoff-in-progress"
    warned = system.say(s, "他现在让我把钱转到安全账户，还不让我告诉家人")
    assert "能自己停下来吗" in warned[0]
    assert "转接值班民警" in system.say(s, "不能")[0]
    case = system.case_of(s)
    assert case["reason"] == "in_progress" and case["in_progress"] and case["urgency"]["level"] == "high"


def test_two_misunderstood_messages_in_a_row_go_to_an_officer(system):
    s = "handoff-fallback"
    system.say(s, "asdfghjkl")
    assert "转接值班民警" in system.say(s, "qwertyuiop zxcvbnm")[0]
    assert system.case_of(s)["reason"] == "fallback"


def test_two_officers_claiming_at_once_exactly_one_wins(system):
    s = "handoff-race"
    case = handed_off(system, s, "我要找民警")
    tokens = {name: system.officer(name) for name in ("race-a", "race-b")}
    results = {}
    barrier = threading.Barrier(2)

    def claim(name):
        barrier.wait()
        results[name] = http_call("POST", f"{system.web_url}/api/cases/{case['id']}/claim",
                                  headers={"Authorization": f"Bearer {tokens[name]}"})

    threads = [threading.Thread(target=claim, args=(name,)) for name in tokens]
    [t.start() for t in threads]
    [t.join() for t in threads]
    statuses = sorted(status for status, _ in results.values())
    assert statuses == [200, 409]
    winner = next(name for name, (status, _) in results.items() if status == 200)
    assert system.case_of(s)["claimed_by"] == winner


def test_restarting_the_desk_mid_handoff_loses_nothing(system):
    s = "handoff-restart"
    case = handed_off(system, s, "转人工")
    system.desk("POST", f"/api/cases/{case['id']}/claim", officer="zhang")
    system.desk("POST", f"/api/cases/{case['id']}/messages", {"text": "重启前的消息"}, officer="zhang")
    wait_for(lambda: "【民警】重启前的消息" in [m["text"] for m in system.transcript(s)])

    _, health = http_call("GET", system.web_url + "/api/health")
    os.kill(health["pid"], signal.SIGKILL)  # a crash, not a polite stop
    assert system.say(s, "您还在吗？") == []  # the desk is down: still recorded, still not answered by the bot
    assert system.say(s, "对方又打电话来了") == []

    def restarted():
        try:
            status, body = http_call("GET", system.web_url + "/api/health", timeout=2)
        except OSError:
            return False
        return status == 200 and body["pid"] != health["pid"]
    wait_for(restarted, timeout=60, interval=0.5)

    texts = [m["text"] for m in system.case_of(s)["transcript"]]
    assert texts[-3:] == ["重启前的消息", "您还在吗？", "对方又打电话来了"]
    status, _ = system.desk("POST", f"/api/cases/{case['id']}/messages", {"text": "重启后的消息"}, officer="zhang")
    assert status == 202
    wait_for(lambda: "【民警】重启后的消息" in [m["text"] for m in system.transcript(s)])
    officer_lines = [m["text"] for m in system.transcript(s) if m["text"].startswith("【民警】")]
    assert officer_lines == ["【民警】重启前的消息", "【民警】重启后的消息"]  # none lost, none doubled



def test_a_registrations_transcript_has_the_answer_with_its_number_and_what_came_after(system):
    s = "handoff-registration-transcript"
    system.talk(s, *OLD_TRANSFER_REPORT)
    done = system.say(s, "对")
    case = system.case_of(s)
    assert case["reason"] == "registration" and f"案件编号 {case['id']}" in done[0]
    said = [(m["from"], m["text"]) for m in case["transcript"]]
    assert said[-1 - len(done):] == [("citizen", "对"), *[("bot", text) for text in done]]
    later = system.say(s, "好的")
    said = [(m["from"], m["text"]) for m in system.case_of(s)["transcript"]]
    assert said[-1 - len(later):] == [("citizen", "好的"), *[("bot", text) for text in later]]
    assert [text for _, text in said] == [m["text"] for m in system.transcript(s)]  # all of it, once


def test_a_report_handed_back_unfinished_goes_on_where_it_stopped_in_the_same_case(system):
    from actions.handoff import CALLED_WHILE_COLLECTING, HANDED_BACK_TO_FINISH
    from tests.e2e.citizen import complete_report

    s = "handoff-back-unfinished"
    system.say(s, "我被骗了，刚才转了两万块给一个冒充客服的人")
    assert system.say(s, "转人工")[0] == CALLED_WHILE_COLLECTING
    case = system.case_of(s)
    system.desk("POST", f"/api/cases/{case['id']}/claim", officer="zhang")
    system.say(s, f"对方卡号是{CARD}")   # the officer has it now; still read into the report
    system.desk("POST", f"/api/cases/{case['id']}/messages", {"text": "您好，我是民警小张，先帮您查一下"},
                officer="zhang")
    wait_for(lambda: "【民警】您好，我是民警小张，先帮您查一下" in [m["text"] for m in system.transcript(s)])
    status, _ = system.desk("POST", f"/api/cases/{case['id']}/handback", officer="zhang")
    assert status == 200
    said = wait_for(lambda: (lambda texts: texts if HANDED_BACK_TO_FINISH in texts[:-1] else None)(
        [m["text"] for m in system.transcript(s)]))
    question = said[said.index(HANDED_BACK_TO_FINISH) + 1]
    assert "多少钱" not in question and "卡号" not in question and "转出去了吗" not in question, question
    run = complete_report(system, s, next(a for w, a in ANSWERS if w in question), "在一个购物网站上找的客服")
    asked = [replies[-1] for _, replies in run.transcript if replies]
    assert run.finished and not [q for q in asked if "卡号或账号" in q or "转了多少钱" in q], run.transcript
    final = system.case_of(s)
    assert final["id"] == case["id"], "the same case goes on, no second case"
    transfer, = final["transfers"]
    assert transfer["amount"] == 20000 and transfer["to_account"] == CARD
    assert final["victim"]["name"] == "陈明"
