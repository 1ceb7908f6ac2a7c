"""Names shared by the hand-off policy, the hand-off actions and the desk (one place for each)."""
from __future__ import annotations

HANDOFF_SLOT = "handoff_case_id"  # set while an officer has the conversation
# Set while an officer is called but has not written yet: the bot keeps collecting the report meanwhile.
HANDOFF_WAITING_SLOT = "handoff_waiting_case_id"

# External intents the desk triggers through POST /conversations/{id}/trigger_intent.
OFFICER_MESSAGE_INTENT = "officer_message"
OFFICER_HANDBACK_INTENT = "officer_handback"
OFFICER_CLOSE_INTENT = "officer_close"
OFFICER_INTENTS = (OFFICER_MESSAGE_INTENT, OFFICER_HANDBACK_INTENT, OFFICER_CLOSE_INTENT)
OFFICER_TEXT_ENTITY = "officer_text"
DELIVERY_ID_ENTITY = "delivery_id"  # the desk's outbox id: a retried delivery is acted on once
# The hand-off actions set it to the delivery id they acted on: the desk's proof that Rasa did not
# drop the action's events (Rasa answers 200 even when a custom action failed).
DELIVERED_SLOT = "handoff_delivery"

ACTION_HANDOFF = "action_handoff"
ACTION_RELAY_TO_OFFICER = "action_relay_to_officer"
ACTION_RELAY_OFFICER_MESSAGE = "action_relay_officer_message"
ACTION_END_HANDOFF = "action_end_handoff"

WECHAT_OFFICER_ROUTE = "/webhooks/wechat/officer"  # the desk sends an officer's message to WeChat here
SENT_DIRECTLY = "sent_directly"  # custom payload key: the desk already put this message on the channel
OFFICER_PREFIX = "【民警】"  # how an officer's words are shown or spoken to the citizen
OFFICER_JOINED = "值班民警已经接手您的案件，接下来由民警直接在这里和您沟通，请继续说明情况。"
