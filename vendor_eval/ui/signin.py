"""Who is acting on the Projects page: the local user, or in team mode a signed-in member
(docs/team.md §3).

**Local mode** (the default, ``make run``): no sign-in; the operating system's user acts
(:func:`~vendor_eval.projects.actor.local_actor`) and owns what it creates, as on the command
line: whoever runs the server holds the database anyway.

**Team mode** is on when the environment variable ``VENDOR_EVAL_TEAM`` says so (``1``,
``true``, ``yes``) or ``.streamlit/secrets.toml`` has ``team = true`` in its ``[vendor_eval]``
table (either is enough). Then the person acting is, in this order:

1. the member a one-time code signed in, kept in this browser session's state;
2. the e-mail address in the header an authenticating reverse proxy sets, when one is
   configured (``proxy_header`` in ``[vendor_eval]`` or ``VENDOR_EVAL_PROXY_HEADER``) —
   honoured only then, and only as one valid e-mail address (a repeated header with
   different values is ignored);
3. the OpenID Connect user of ``st.login``, when ``secrets.toml`` has an ``[auth]`` table
   and the provider's e-mail is not marked unverified;
4. nobody: the page shows the sign-in form and nothing of any project.

A secrets file that exists but cannot be read is an error, never local mode: a broken file
meant to turn team mode on must not hand everybody the owner's rights. The ``[vendor_eval]``
table may also give ``secret_key`` (the score sheets' signing key), exported as
``VENDOR_EVAL_SECRET_KEY`` unless that is set already.

This module says who someone is; what they may do is decided by the service
(:mod:`vendor_eval.team.access`), which every page calls.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

from vendor_eval.core.problems import VendorEvalError
from vendor_eval.projects.actor import Actor, local_actor
from vendor_eval.team.tokens import ENV_KEY
from vendor_eval.ui.text import md

ENV_TEAM = "VENDOR_EVAL_TEAM"
ENV_PROXY_HEADER = "VENDOR_EVAL_PROXY_HEADER"
#: The table of ``.streamlit/secrets.toml`` read here.
SECTION = "vendor_eval"
ACTOR = "ve_signed_in"  # the Actor a one-time code signed in (this browser session only)
CLIENT = "ve_client"  # a client id for the rate limit when Streamlit gives no session id
SIGN_IN_FORM = "signin_form"
CODE_INPUT = "signin_code"
#: Where the identity came from.
LOCAL, CODE, PROXY, OIDC = "local", "code", "proxy", "oidc"
_ON = {"1", "true", "yes", "on"}
_OFF = {"", "0", "false", "no", "off"}
_HEADER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,99}")


class TeamConfigError(VendorEvalError):
    """Team mode's settings cannot be read; the page shows this and nothing else."""


@dataclass(frozen=True)
class TeamConfig:
    """How the dashboard tells who is acting."""

    team: bool = False
    proxy_header: str | None = None
    oidc: bool = False


@dataclass(frozen=True)
class Identity:
    """The person acting and how they were recognised (``LOCAL``, ``CODE``, ``PROXY``,
    ``OIDC``)."""

    actor: Actor
    source: str


def read_secrets() -> dict[str, Any]:
    """``.streamlit/secrets.toml`` as a dict; ``{}`` when there is none. A secrets file that
    exists but cannot be read raises :class:`TeamConfigError`."""
    try:
        return dict(st.secrets.to_dict())
    except FileNotFoundError:  # Streamlit's "no secrets", also raised for a file it cannot parse
        present = [p for p in st.get_option("secrets.files") or [] if os.path.exists(p)]
        if present:
            raise TeamConfigError(
                f"the secrets file {present[0]} cannot be read (is it valid TOML?): fix it "
                "and reload; the dashboard does not fall back to local mode meanwhile"
            ) from None
        return {}


