"""Who may do what: the one place access is decided (docs/team.md §1).

Every service function, in ``projects/`` and ``team/``, asks :func:`require` (or
:func:`check`) before it reads or writes anything of a project; the dashboard only hides
what this module would refuse anyway.

**The actor's role in a project** (:func:`role_of`): the member whose e-mail is the actor's
name (case-insensitive) has that member's role; otherwise the project's creator is its
owner; otherwise a *local* actor (the command line, or a dashboard without sign-in: people
who hold the database itself and could edit it directly) is an owner; a signed-in person
who is none of these has no role, and the project does not exist for them.

**The rules** (status ``draft → scoring → moderation → decided``):

=====================  ==========================  ===============================  ==========
action                 owner                       evaluator                        observer
=====================  ==========================  ===============================  ==========
read the project       always                      always                           always
read the workbook      always                      never (their own sheet only)     decided
see the ranking        always                      moderation (*), decided         decided
read the history       always                      moderation (*), decided         decided
see the panel scores   always                      moderation (*), decided         decided
see the calibration    always                      never                            never
change the project     not decided                 never                            never
reopen the decision    decided                     never                            never
manage members         not decided                 never                            never
issue a sign-in code   always                      never                            never
declare conflicts      any (one handed in),        own, draft or scoring            never
                       draft or scoring
read a score sheet     any, always                 own, always                      never
score in the browser   never                       own, scoring                     never
submit a score sheet   any, scoring                own, scoring                     never
reopen a score sheet   scoring                     never                            never
moderate               moderation                  never                            never
see the performance    decided                     decided                          decided
import results         decided                     never                            never
update actions         decided                     never                            never
make the award report  always                      never (it shows the workbook)    decided
=====================  ==========================  ===============================  ==========

(*) once the evaluator's own sheet is submitted: what the panel scored must not shape a
sheet that is still open.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from vendor_eval.projects.actor import Actor
from vendor_eval.team.errors import PermissionDenied
from vendor_eval.team.state import EVALUATOR, OBSERVER, OWNER, Team
from vendor_eval.workbook.schema import name_key

DRAFT, SCORING, MODERATION, DECIDED = "draft", "scoring", "moderation", "decided"


class Action(StrEnum):
    """What an actor asks to do; the value is how a refusal names it."""

    READ_PROJECT = "read the project"
    READ_WORKBOOK = "read the workbook"
    READ_RANKING = "see the ranking"
    READ_HISTORY = "read the history"
    READ_SCORES = "see the panel's scores"
    READ_CALIBRATION = "see the evaluators' calibration"
    CHANGE = "change the workbook, weights, settings or status"
    REOPEN = "reopen the decision"
    MANAGE_MEMBERS = "manage the members"
    ISSUE_CODE = "issue sign-in codes"
    DECLARE = "declare conflicts of interest"
    READ_SHEET = "read a score sheet"
    SCORE = "save scores"
    SUBMIT_SHEET = "submit a score sheet"
    REOPEN_SHEET = "reopen a score sheet"
    MODERATE = "moderate"
    READ_PERFORMANCE = "see the vendor's performance"
    MONITOR = "import performance results"
    MANAGE_ACTIONS = "update corrective actions"
    READ_REPORT = "make the award report"


@dataclass(frozen=True)
class Resource:
    """What is acted on: the project (its name, status and team) and, for sheet actions,
    whose sheet (an e-mail)."""

    project: str
    status: str
    team: Team
    sheet_of: str | None = None


def role_of(actor: Actor, team: Team) -> str | None:
    """The actor's role in the project the team belongs to (see the module's docstring). An
    actor a one-time code signed in has a role only in the project the code was issued
    for."""
    if actor.scope is not None and actor.scope != team.project_key:
        return None
    role = team.role_of_name(actor.name)
    if role is None and not actor.signed_in:
        return OWNER
    return role


# (role, action) → the statuses in which it is allowed; a missing entry: never
_ALLOWED: dict[tuple[str, Action], tuple[str, ...]] = {}
_EVERY = (DRAFT, SCORING, MODERATION, DECIDED)
_OPEN = (DRAFT, SCORING, MODERATION)
for _action in Action:
    _ALLOWED[(OWNER, _action)] = _EVERY
_ALLOWED.update({
    (OWNER, Action.CHANGE): _OPEN,
    (OWNER, Action.MANAGE_MEMBERS): _OPEN,
    (OWNER, Action.REOPEN): (DECIDED,),
    (OWNER, Action.SUBMIT_SHEET): (SCORING,),
    (OWNER, Action.REOPEN_SHEET): (SCORING,),
    (OWNER, Action.MODERATE): (MODERATION,),
    (OWNER, Action.READ_PERFORMANCE): (DECIDED,),
    (OWNER, Action.MONITOR): (DECIDED,),
    (OWNER, Action.MANAGE_ACTIONS): (DECIDED,),
    (EVALUATOR, Action.READ_PROJECT): _EVERY,
    (EVALUATOR, Action.READ_RANKING): (MODERATION, DECIDED),
    (EVALUATOR, Action.READ_HISTORY): (MODERATION, DECIDED),
    (EVALUATOR, Action.READ_SCORES): (MODERATION, DECIDED),
    (EVALUATOR, Action.DECLARE): (DRAFT, SCORING),
    (EVALUATOR, Action.READ_SHEET): _EVERY,
    (EVALUATOR, Action.SCORE): (SCORING,),
    (EVALUATOR, Action.SUBMIT_SHEET): (SCORING,),
    (OBSERVER, Action.READ_PROJECT): _EVERY,
    (OBSERVER, Action.READ_WORKBOOK): (DECIDED,),
    (OBSERVER, Action.READ_RANKING): (DECIDED,),
    (OBSERVER, Action.READ_HISTORY): (DECIDED,),
    (OBSERVER, Action.READ_SCORES): (DECIDED,),
    (OBSERVER, Action.READ_REPORT): (DECIDED,),
    (EVALUATOR, Action.READ_PERFORMANCE): (DECIDED,),
    (OBSERVER, Action.READ_PERFORMANCE): (DECIDED,),
})  # fmt: skip
_ALLOWED[(OWNER, Action.DECLARE)] = (DRAFT, SCORING)  # records one handed in on paper
del _ALLOWED[(OWNER, Action.SCORE)]  # never scores in an evaluator's place (hands in sheets)
#: Actions on one evaluator's sheet: an evaluator may take them on their own sheet only.
_OWN_SHEET = (Action.DECLARE, Action.READ_SHEET, Action.SCORE, Action.SUBMIT_SHEET)

#: What an evaluator may read in moderation only once their own sheet is submitted: what
#: the panel scored must not shape a sheet still open.
_AFTER_OWN_SUBMISSION = (Action.READ_RANKING, Action.READ_HISTORY, Action.READ_SCORES)

_WHEN = {
    Action.CHANGE: "while it is not decided",
    Action.MANAGE_MEMBERS: "while it is not decided",
    Action.REOPEN: "once it is decided",
    Action.SCORE: "only while it is in scoring",
    Action.SUBMIT_SHEET: "only while it is in scoring",
    Action.REOPEN_SHEET: "only while it is in scoring",
    Action.MODERATE: "only while it is in moderation",
    Action.DECLARE: "only before scoring ends (draft or scoring)",
    Action.READ_PERFORMANCE: "once it is decided (the contract awarded)",
    Action.MONITOR: "once it is decided (the contract awarded)",
    Action.MANAGE_ACTIONS: "once it is decided (the contract awarded)",
}


def _state(status: str) -> str:
    """How a status reads after "it is": "decided", "in scoring"."""
    return status if status == DECIDED else f"in {status}"


def check(actor: Actor, action: Action, resource: Resource) -> str | None:
    """Why ``actor`` may not take ``action`` on ``resource``, as one sentence; None when
    allowed."""
    role = role_of(actor, resource.team)
    who = f"{actor.name} ({role or 'not a member'})"
    if role is None:
        return f"{actor.name} is not a member of {resource.project}"
    statuses = _ALLOWED.get((role, action))
    if statuses is None:
        return f"{who} may not {action.value} in {resource.project}"
    if (
        role != OWNER
        and action in _OWN_SHEET
        and resource.sheet_of is not None
        and name_key(resource.sheet_of) != name_key(actor.name)
    ):
        return f"{who} may not {action.value} of another evaluator in {resource.project}"
    if role == EVALUATOR and action in _OWN_SHEET and resource.team.member(actor.name) is None:
        return f"{who} has no score sheet in {resource.project}"  # pragma: no cover
    if (
        role == EVALUATOR
        and action in _AFTER_OWN_SUBMISSION
        and resource.status == MODERATION
        and not resource.team.sheet(actor.name).submitted
    ):
        return (
            f"{who} may {action.value} in {resource.project} once their own score sheet is "
            "submitted (scoring stays independent)"
        )
    if resource.status not in statuses:
        if role == OWNER:
            when = _WHEN.get(action, "")
            state = _state(resource.status)
            return f"{resource.project} is {state}: an owner may {action.value} {when}"
        shown = " or ".join(_state(x) for x in statuses).replace(" or in ", " or ")
        return (
            f"{who} may {action.value} in {resource.project} only when it is {shown} "
            f"(it is {_state(resource.status)})"
        )
    return None


def can(actor: Actor, action: Action, resource: Resource) -> bool:
    """Whether ``actor`` may take ``action`` on ``resource`` (:func:`check` says why not)."""
    return check(actor, action, resource) is None


def require(actor: Actor, action: Action, resource: Resource) -> None:
    """Refuse (:class:`PermissionDenied`, with :func:`check`'s sentence) unless allowed."""
    reason = check(actor, action, resource)
    if reason is not None:
        raise PermissionDenied(reason)


def visible(actor: Actor, team: Team) -> bool:
    """Whether the project exists for the actor (they have a role in it)."""
    return role_of(actor, team) is not None
