"""The admin's unit pages: address, phone, hours, reception schedule, former names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.console.admin_forms import by_field, found, lines
from bot.console.auth import roles_required
from bot.console.case_forms import read_form
from bot.console.deps import actor_of, run_db
from bot.console.templating import render
from bot.faq.intents import Problem
from bot.staff.roles import Role
from bot.texts import admin_pages as texts
from bot.units.admin import UnitForm, UnitInvalid, load_unit, save_unit
from bot.units.service import list_units

FIELDS = ("address", "phone", "hours", "reception_schedule", "old_names", "old_names_in_part")


@roles_required(Role.ADMIN)
async def units_page(request: Request) -> Response:
    """GET /admin/units: every unit with its details."""
    units = await run_db(request, lambda s: list_units(session=s))
    done = request.query_params.get("done", "")
    saved = next((u.name for u in units if u.code == done), None)
    notice = texts.UNIT_SAVED.format(name=saved) if saved else None
    return render(request, "admin/units.html", {"P": texts, "units": units, "notice": notice})


def _values(form: UnitForm) -> dict[str, str]:
    """The editor's inputs (lists one item a line)."""
    return {
        "address": form.address,
        "phone": form.phone,
        "hours": form.hours,
        "reception_schedule": form.reception_schedule,
        "old_names": "\n".join(form.old_names),
        "old_names_in_part": "\n".join(form.old_names_in_part),
    }


def _form(stored: UnitForm, posted: Mapping[str, str]) -> UnitForm:
    """The posted details of the unit (its code and name are not edited here)."""
    return UnitForm(
        code=stored.code,
        name=stored.name,
        address=posted.get("address", ""),
        phone=posted.get("phone", ""),
        hours=posted.get("hours", ""),
        reception_schedule=posted.get("reception_schedule", ""),
        old_names=lines(posted.get("old_names", "")),
        old_names_in_part=lines(posted.get("old_names_in_part", "")),
    )


def _stored(session: Session, code: str) -> UnitForm:
    """The stored unit; a 404 page when there is none."""
    return found(lambda: load_unit(session=session, code=code))


def _page(
    request: Request,
    stored: UnitForm,
    values: Mapping[str, str],
    problems: Sequence[Problem] = (),
) -> Response:
    fields, others = by_field(problems, FIELDS)
    context: dict[str, Any] = {
        "P": texts,
        "unit": stored,
        "values": values,
        "problems": fields,
        "other_problems": others,
    }
    return render(request, "admin/unit_edit.html", context, 400 if problems else 200)


@roles_required(Role.ADMIN)
async def unit_page(request: Request) -> Response:
    """GET /admin/units/<CODE>: the unit's editor."""
    code = request.path_params["code"]
    stored = await run_db(request, lambda s: _stored(s, code))
    return _page(request, stored, _values(stored))


@roles_required(Role.ADMIN)
async def unit_save(request: Request) -> Response:
    """POST /admin/units/<CODE>: save the details; the office answers use them at once."""
    code = request.path_params["code"]
    actor = actor_of(request)
    posted = await read_form(request)
    stored = await run_db(request, lambda s: _stored(s, code))
    form = _form(stored, posted)
    try:
        await run_db(request, lambda s: save_unit(session=s, actor=actor, form=form))
    except UnitInvalid as invalid:
        values = {field: posted.get(field, "") for field in FIELDS}
        return _page(request, stored, values, list(invalid.problems))
    return RedirectResponse(f"/admin/units?done={code}", status_code=303)


routes = [
    Route("/admin/units", units_page, methods=["GET"]),
    Route("/admin/units/{code}", unit_page, methods=["GET"]),
    Route("/admin/units/{code}", unit_save, methods=["POST"]),
]
