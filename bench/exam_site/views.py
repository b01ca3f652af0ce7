"""The ceiling: the least a request that writes can cost on this stack (the same gunicorn, the
same middleware, CSRF checked on POST), with one UPDATE of one row and a small JSON answer."""

from django.db import connection
from django.http import JsonResponse

TABLE = "bench_ceiling"


def ceiling(request):
    row = int(request.GET.get("row", "0"))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET n = n + 1 WHERE id = %s", [row])  # noqa: S608
    return JsonResponse({"saved": True, "row": row})
