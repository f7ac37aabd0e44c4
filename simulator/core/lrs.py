"""Sending finished attempts to a learning record store (LRS), for a department that outgrows one PC.

Statements (see :mod:`simulator.core.xapi`) wait in the attempt store's outbox and are sent in
batches, oldest first, whenever :func:`sync` runs (``frontline sync``, or the app in the background
after each finished attempt). A statement leaves the outbox only when the LRS accepted it; when
the LRS cannot be reached the rest wait for the next sync, and nothing blocks practice.

Where the LRS is comes from, in order: the environment (``FRONTLINE_LRS_ENDPOINT``,
``FRONTLINE_LRS_USERNAME``, ``FRONTLINE_LRS_PASSWORD``, ``FRONTLINE_LRS_HOME_PAGE``), then the
``[lrs]`` section of the settings file (``endpoint``, ``username``, ``password``, ``home_page``),
which the app's settings write, then the same section of the system-wide settings file an
administrator writes for every user (:func:`simulator.core.paths.system_settings_path`).
"""

from __future__ import annotations

import base64
import configparser
import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .paths import AppPaths, system_settings_path
from .storage import AttemptStore
from .xapi import DEFAULT_HOME_PAGE, XAPI_VERSION, attempt_statements

ENV_PREFIX = "FRONTLINE_LRS_"
# Statements per request. One request per sync in the common case: some stores (ralph's file
# backend) take only whole batches well, and an LRS drops the statements it already holds, so a
# batch resent after a lost answer stores nothing twice.
BATCH = 1000


@dataclass(frozen=True)
class LrsSettings:
    endpoint: str
    username: str = ""
    password: str = ""
    home_page: str = DEFAULT_HOME_PAGE

    @property
    def statements_url(self) -> str:
        base = self.endpoint.rstrip("/")
        return base if base.endswith("/statements") else base + "/statements"

    @classmethod
    def load(cls, paths: AppPaths | None = None) -> LrsSettings | None:
        """The configured LRS, or None when no endpoint is set anywhere."""
        values: dict[str, str] = {}
        settings_file = settings_path(paths or AppPaths.default())
        parser = configparser.ConfigParser(interpolation=None)
        try:
            # The user's own file is read last, so what they set wins over the machine's defaults.
            parser.read([system_settings_path(), settings_file], encoding="utf-8")
        except (configparser.Error, OSError, UnicodeDecodeError):
            parser = configparser.ConfigParser(interpolation=None)  # an unreadable file configures nothing
        if parser.has_section("lrs"):
            values.update({k: v.strip() for k, v in parser.items("lrs")})
        for key in ("endpoint", "username", "password", "home_page"):
            env = os.environ.get(ENV_PREFIX + key.upper())
            if env is not None:
                values[key] = env
        endpoint = values.get("endpoint", "")
        if not endpoint:
            return None
        return cls(
            endpoint=endpoint,
            username=values.get("username", ""),
            password=values.get("password", ""),
            home_page=values.get("home_page") or DEFAULT_HOME_PAGE,
        )


def settings_path(paths: AppPaths) -> Path:
    """The settings file the app's QSettings writes (INI format, in the config folder)."""
    return paths.config_dir / "Frontline" / "Frontline.ini"


@dataclass(frozen=True)
class SyncReport:
    queued: int  # statements added to the outbox by this sync
    sent: int  # statements the LRS accepted in this sync
    waiting: int  # statements still in the outbox
    problem: str = ""  # why sending stopped, in words; "" when everything went

    def __str__(self) -> str:
        text = f"{self.sent} statement(s) sent, {self.waiting} waiting"
        return f"{text}: {self.problem}" if self.problem else text


def queue_finished(store: AttemptStore, home_page: str = DEFAULT_HOME_PAGE) -> int:
    """Put every finished attempt's statements in the outbox, once."""
    queued = 0
    for record in store.unqueued_finished():
        queued += store.queue_statements(record.id, attempt_statements(record, record.state, home_page))
    return queued


def sync(store: AttemptStore, settings: LrsSettings | None, timeout: float = 10.0) -> SyncReport:
    """Queue what is new, then send what waits, in batches of up to BATCH statements; stops at the
    first batch the LRS does not take (those statements wait for the next sync)."""
    queued = queue_finished(store, settings.home_page if settings else DEFAULT_HOME_PAGE)
    if settings is None:
        _, waiting = store.outbox_counts()
        return SyncReport(queued, 0, waiting, "no learning record store is set up")
    sent = 0
    problem = ""
    pending = store.pending_statements()
    for start in range(0, len(pending), BATCH):
        batch = pending[start : start + BATCH]
        problem = _post(settings, "[" + ",".join(text for _, text in batch) + "]", timeout)
        if problem:
            store.mark_failed([statement_id for statement_id, _ in batch], problem)
            break
        store.mark_sent([statement_id for statement_id, _ in batch])
        sent += len(batch)
    _, waiting = store.outbox_counts()
    return SyncReport(queued, sent, waiting, problem)


def _post(settings: LrsSettings, statement: str, timeout: float) -> str:
    """'' when the LRS stored the statements (or already had them), else what went wrong, in words."""
    request = urllib.request.Request(settings.statements_url, data=statement.encode("utf-8"), method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Experience-API-Version", XAPI_VERSION)
    if settings.username or settings.password:
        token = base64.b64encode(f"{settings.username}:{settings.password}".encode()).decode("ascii")
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the trainer's own LRS)
            response.read()
            return ""
    except urllib.error.HTTPError as exc:
        if exc.code == 409:
            return ""  # it already holds a statement with this id: sent before, answer lost
        detail = exc.read(300).decode("utf-8", "replace")
        if exc.code in (401, 403):
            return f"the learning record store refused the user name or password (HTTP {exc.code})"
        return f"the learning record store answered HTTP {exc.code}: {_short(detail)}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return f"cannot reach the learning record store at {settings.statements_url} ({reason})"


def _short(text: str) -> str:
    try:
        data = json.loads(text)
        text = str(data.get("detail", text)) if isinstance(data, dict) else text
    except json.JSONDecodeError:
        pass
    return " ".join(text.split())[:200]
