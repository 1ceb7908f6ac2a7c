from aiohttp import web

from bot.web import views


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/", views.index, name="chat_page")
    app.router.add_post("/api/chat", views.send_message, name="chat_send")
    app.router.add_get("/api/chat/history", views.history, name="chat_history")
    app.router.add_get("/api/chat/events", views.chat_events, name="chat_events")
    app.router.add_post("/internal/webchat/push", views.push, name="webchat_push")
    app.router.add_static("/static/", views.STATIC_DIR, name="static")
