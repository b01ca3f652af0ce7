"""Small request helpers shared by the apps' views."""


def wants_json(request) -> bool:
    """True when a script (lesson.js, attempt.js) posts in the background and asks for JSON."""
    return "application/json" in request.headers.get("Accept", "")
