from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered

from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.story import ACTION_START_REPORT, REPORT_FORM, story_action


def tracker_of(*texts: str, intent: str = "faq", before=()) -> DialogueStateTracker:
    events = [SessionStarted(), ActionExecuted("action_listen"), *before]
    for text in texts:
        events += [UserUttered(text, {"name": intent, "confidence": 0.9}, parse_data={"text": text}),
                   ActionExecuted("utter_faq"), ActionExecuted("action_listen")]
    return DialogueStateTracker.from_events("citizen", events[:-2])   # the latest message waits for an action


def test_a_loss_told_over_several_messages_starts_a_report():
    tracker = tracker_of("你好，我是开劳保用品店的，前两天有个说是部队后勤的人来店里加了我微信",
                         "说要采购一批防寒手套 让我帮他们从指定的厂家进一种特供护膝 我先垫钱",
                         "我刚才打那个厂家电话打不通了 部队那个人也不回了")
    assert story_action(tracker) == ACTION_START_REPORT
    tracker.update(ActionExecuted(ACTION_START_REPORT))
    assert story_action(tracker) == REPORT_FORM


def test_questions_and_a_single_message_are_left_to_the_rules():
    assert story_action(tracker_of("刷单是不是诈骗？", "怎么识别冒充客服？")) is None
    assert story_action(tracker_of("他让我先垫钱，说货到了一起结")) is None
    assert story_action(tracker_of("部队的人让我先垫钱", "我没垫，直接挂了")) is None


def test_after_a_report_was_started_the_story_is_not_read_again():
    started = [UserUttered("我被骗了", {"name": "report_fraud"}), ActionExecuted(ACTION_START_REPORT),
               ActionExecuted("action_listen")]
    tracker = tracker_of("我先垫钱了", "厂家电话打不通了 人也不回了", before=started)
    assert story_action(tracker) is None
