"""The built-in default model (docs/workbook-format.md §9): categories, criteria and header aliases.

A Vendors-only workbook or CSV has no Criteria sheet; the importer then recognises the
columns listed here (by canonical name or by a common alternative spelling) and treats every
other column as descriptive. The template and the bundled sample use the same model, so an
analyst who starts from either gets the same criteria the tool knows about.

The criterion aliases belong to this model, not to the workbook layout
(:mod:`vendor_eval.workbook.schema`): they name its criteria and change with them. They are
looked up with :func:`~vendor_eval.workbook.schema.alias_key`.

The model covers every stage of an outsourcing due-diligence checklist: reputation,
experience, capability, communication, contract terms, long-term viability and cost.
"""

from __future__ import annotations

from vendor_eval.core.model import Category, Criterion, Direction, Formula, MustRule, Scale
from vendor_eval.workbook.schema import alias_key

__all__ = [
    "DEFAULT_ALIASES",
    "DEFAULT_CATEGORIES",
    "DEFAULT_CRITERIA",
    "PERCENT_CRITERIA",
    "canonical_name",
    "default_criterion_for",
]

_H = Direction.HIGHER
_L = Direction.LOWER
_REL = Scale.RELATIVE
_ABS = Scale.ABSOLUTE
_YN = Scale.YESNO

DEFAULT_CATEGORIES: list[Category] = [
    Category(
        "Reputation",
        15.0,
        "What clients and the market say about the provider: ratings, references, track record.",
    ),
    Category(
        "Experience",
        15.0,
        "Whether the provider has done this kind of work before, in an industry like yours.",
    ),
    Category(
        "Capability",
        25.0,
        "Whether the provider can actually deliver: certifications, technical fit, people, "
        "security.",
    ),
    Category(
        "Communication",
        10.0,
        "How easy it will be to work together day to day: responsiveness, overlapping "
        "hours, language.",
    ),
    Category(
        "Contract",
        10.0,
        "How well the proposed contract protects you: service levels, penalties, exit, "
        "payment terms.",
    ),
    Category(
        "Long-term viability",
        10.0,
        "Whether the provider will still be there, and healthy, for the life of the contract.",
    ),
    Category("Cost", 15.0, "What the service costs you."),
]


def _rating(name: str, category: str, weight: float, what: str) -> Criterion:
    """A 1–5 rating: absolute scale, Min 1, Max 5 (docs/workbook-format.md §9.1)."""
    return Criterion(
        name=name,
        category=category,
        weight=weight,
        direction=_H,
        scale=_ABS,
        min=1.0,
        max=5.0,
        description=f"{what} Enter a rating from 1 (poor) to 5 (excellent).",
    )


