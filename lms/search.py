"""Search that ignores case and Vietnamese diacritics, on SQLite and PostgreSQL alike.

Two mechanisms, one fold (`lms.text.fold_vietnamese`):

- admin lists of plain models (`folded_search`, used by `lms.admin_search.FoldedSearchMixin`):
  every query term, folded in Python, must appear in one of the view's `search_fields` folded
  in SQL (`Fold`): no stored copy to keep in step with bulk imports and related rows;
- Wagtail's search index (pages, documents, images: `SearchBackend`, the database backend of
  the running database): the pages index a folded copy of their text (`search_text` methods),
  and every query is tried as typed *or* folded, so models that index raw text only (Wagtail's
  documents and images) find what they found before.
"""

from functools import cache, reduce
from operator import and_, or_

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Func, Q, TextField
from django.db.models.lookups import Contains
from modelsearch import index
from modelsearch.backends.database import SearchBackend as _database_backend
from modelsearch.query import And, Not, Or, Phrase, PlainText

from .text import fold_vietnamese

# a query is cut to this many terms of this many characters: a pasted page of text costs a
# bounded query, never a 500
MAX_TERMS = 8
MAX_TERM_LENGTH = 100
# what may surround a term without being part of it ("Nguyễn," "(Hương)")
_EDGE_PUNCTUATION = "\"'“”‘’«»()[]{}<>,.;:!?…"

SQLITE_FUNCTION = "LMS_FOLD"
# fold_vietnamese in PostgreSQL: decompose, drop the combining marks (U+0300–U+036F), đ → d,
# lower case. After the first three steps a Vietnamese letter is ASCII, so `lower` folds it
# whatever the database's collation.
_POSTGRES_TEMPLATE = (
    "lower(translate(regexp_replace(normalize(%(expressions)s, NFD), "
    "'[\\u0300-\\u036f]', '', 'g'), 'đĐ', 'dD'))"
)


def _sqlite_fold(value):
    return None if value is None else fold_vietnamese(str(value))


class Fold(Func):
    """`fold_vietnamese(expression)` in SQL (SQLite: a deterministic function registered on the
    connection; PostgreSQL: built-in functions). Whitespace is not collapsed: compare it with
    single folded terms."""

    output_field = TextField()
    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        # any other database: case only
        return super().as_sql(compiler, connection, function="LOWER", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        connection.ensure_connection()
        # cheap and idempotent; a connection opened before this module was imported has it too
        connection.connection.create_function(SQLITE_FUNCTION, 1, _sqlite_fold, deterministic=True)
        return super().as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template=_POSTGRES_TEMPLATE, **extra_context)


def search_terms(query: str) -> list[str]:
    """The folded terms of a query, without surrounding punctuation, at most `MAX_TERMS` of at
    most `MAX_TERM_LENGTH` characters."""
    terms = []
    for word in fold_vietnamese((query or "")[: MAX_TERMS * (MAX_TERM_LENGTH + 1) * 4]).split():
        term = word.strip(_EDGE_PUNCTUATION) or word
        if term not in terms:
            terms.append(term[:MAX_TERM_LENGTH])
        if len(terms) == MAX_TERMS:
            break
    return terms


def folded_condition(fields, query: str) -> Q | None:
    """The condition "every term of `query` is in one of `fields`" (ORM paths, related ones
    too), case and diacritics ignored; None when the query has no term."""
    terms = search_terms(query)
    if not terms or not fields:
        return None
    conditions = [
        reduce(or_, (Q(Contains(Fold(field), term)) for field in fields)) for term in terms
    ]
    return reduce(and_, conditions)


def folded_search(queryset, fields, query: str):
    """`queryset` where every term of `query` is in one of `fields`, case and diacritics
    ignored: "Nguyen", "HƯƠNG" and "huong" find "Nguyễn Thị Thu Hương". `%` and `_` are
    literal (Django escapes them in `contains`). One filter, no query of its own."""
    condition = folded_condition(fields, query)
    return queryset if condition is None else queryset.filter(condition)


# --- Wagtail's search index ------------------------------------------------------------------


def _bounded(text: str) -> str:
    # Wagtail's PostgreSQL backend nests one expression per term: hundreds of terms exceed
    # Python's recursion limit (a 500); keep the first MAX_TERMS, as the admin lists do
    words = (text or "")[: MAX_TERMS * (MAX_TERM_LENGTH + 1) * 4].split()[:MAX_TERMS]
    return " ".join(word[:MAX_TERM_LENGTH] for word in words)


def _as_typed_or_folded(query, make):
    text = _bounded(query.query_string)
    folded = fold_vietnamese(text)
    typed = make(text)
    if not folded or folded == " ".join(text.casefold().split()):
        return typed
    return Or([typed, make(folded)])


def fold_search_query(query):
    """A Wagtail search query, bounded (`MAX_TERMS` terms), that also matches folded text: each
    plain text or phrase whose folded form differs becomes "as typed OR folded"."""
    if isinstance(query, str):
        query = PlainText(query)
    if isinstance(query, PlainText):
        return _as_typed_or_folded(
            query, lambda text: PlainText(text, operator=query.operator, boost=query.boost)
        )
    if isinstance(query, Phrase):
        return _as_typed_or_folded(query, Phrase)
    if isinstance(query, (And, Or)):
        subqueries = query.subqueries[:MAX_TERMS]
        return type(query)([fold_search_query(subquery) for subquery in subqueries])
    if isinstance(query, Not):
        return Not(fold_search_query(query.subquery))
    return query


class FoldedSearchTextMixin:
    """An indexed model (a page) whose `search_text_fields` are also indexed folded, for plain
    and autocomplete search (Wagtail's admin page search is an autocomplete). Add
    `FOLDED_SEARCH_FIELDS` to its `search_fields`. A rich text or stream field contributes its
    searchable content (text without markup, every block), as Wagtail indexes it."""

    search_text_fields: tuple[str, ...] = ("title",)

    def search_text(self) -> str:
        parts = []
        for name in self.search_text_fields:
            value = getattr(self, name)
            try:
                field = self._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            if field is not None and hasattr(field, "get_searchable_content"):
                parts.extend(str(part) for part in field.get_searchable_content(value))
            elif value:
                parts.append(str(value))
        return fold_vietnamese(" ".join(parts))


FOLDED_SEARCH_FIELDS = [index.SearchField("search_text"), index.AutocompleteField("search_text")]


class _FoldingQueries:
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        operator = kwargs.get("operator")
        if isinstance(query, str) and operator:
            # a plain string takes the caller's operator once it becomes a query object
            query = PlainText(query, operator=operator)
        return super()._search(
            query_compiler_class, fold_search_query(query), model_or_queryset, **kwargs
        )


@cache
def _folding_class(backend_class):
    return type(f"Folding{backend_class.__name__}", (_FoldingQueries, backend_class), {})


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    """Wagtail's database backend for the running database (SQLite FTS5, PostgreSQL full-text),
    with queries folded (`fold_search_query`)."""
    backend_class = type(_database_backend(params))
    return _folding_class(backend_class)(params)