def _flag(value: object, where: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in _ON:
        return True
    if text in _OFF:
        return False
    raise TeamConfigError(f"{where} is {str(value)!r}: say true or false (1 or 0, yes or no)")


def _header_name(value: object, where: str) -> str | None:
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if not _HEADER_NAME.fullmatch(text):
        raise TeamConfigError(
            f"{where} {text!r} is not an HTTP header name (e.g. X-Forwarded-Email)"
        )
    return text


def team_config(env: Mapping[str, str] | None = None) -> TeamConfig:
    """Team mode and its sign-in options, from the environment and the secrets file (see
    the module's docstring); exports ``secret_key`` as ``VENDOR_EVAL_SECRET_KEY`` when that
    is unset."""
    environ = os.environ if env is None else env
    secrets = read_secrets()
    section = secrets.get(SECTION, {})
    if not isinstance(section, Mapping):
        raise TeamConfigError(f"[{SECTION}] in .streamlit/secrets.toml must be a table")
    team = _flag(environ.get(ENV_TEAM, ""), ENV_TEAM) or _flag(
        section.get("team", False), f"team in the [{SECTION}] table of .streamlit/secrets.toml"
    )
    key = section.get("secret_key")
    if key and not os.environ.get(ENV_KEY):
        os.environ[ENV_KEY] = str(key)
    proxy = _header_name(environ.get(ENV_PROXY_HEADER), ENV_PROXY_HEADER) or _header_name(
        section.get("proxy_header"), f"proxy_header in [{SECTION}]"
    )
    auth = secrets.get("auth")
    return TeamConfig(team=team, proxy_header=proxy, oidc=isinstance(auth, Mapping) and bool(auth))


def _email(value: object) -> str | None:
    """``value`` as an e-mail address (team.members' rule), or None."""
    from vendor_eval.team.members import clean_email

    try:
        return clean_email(value)
    except VendorEvalError:
        return None


def proxy_email(header: str) -> str | None:
    """The e-mail address the proxy's ``header`` holds: exactly one value (repeated with
    different values: none), a valid address."""
    values = {v.strip() for v in st.context.headers.get_all(header)}
    if len(values) != 1:
        return None
    return _email(values.pop())


def oidc_email() -> str | None:
    """The e-mail of the user ``st.login`` signed in, unless the provider marks it
    unverified."""
    user = st.user
    if not user.get("is_logged_in"):
        return None
    if user.get("email_verified") is False:
        return None
    return _email(user.get("email"))


def identity(config: TeamConfig) -> Identity | None:
    """Who is acting (see the module's docstring), or None: nobody signed in."""
    if not config.team:
        return Identity(local_actor(), LOCAL)
    kept = st.session_state.get(ACTOR)
    if isinstance(kept, Actor):
        return Identity(kept, CODE)
    if config.proxy_header:
        email = proxy_email(config.proxy_header)
        if email:
            return Identity(Actor(email, signed_in=True), PROXY)
    if config.oidc:
        email = oidc_email()
        if email:
            return Identity(Actor(email, signed_in=True), OIDC)
    return None


def listen_address() -> str:
    """The address the server listens on (``server.address``; empty: every address)."""
    return str(st.get_option("server.address") or "")


def local_mode_problem(address: object = None) -> str | None:
    """Why the Projects page may not run without sign-in, or None. Local mode trusts
    whoever reaches the page as the owner, so it serves only this computer: the server must
    listen on a loopback address (``.streamlit/config.toml`` says 127.0.0.1)."""
    where = str(listen_address() if address is None else address).strip()
    if where.startswith("127.") or where.strip("[]") in ("::1", "localhost"):
        return None
    shown = where or "every network address"
    return (
        f"This dashboard listens on {shown} without sign-in, so anyone who reaches it would "
        f"act as the owner of every project. Turn team mode on ({ENV_TEAM}=1, see the "
        "README's “Running an evaluation as a team”) or listen on 127.0.0.1 only. The quick "
        "view needs no database and works either way."
    )


def current_actor(db: Any = None) -> Actor | None:
    """The actor of this rerun (local mode: the local user; team mode: the signed-in member,
    or None). ``db`` is not read: who someone is does not depend on the database; what they
    may do there is the service's question."""
    del db
    who = identity(team_config())
    return None if who is None else who.actor


def client_id() -> str:
    """This browser session's id (what the sign-in rate limit counts attempts by)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None and ctx.session_id:
        return str(ctx.session_id)
    kept = st.session_state.get(CLIENT)
    if not isinstance(kept, str):
        kept = uuid.uuid4().hex
        st.session_state[CLIENT] = kept
    return kept


def _forget_session() -> None:
    """Drop everything this browser session kept (the signed-in actor, every project's
    snapshot and inputs) but its client id."""
    for k in list(st.session_state.keys()):
        if k != CLIENT:
            del st.session_state[k]
    st.query_params.clear()


def render_sign_in(db: Any, config: TeamConfig | None = None) -> None:
    """The sign-in form: a one-time code (and, with OIDC configured, "Sign in with your
    organisation"). A code signs its member in for this browser session and opens the
    project it was issued for; a refusal (a wrong, used or expired code, too many attempts)
    is the service's sentence."""
    from vendor_eval.team.signin import sign_in
    from vendor_eval.ui.projects_page import NOTE, open_project

    config = config or team_config()
    st.subheader("Sign in", anchor=False)
    st.caption(
        "Team mode: sign in with the one-time code the project's owner gave you. A code "
        "works once; ask the owner for a new one when it has expired or was used."
    )
    if config.proxy_header and st.context.headers.get_all(config.proxy_header):
        st.warning(
            f"The sign-in proxy's header {md(config.proxy_header)} does not hold one e-mail "
            "address: ask the administrator.",
            icon=":material/warning:",
        )
    with st.form(SIGN_IN_FORM, clear_on_submit=True):
        code = st.text_input(
            "Sign-in code", type="password", key=CODE_INPUT, autocomplete="one-time-code"
        )
        submitted = st.form_submit_button(
            "Sign in", key="signin_submit", type="primary", icon=":material/login:"
        )
    if submitted:
        try:
            signed = sign_in(db, code or "", client=client_id())
        except VendorEvalError as e:  # a refused code (SignInRefused) or the database
            st.error(md(e), icon=":material/error:")
        else:
            _forget_session()
            st.session_state[ACTOR] = signed.actor
            st.session_state[NOTE] = (
                f"Signed in as {signed.actor.name} ({signed.role} of {signed.project})."
            )
            open_project(signed.project)
            st.rerun()
    if config.oidc:
        st.divider()
        if st.button("Sign in with your organisation", key="signin_oidc", icon=":material/badge:"):
            try:
                st.login()
            except StreamlitAPIException as e:
                st.error(
                    f"Signing in with your organisation is not set up correctly: {md(e)}",
                    icon=":material/error:",
                )


def render_sign_out(who: Identity) -> None:
    """In the sidebar: who is signed in, and "Sign out" (a proxy's user signs out at the
    proxy)."""
    if who.source == LOCAL:
        return
    box = st.sidebar.container(border=True)
    box.caption(f"Signed in as **{md(who.actor.name)}**")
    if who.source == PROXY:
        box.caption("Signed in by the sign-in proxy: sign out there.")
        return
    if who.source == CODE:
        box.caption(
            "Signed in with a one-time code for this browser tab: reloading or closing it "
            "signs you out, and the code is used up (the owner gives you a new one)."
        )
    if box.button("Sign out", key="signout", icon=":material/logout:"):
        _forget_session()
        if who.source == OIDC:
            st.logout()
            return
        st.rerun()