DEFAULT_CRITERIA: list[Criterion] = [
    # -- Reputation --------------------------------------------------------------------
    _rating(
        "Client rating",
        "Reputation",
        40.0,
        "Average rating given by the provider's current and past clients (reference calls, "
        "review sites). Unhappy clients are the best early warning of a failing provider.",
    ),
    Criterion(
        "References checked",
        "Reputation",
        30.0,
        _H,
        _YN,
        description="yes if you have spoken to at least two of the provider's clients "
        "yourself, no otherwise. A provider that cannot name references is a red flag.",
    ),
    Criterion(
        "Years in business",
        "Reputation",
        30.0,
        _H,
        _REL,
        description="Years since the provider was founded. A long track record means "
        "processes that have been tested through good and bad times.",
    ),
    # -- Experience --------------------------------------------------------------------
    Criterion(
        "Similar projects delivered",
        "Experience",
        60.0,
        _H,
        _REL,
        description="Number of completed projects comparable to yours in scope and "
        "technology. Experience with similar work lowers delivery risk.",
    ),
    Criterion(
        "Years in client industry",
        "Experience",
        40.0,
        _H,
        _REL,
        description="Years the provider has worked for clients in your industry. Industry "
        "knowledge (regulation, jargon, typical systems) shortens the learning curve.",
    ),
    # -- Capability --------------------------------------------------------------------
    Criterion(
        "ISO 27001",
        "Capability",
        20.0,
        _H,
        _YN,
        must=MustRule("=", 1.0, "yes"),
        description="yes if the provider holds a current ISO/IEC 27001 information-security "
        "certificate (ask for the certificate and its scope), no otherwise. A typical "
        "must-have: a provider without it is disqualified.",
    ),
    _rating(
        "Technical fit",
        "Capability",
        35.0,
        "How well the provider's skills, tools and proposed solution match your "
        "requirements, as judged by your evaluation team.",
    ),
    Criterion(
        "Delivery headcount",
        "Capability",
        15.0,
        _H,
        _REL,
        description="Number of qualified staff the provider can put on your work. Enough "
        "people means holidays, sickness and staff turnover do not stop delivery.",
    ),
    _rating(
        "Security assessment",
        "Capability",
        30.0,
        "Result of your security review (questionnaire, audit report, penetration-test "
        "findings). Outsourcing hands the provider access to your systems and data.",
    ),
    # -- Communication -----------------------------------------------------------------
    Criterion(
        "Response time (hours)",
        "Communication",
        35.0,
        _L,
        _REL,
        description="Hours the provider takes to answer a normal support request, as "
        "promised in the proposal or measured during the evaluation. Lower is better.",
    ),
    Criterion(
        "Time-zone overlap (hours)",
        "Communication",
        35.0,
        _H,
        _REL,
        description="Working hours per day that the provider's team and yours are both at "
        "work. Overlap makes meetings and quick questions possible.",
    ),
    _rating(
        "Language proficiency",
        "Communication",
        30.0,
        "How well the provider's team speaks and writes your working language. "
        "Misunderstood requirements are a classic cause of failed outsourcing.",
    ),
    # -- Contract ----------------------------------------------------------------------
    Criterion(
        "SLA uptime",
        "Contract",
        30.0,
        _H,
        _REL,
        description="Availability the provider guarantees in the service-level agreement, "
        "as a percentage (enter 99.5% or 0.995). A guarantee is only worth what it is "
        "written down as.",
    ),
    Criterion(
        "Service credits",
        "Contract",
        25.0,
        _H,
        _YN,
        description="yes if the contract gives you money back (service credits) when the "
        "provider misses the service levels, no otherwise. Without them an SLA has no teeth.",
    ),
    Criterion(
        "Exit clause",
        "Contract",
        25.0,
        _H,
        _YN,
        description="yes if the contract lets you leave and take your data and "
        "documentation with the provider's help, no otherwise. Protects against lock-in.",
    ),
    Criterion(
        "Payment terms (days)",
        "Contract",
        20.0,
        _H,
        _REL,
        description="Days you have to pay an invoice (e.g. 30 for 'net 30'). Longer terms "
        "are better for you as the buyer: cash stays with you and you can withhold payment "
        "for poor work.",
    ),
    # -- Long-term viability -----------------------------------------------------------
    _rating(
        "Financial stability",
        "Long-term viability",
        40.0,
        "Your assessment of the provider's financial health (annual accounts, credit "
        "report, debt). A provider in trouble cuts corners or disappears mid-contract.",
    ),
    Criterion(
        "Revenue growth",
        "Long-term viability",
        30.0,
        _H,
        _REL,
        description="Revenue growth over the last year, as a percentage (enter 12% or "
        "0.12; a shrinking provider has a negative value). Growth signals a healthy business.",
    ),
    Criterion(
        "Client retention",
        "Long-term viability",
        30.0,
        _H,
        _REL,
        description="Share of clients that renewed their contract last year, as a "
        "percentage (enter 90% or 0.9). Clients who stay are clients who are satisfied.",
    ),
    # -- Cost --------------------------------------------------------------------------
    Criterion(
        "Blended hourly rate",
        "Cost",
        100.0,
        _L,
        Scale.PRICE,
        formula=Formula.RATIO,
        description="Average price per hour across the roles in the proposal, in one "
        "currency for all vendors. Scored as a price: the lowest rate ÷ this rate.",
    ),
]

#: Criteria whose values are fractions shown as percentages (0.995 displayed as 99.5%).
PERCENT_CRITERIA: frozenset[str] = frozenset({"SLA uptime", "Revenue growth", "Client retention"})

