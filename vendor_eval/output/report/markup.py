"""The award report's HTML pieces: escaped text, tables, label–value lines. Every cell
that holds user text is passed through :func:`e` by the caller; headers are ours."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

__all__ = ["e", "facts", "pct", "table", "when"]


def e(text: object) -> str:
    """User text for the HTML: every ``& < > " '`` escaped."""
    return html.escape(str(text), quote=True)


def when(at: dt.datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M %Z").strip()


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    num: Sequence[int] = (),
    classes: Sequence[str] | None = None,
) -> str:
    """A table; ``rows`` hold HTML already escaped, ``num`` the right-aligned columns."""
    head = "".join(
        f'<th class="num">{h}</th>' if i in num else f"<th>{h}</th>" for i, h in enumerate(headers)
    )
    body = []
    for r, row in enumerate(rows):
        cls = f' class="{classes[r]}"' if classes and classes[r] else ""
        cells = "".join(
            f'<td class="num">{c}</td>' if i in num else f"<td>{c}</td>" for i, c in enumerate(row)
        )
        body.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def facts(pairs: Sequence[tuple[str, str]]) -> str:
    """Label–value lines (a borderless table: it reads and extracts line by line)."""
    rows = "".join(f'<tr><th scope="row">{e(k)}</th><td>{e(v)}</td></tr>' for k, v in pairs)
    return f'<table class="facts"><tbody>{rows}</tbody></table>'
