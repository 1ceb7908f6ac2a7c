from aiohttp import web

from bot.desk import views


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/api/health", views.health, name="health")
    app.router.add_get("/api/me", views.me, name="desk_me")
    app.router.add_get("/api/line", views.line_status, name="desk_line")
    app.router.add_get("/api/cases", views.list_cases, name="cases")
    app.router.add_get("/api/cases/{case_id}", views.get_case, name="case")
    app.router.add_patch("/api/cases/{case_id}", views.correct, name="case_correct")
    app.router.add_post("/api/cases/{case_id}/claim", views.claim, name="case_claim")
    app.router.add_post("/api/cases/{case_id}/messages", views.send_message, name="case_message")
    app.router.add_post("/api/cases/{case_id}/handback", views.handback, name="case_handback")
    app.router.add_post("/api/cases/{case_id}/close", views.close, name="case_close")
    app.router.add_get("/api/cases/{case_id}/audit", views.audit, name="case_audit")
    app.router.add_get("/api/cases/{case_id}/stop-payment", views.stop_payment_json, name="case_stop_payment")
    app.router.add_post("/api/cases/{case_id}/stops", views.record_stop, name="case_stops")
    app.router.add_post("/api/cases/{case_id}/promote", views.promote, name="case_promote")
    app.router.add_get("/api/search", views.search, name="cases_search")
    app.router.add_get("/api/stats", views.stats_json, name="desk_stats_json")
    app.router.add_get("/api/events", views.events, name="desk_events")
    app.router.add_get("/desk/", views.desk_page, name="desk_page")
    app.router.add_get("/desk/login", views.login_page, name="desk_login")
    app.router.add_post("/desk/login", views.login, name="desk_login_post")
    app.router.add_post("/desk/logout", views.logout, name="desk_logout")
    app.router.add_get("/desk/cases/{case_id}/stop-payment", views.stop_payment_page, name="desk_stop_payment")
    app.router.add_get("/desk/stats", views.stats_page, name="desk_stats")
    app.router.add_static("/desk/static/", views.STATIC_DIR, name="desk_static")
    app.router.add_get("/favicon.ico", views.favicon, name="favicon")