#: Alternative header spellings (as :func:`~vendor_eval.workbook.schema.alias_key` gives
#: them: lowercase, single spaces, ASCII hyphens) → canonical name.
DEFAULT_ALIASES: dict[str, str] = {
    # Reputation
    "client rating (1-5)": "Client rating",
    "customer rating": "Client rating",
    "client satisfaction": "Client rating",
    "references checked?": "References checked",
    "reference check": "References checked",
    "references verified": "References checked",
    "years in business": "Years in business",
    "years trading": "Years in business",
    "company age": "Years in business",
    "company age (years)": "Years in business",
    "years established": "Years in business",
    # Experience
    "similar projects": "Similar projects delivered",
    "comparable projects": "Similar projects delivered",
    "projects delivered": "Similar projects delivered",
    "relevant projects": "Similar projects delivered",
    "industry experience": "Years in client industry",
    "industry experience (years)": "Years in client industry",
    "years in industry": "Years in client industry",
    "years in the client's industry": "Years in client industry",
    "years in client's industry": "Years in client industry",
    # Capability
    "iso27001": "ISO 27001",
    "iso 27001 certified": "ISO 27001",
    "iso27001 certified": "ISO 27001",
    "iso/iec 27001": "ISO 27001",
    "iso 27001 certification": "ISO 27001",
    "iso-27001": "ISO 27001",
    "technical fit (1-5)": "Technical fit",
    "technical score": "Technical fit",
    "tech fit": "Technical fit",
    "headcount": "Delivery headcount",
    "delivery staff": "Delivery headcount",
    "team size": "Delivery headcount",
    "security assessment (1-5)": "Security assessment",
    "security score": "Security assessment",
    "security review": "Security assessment",
    # Communication
    "response time": "Response time (hours)",
    "response time (h)": "Response time (hours)",
    "response time (hrs)": "Response time (hours)",
    "response time hours": "Response time (hours)",
    "time zone overlap": "Time-zone overlap (hours)",
    "time-zone overlap": "Time-zone overlap (hours)",
    "timezone overlap": "Time-zone overlap (hours)",
    "time zone overlap (hours)": "Time-zone overlap (hours)",
    "timezone overlap (hours)": "Time-zone overlap (hours)",
    "time-zone overlap (h)": "Time-zone overlap (hours)",
    "overlap hours": "Time-zone overlap (hours)",
    "language skills": "Language proficiency",
    "language proficiency (1-5)": "Language proficiency",
    "english proficiency": "Language proficiency",
    # Contract
    "sla uptime (%)": "SLA uptime",
    "sla uptime %": "SLA uptime",
    "uptime": "SLA uptime",
    "uptime sla": "SLA uptime",
    "service credit": "Service credits",
    "sla credits": "Service credits",
    "exit clauses": "Exit clause",
    "exit terms": "Exit clause",
    "exit plan": "Exit clause",
    "termination clause": "Exit clause",
    "payment terms": "Payment terms (days)",
    "payment terms (d)": "Payment terms (days)",
    "payment days": "Payment terms (days)",
    # Long-term viability
    "financial stability (1-5)": "Financial stability",
    "financial health": "Financial stability",
    "revenue growth (%)": "Revenue growth",
    "revenue growth %": "Revenue growth",
    "yoy growth": "Revenue growth",
    "client retention (%)": "Client retention",
    "client retention %": "Client retention",
    "customer retention": "Client retention",
    "retention rate": "Client retention",
    # Cost
    "hourly rate": "Blended hourly rate",
    "blended rate": "Blended hourly rate",
    "rate (usd/h)": "Blended hourly rate",
    "rate (eur/h)": "Blended hourly rate",
    "rate (gbp/h)": "Blended hourly rate",
    "rate per hour": "Blended hourly rate",
    "hourly rate (usd)": "Blended hourly rate",
    "hourly rate (eur)": "Blended hourly rate",
    "blended hourly rate (usd)": "Blended hourly rate",
    "blended hourly rate (eur)": "Blended hourly rate",
    "price per hour": "Blended hourly rate",
}
# Deliberately absent: one-word headers such as "Rating", "Language", "References" or
# "Rate", which analysts also use for descriptive text; guessing wrong would turn a notes
# column into a criterion full of "not a number" errors.


_BY_NAME: dict[str, Criterion] = {alias_key(c.name): c for c in DEFAULT_CRITERIA}


def canonical_name(header: str) -> str | None:
    """The default criterion name a header refers to, or ``None`` if it is not one.

    Matching is case-insensitive, ignores surrounding and repeated spaces, and accepts the
    spellings in :data:`DEFAULT_ALIASES`.

    Examples
    --------
    >>> canonical_name("  iso27001 ")
    'ISO 27001'
    >>> canonical_name("Website") is None
    True
    """
    key = alias_key(header)
    if key in _BY_NAME:
        return _BY_NAME[key].name
    return DEFAULT_ALIASES.get(key)


def default_criterion_for(header: str) -> Criterion | None:
    """The default-model :class:`Criterion` for a Vendors header, or ``None``.

    Parameters
    ----------
    header:
        A column header as written in the workbook (any case, surrounding spaces allowed,
        canonical name or an alias from :data:`DEFAULT_ALIASES`).

    Returns
    -------
    Criterion or None
        The default criterion (with its canonical name), or ``None`` when the header is not
        a default criterion (the column is then descriptive).
    """
    name = canonical_name(header)
    if name is None:
        return None
    return _BY_NAME[alias_key(name)]
