"""The kinds of request the load test times, with their labels in the report.

The kind also prefixes the ``X-Request-Id`` header each request carries, so the app's own request log
(``"msg": "request"`` lines with their duration) can be grouped the same way as the client's timings.
"""

KINDS = {
    "q_start": "GET questionnaire start",
    "q_step": "GET questionnaire step",
    "q_identity": "POST questionnaire identity (creates a draft)",
    "q_contact": "POST questionnaire contact (new email: private link + email queued)",
    "q_autosave": "POST questionnaire autosave",
    "q_next": "POST questionnaire themes (next step)",
    "link_open": "GET private link",
    "link_review": "GET questionnaire review (through a private link)",
    "login_page": "GET staff login page",
    "login": "POST staff login",
    "pairs_list": "GET staff pairs list (filters, sorts)",
    "pairs_next": "GET staff pairs list (next page)",
    "pair_page": "GET staff pair page",
    "pair_decision": "POST staff pair decision",
    "responses_list": "GET staff responses list",
    "dashboard": "GET staff dashboard",
}
