"""Classroom mode: a scored negotiation exercise for a class, and its live debrief (API and pages).

The instructor creates an exercise from a case file and a number of groups; every group plays the case with
one student per role. Each student gets a private link that shows only that role's sheet (its point table,
BATNA and the instructor's confidential Markdown instructions), a calculator of its own points, and a form
to report the group's final agreement or an impasse. A group's result counts once every member reported the
same; a mismatch is shown to the group until it is resolved. The instructor sees who has not reported and
the debrief (:func:`accord.analysis.batch.debrief`, drawn by :mod:`accord.report.debrief_html` — the same
figures ``accord evaluate CASE --agreements results.csv --report page.html`` prints), and a reveal switch
shows the class the anonymised debrief.

Tokens follow the mediated app (see :mod:`accord.web.security`): ``Authorization: Bearer TOKEN`` on the API,
the token in the path of a page link; only SHA-256 hashes are stored. A student's token is an HMAC of its
seat under the instructor's token, so the instructor can download the links again at any time while the
server keeps no usable token. No token → 401, an unknown token → 401 (rate-limited), a token of another
exercise or a student token on an instructor route → 403, a malformed body → 422 naming the field.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import math
import secrets
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from accord.errors import AccordError
from accord.store.classroom import Exercise, Student, StudentResult
from accord.store.db import Database
from accord.store.models import utcnow
from accord.web import deps, pages
from accord.web.pages import PageError
from accord.web.security import new_token, same_hash, token_hash
from accord.web.service import ServiceError

if TYPE_CHECKING:
    from accord.analysis.batch import Debrief
    from accord.analysis.frontier import Frontier
    from accord.model import Case

#: Most groups in one exercise.
MAX_GROUPS = 200
#: Most seats (groups × roles) in one exercise.
MAX_SEATS = 2000
#: Longest confidential instructions of one role (characters of Markdown).
MAX_INSTRUCTIONS = 20_000
#: Most roles (parties) in an exercise's case.
MAX_ROLES = 10
#: Most packages in an exercise's case (its frontier is computed when the exercise is made).
MAX_PACKAGES = 10**9
#: Exercises whose case and frontier are kept in memory.
_CACHE_SIZE = 64

router = APIRouter()
_bearer = HTTPBearer(auto_error=False, description="The instructor token or a student's token.")
Auth = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
ExerciseId = Annotated[str, PathParam(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")]
Label = Annotated[str, Field(min_length=1, max_length=200)]


# -- data ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Seat:
    """Whom a token speaks for: the instructor, or one student (a group and a role)."""

    exercise_id: str
    kind: str  # "instructor" or "student"
    student_id: int | None = None
    group: int | None = None
    role: str | None = None


def student_token(instructor_token: str, exercise_id: str, group: int, role: str) -> str:
    """A student's token: HMAC-SHA256 of the seat under the instructor's token (256 bits, URL-safe).

    Only the instructor, who holds the key, can produce it again; the server stores only its hash.
    """
    mac = hmac.new(instructor_token.encode(), f"accord-classroom\x00{exercise_id}\x00{group}\x00{role}".encode(),
                   hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def group_id(group: int) -> str:
    """The id of a group in the debrief and in the results CSV."""
    return f"group {group}"


def _result_key(r: StudentResult) -> str:
    return "impasse" if r.impasse else json.dumps(r.agreement, sort_keys=True)


def group_state(roles: Sequence[str], results: Mapping[str, StudentResult]) -> str:
    """``"waiting"``, ``"mismatch"`` (two members reported different results), ``"agreed"`` or ``"impasse"``.

    Examples
    --------
    >>> group_state(["A", "B"], {})
    'waiting'
    """
    keys = {_result_key(r) for r in results.values()}
    if len(keys) > 1:
        return "mismatch"
    if len(results) < len(roles):
        return "waiting"
    return "impasse" if keys == {"impasse"} else "agreed"


class Classroom:
    """Every read and change of classroom exercises over one :class:`~accord.store.db.Database`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._cache: dict[str, tuple[Case, Frontier]] = {}
        self._lock = threading.Lock()

    # -- set-up --------------------------------------------------------------------------------------------
    def create(self, case_data: Mapping[str, Any], groups: int, *, name: str | None = None,
               instructions: Mapping[str, str] | None = None,
               names: Sequence[str] | None = None) -> dict[str, Any]:
        """Create an exercise; return its id, the instructor token and every student's token.

        ``names`` (optional) are given to the seats in order: group 1's roles in the case's order, then
        group 2's, ... They are shown to the instructor only.
        """
        case = _parse_case(case_data)
        roles = list(case.party_names)
        if not 1 <= groups <= MAX_GROUPS:
            raise ServiceError(422, f"groups: give 1 to {MAX_GROUPS} groups, not {groups}", "groups")
        if groups * len(roles) > MAX_SEATS:
            raise ServiceError(422, f"groups: {groups} groups × {len(roles)} roles is more than {MAX_SEATS} "
                                    "students", "groups")
        if names is not None and len(names) > groups * len(roles):
            raise ServiceError(422, f"names: {len(names)} names for {groups * len(roles)} students", "names")
        text = _check_instructions(roles, instructions or {})
        frontier = _frontier(case)
        eid = secrets.token_hex(16)
        instructor = new_token()
        students = []
        with self.db.write() as s:
            s.add(Exercise(id=eid, name=(name or case.name)[:200], case=case.to_dict(), groups=groups,
                           instructions=text, instructor_hash=token_hash(instructor), revealed=False))
            s.flush()
            seat = 0
            for g in range(1, groups + 1):
                for role in roles:
                    tok = student_token(instructor, eid, g, role)
                    who = names[seat].strip() or None if names is not None and seat < len(names) else None
                    s.add(Student(exercise_id=eid, group_no=g, role=role, name=who, token_hash=token_hash(tok)))
                    students.append({"group": g, "role": role, "token": tok})
                    seat += 1
        self._remember(eid, case, frontier)
        return {"id": eid, "instructor_token": instructor, "students": students}

    def principal(self, token: str) -> Seat | None:
        """Whom ``token`` speaks for, or None for an unknown token."""
        if not token or len(token) > 200:
            return None
        digest = token_hash(token)
        with self.db.read() as s:
            ex = s.execute(select(Exercise).where(Exercise.instructor_hash == digest)).scalar_one_or_none()
            if ex is not None and same_hash(ex.instructor_hash, digest):
                return Seat(ex.id, "instructor")
            st = s.execute(select(Student).where(Student.token_hash == digest)).scalar_one_or_none()
            if st is not None and same_hash(st.token_hash, digest):
                return Seat(st.exercise_id, "student", st.id, st.group_no, st.role)
        return None

    # -- loading ---------------------------------------------------------------------------------------------
    def _remember(self, eid: str, case: Case, frontier: Frontier) -> None:
        with self._lock:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.pop(next(iter(self._cache)))
            self._cache[eid] = (case, frontier)

    def case_of(self, ex: Exercise) -> tuple[Case, Frontier]:
        with self._lock:
            hit = self._cache.get(ex.id)
        if hit is None:
            case = _parse_case(ex.case)
            hit = (case, _frontier(case))
            self._remember(ex.id, *hit)
        return hit

    @staticmethod
    def _exercise(s: Session, eid: str) -> Exercise:
        ex = s.get(Exercise, eid)
        if ex is None:  # pragma: no cover - a token exists only with its exercise (cascade)
            raise ServiceError(404, "no such exercise")
        return ex

    @staticmethod
    def _seats(s: Any, eid: str) -> tuple[list[Student], dict[int, StudentResult]]:
        students = list(s.execute(select(Student).where(Student.exercise_id == eid)
                                  .order_by(Student.group_no, Student.id)).scalars())
        results = {r.student_id: r for r in s.execute(select(StudentResult)
                                                      .where(StudentResult.exercise_id == eid)).scalars()}
        return students, results

    def _groups(self, ex: Exercise, students: list[Student], results: dict[int, StudentResult],
                roles: Sequence[str], *, names: bool) -> list[dict[str, Any]]:
        by_group: dict[int, list[Student]] = {}
        for st in students:
            by_group.setdefault(st.group_no, []).append(st)
        out = []
        for g in range(1, ex.groups + 1):
            members = sorted(by_group.get(g, []), key=lambda st: roles.index(st.role))
            got = {st.role: results[st.id] for st in members if st.id in results}
            rows = []
            for st in members:
                r = results.get(st.id)
                row: dict[str, Any] = {"role": st.role, "submitted": r is not None,
                                       "impasse": bool(r.impasse) if r is not None else None,
                                       "agreement": (r.agreement if r is not None and not r.impasse else None)}
                if names:
                    row["name"] = st.name
                rows.append(row)
            out.append({"group": g, "state": group_state(roles, got), "members": rows})
        return out

    # -- reads -----------------------------------------------------------------------------------------------
    def overview(self, who: Seat) -> dict[str, Any]:
        """The instructor: every group's status and who has not reported. A student: its own role sheet and its
        own group's status (never another group's, never a name)."""
        with self.db.read() as s:
            ex = self._exercise(s, who.exercise_id)
            case, _ = self.case_of(ex)
            roles = list(case.party_names)
            students, results = self._seats(s, ex.id)
            if who.kind == "instructor":
                groups = self._groups(ex, students, results, roles, names=True)
                return {
                    "id": ex.id, "name": ex.name, "case": case.name, "roles": roles, "groups": ex.groups,
                    "revealed": ex.revealed, "instructions": dict(ex.instructions),
                    "issues": [{"issue": i.name, "options": list(i.options)} for i in case.issues],
                    "submitted": sum(g["state"] in ("agreed", "impasse") for g in groups),
                    "status": groups,
                    "not_submitted": [{"group": g["group"], "role": m["role"], "name": m["name"]}
                                      for g in groups for m in g["members"] if not m["submitted"]],
                }
            mine = [st for st in students if st.group_no == who.group]
            group = _own_group(mine, results, roles, who)
            return {"id": ex.id, "name": ex.name, "revealed": ex.revealed, **role_sheet(case, who.role or ""),
                    "group": who.group, "instructions": ex.instructions.get(who.role or "", ""),
                    "group_status": group}

    def value(self, who: Seat, package: Mapping[str, str]) -> dict[str, Any]:
        """What a package is worth to the calling student's role (its own points only)."""
        _student_only(who)
        with self.db.read() as s:
            case, _ = self.case_of(self._exercise(s, who.exercise_id))
        pkg = _check_package(case, package, "package")
        i = case.party_names.index(who.role or "")
        u = float(case.utility(pkg)[i])
        return {"role": who.role, "package": case.labels(pkg), "points": u, "batna": float(case.batnas[i])}

    def submit(self, who: Seat, agreement: Mapping[str, str] | None) -> dict[str, Any]:
        """Record the calling student's report of the group's result (replacing an earlier one)."""
        _student_only(who)
        with self.db.read() as s:
            case, _ = self.case_of(self._exercise(s, who.exercise_id))
        labels = None
        if agreement is not None:
            labels = case.labels(_check_package(case, agreement, "agreement"))
        with self.db.write() as s:
            ex = self.db.lock(s, Exercise, who.exercise_id)
            assert ex is not None
            row = s.execute(select(StudentResult).where(StudentResult.student_id == who.student_id)
                            ).scalar_one_or_none()
            if row is None:
                assert who.student_id is not None
                row = StudentResult(student_id=who.student_id, exercise_id=ex.id)
                s.add(row)
            row.agreement = labels
            row.impasse = labels is None
            row.updated_at = utcnow()
        with self.db.read() as s:
            ex = self._exercise(s, who.exercise_id)
            students, results = self._seats(s, ex.id)
            mine = [st for st in students if st.group_no == who.group]
            return _own_group(mine, results, list(case.party_names), who)

    def _debrief(self, s: Any, ex: Exercise) -> Debrief:
        from accord.analysis.batch import debrief

        case, frontier = self.case_of(ex)
        roles = list(case.party_names)
        students, results = self._seats(s, ex.id)
        ids, packages, impasses = [], [], []
        for g in self._groups(ex, students, results, roles, names=False):
            if g["state"] == "agreed":
                ids.append(group_id(g["group"]))
                packages.append(case.package(g["members"][0]["agreement"]))
            elif g["state"] == "impasse":
                impasses.append(group_id(g["group"]))
        return debrief(case, packages, ids=ids, impasses=impasses, groups=ex.groups, frontier=frontier)

    def debrief(self, who: Seat) -> Debrief:
        """The full debrief (instructor only)."""
        _instructor_only(who)
        with self.db.read() as s:
            return self._debrief(s, self._exercise(s, who.exercise_id))

    def class_debrief(self, who: Seat) -> Debrief:
        """The debrief the class may see: only after the reveal (render it with ``anonymous=True``)."""
        with self.db.read() as s:
            ex = self._exercise(s, who.exercise_id)
            if who.kind != "instructor" and not ex.revealed:
                raise ServiceError(403, "the instructor has not revealed the debrief yet")
            return self._debrief(s, ex)

    def results_csv(self, who: Seat) -> str:
        """Every reported group result as the CSV ``accord evaluate --agreements`` reads (impasses included)."""
        from accord.io.agreements import CsvWriter

        d = self.debrief(who)
        case = d.batch.case
        buf = io.StringIO()
        w = CsvWriter(buf)
        w.writerow(["id", *case.issue_names])
        for gid, pkg in zip(d.batch.ids, d.batch.packages, strict=True):
            w.writerow([gid, *case.labels(pkg).values()])
        for gid in d.impasses:
            w.writerow([gid, *(["impasse"] * case.n_issues)])
        return buf.getvalue()

    def links_csv(self, who: Seat, instructor_token: str, base_url: str) -> str:
        """One private link per student (group, role, name, link), made again from the instructor's token."""
        from accord.io.agreements import CsvWriter

        _instructor_only(who)
        buf = io.StringIO()
        w = CsvWriter(buf)
        w.writerow(["group", "role", "name", "link"])
        with self.db.read() as s:
            for st in self._seats(s, who.exercise_id)[0]:
                tok = student_token(instructor_token, who.exercise_id, st.group_no, st.role)
                w.writerow([st.group_no, st.role, st.name or "", f"{base_url.rstrip('/')}/c/s/{tok}"])
        return buf.getvalue()

    # -- changes ---------------------------------------------------------------------------------------------
    def set_reveal(self, who: Seat, revealed: bool) -> dict[str, Any]:
        _instructor_only(who)
        with self.db.write() as s:
            ex = self.db.lock(s, Exercise, who.exercise_id)
            assert ex is not None
            ex.revealed = bool(revealed)
        return {"revealed": bool(revealed)}

    def set_instructions(self, who: Seat, instructions: Mapping[str, str]) -> dict[str, Any]:
        """Replace the instructions of the roles given (other roles keep theirs)."""
        _instructor_only(who)
        with self.db.write() as s:
            ex = self.db.lock(s, Exercise, who.exercise_id)
            assert ex is not None
            case, _ = self.case_of(ex)
            merged = {**ex.instructions, **_check_instructions(list(case.party_names), instructions)}
            ex.instructions = merged
        return {"instructions": merged}


def _own_group(mine: list[Student], results: dict[int, StudentResult], roles: list[str],
               who: Seat) -> dict[str, Any]:
    """The calling student's group only: each role's report (no names) and the group's state."""
    got = {st.role: results[st.id] for st in mine if st.id in results}
    members = [{"role": st.role, "submitted": st.id in results,
                "impasse": bool(results[st.id].impasse) if st.id in results else None,
                "agreement": (results[st.id].agreement if st.id in results and not results[st.id].impasse
                              else None)}
               for st in sorted(mine, key=lambda st: roles.index(st.role))]
    return {"group": who.group, "state": group_state(roles, got), "members": members}


def role_sheet(case: Case, role: str) -> dict[str, Any]:
    """One role's confidential sheet: its point table and BATNA (nothing about any other role)."""
    i = case.party_names.index(role)
    party = case.parties[i]
    return {
        "role": role,
        "role_description": party.description,
        "issues": [{"issue": issue.name, "options": list(issue.options)} for issue in case.issues],
        "points": {issue.name: {o: float(x) for o, x in zip(issue.options, case.scores[k][i], strict=True)}
                   for k, issue in enumerate(case.issues)},
        "batna": float(case.batnas[i]),
        "interactions": bool(getattr(case.preferences[i], "interactions", ())),
    }


def _student_only(who: Seat) -> None:
    if who.kind != "student":
        raise ServiceError(403, "this route is for a student's own token, not the instructor's")


def _instructor_only(who: Seat) -> None:
    if who.kind != "instructor":
        raise ServiceError(403, "this route is for the instructor's token")


def _parse_case(data: Mapping[str, Any]) -> Case:
    from accord.io.casefile import case_from_data

    try:
        case = case_from_data(dict(data), file="case")
    except AccordError as err:
        raise ServiceError(422, f"case: {err}", "case") from None
    if case.n_parties < 2:  # pragma: no cover - a Case has two or more parties
        raise ServiceError(422, "case: an exercise needs two or more roles", "case")
    if case.n_parties > MAX_ROLES:
        raise ServiceError(422, f"case: {case.n_parties} roles; an exercise has at most {MAX_ROLES}", "case")
    size = math.prod(case.sizes)
    if size > MAX_PACKAGES:
        raise ServiceError(422, f"case: {size:,} packages; a classroom case has at most {MAX_PACKAGES:,} "
                                "(fewer issues or options)", "case")
    return case


def _frontier(case: Case) -> Frontier:
    from accord.analysis.frontier import pareto_frontier

    try:
        return pareto_frontier(case)
    except AccordError as err:
        raise ServiceError(422, f"case: {err}", "case") from None


def _check_instructions(roles: Sequence[str], instructions: Mapping[str, str]) -> dict[str, str]:
    out = {}
    for role, text in instructions.items():
        if role not in roles:
            raise ServiceError(422, f"instructions.{role}: unknown role; the case's roles are {', '.join(roles)}",
                               f"instructions.{role}")
        if len(text) > MAX_INSTRUCTIONS:
            raise ServiceError(422, f"instructions.{role}: at most {MAX_INSTRUCTIONS} characters",
                               f"instructions.{role}")
        out[role] = text
    return out


def _check_package(case: Case, package: Mapping[str, str], field: str) -> Any:
    for issue in case.issues:
        if issue.name not in package:
            raise ServiceError(422, f"{field}.{issue.name}: missing; give one option per issue",
                               f"{field}.{issue.name}")
        if not issue.has(str(package[issue.name])):
            raise ServiceError(422, f"{field}.{issue.name}: no option {package[issue.name]!r}; expected one of "
                                    f"{', '.join(issue.options)}", f"{field}.{issue.name}")
    extra = [k for k in package if k not in case.issue_names]
    if extra:
        raise ServiceError(422, f"{field}.{extra[0]}: unknown issue", f"{field}.{extra[0]}")
    return case.package({k: str(v) for k, v in package.items()})


def markdown_html(text: str) -> str:
    """The instructions' Markdown as HTML (raw HTML in the text is escaped, unsafe links are refused)."""
    from markdown_it import MarkdownIt

    html: str = MarkdownIt("commonmark", {"html": False}).render(text)
    return html


# -- authentication --------------------------------------------------------------------------------------------
def classroom(request: Request) -> Classroom:
    """The app's :class:`Classroom` (made on first use over the app's database)."""
    state = request.app.state
    svc: Classroom | None = getattr(state, "classroom", None)
    if svc is None:
        with _STATE_LOCK:
            svc = getattr(state, "classroom", None)
            if svc is None:
                svc = Classroom(state.db)
                state.classroom = svc
    return svc


_STATE_LOCK = threading.Lock()


def resolve(request: Request, token: str | None, exercise_id: str | None, *, bearer: bool = True) -> Seat:
    """Turn a presented token into a :class:`Seat` of ``exercise_id`` or raise 401/403/429."""
    def mediated(t: str) -> str | None:
        if deps.service(request).principal(t) is None:
            return None
        return "this token belongs to a mediated negotiation, not to an exercise"

    seat = deps.authenticate(request, token, classroom(request).principal, bearer=bearer, foreign=mediated)
    if exercise_id is not None and seat.exercise_id != exercise_id:
        raise HTTPException(403, "this token belongs to another exercise")
    return seat


def _api_seat(request: Request, eid: str, kind: str | None = None) -> Seat:
    seat = resolve(request, deps.bearer_token(request), eid)
    if kind == "instructor" and seat.kind != "instructor":
        raise HTTPException(403, "this route is for the instructor's token")
    if kind == "student" and seat.kind != "student":
        raise HTTPException(403, "this route is for a student's own token, not the instructor's")
    return seat


# -- JSON API ------------------------------------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class CreateExercise(_Strict):
    case: Annotated[dict[str, Any], Field(description="A case file's JSON form (any bundled example).")]
    groups: Annotated[int, Field(ge=1, le=MAX_GROUPS)]
    name: Annotated[str | None, Field(min_length=1, max_length=200)] = None
    instructions: Annotated[dict[Label, Annotated[str, Field(max_length=MAX_INSTRUCTIONS)]] | None,
                            Field(max_length=20)] = None
    names: Annotated[list[Annotated[str, Field(max_length=200)]] | None, Field(max_length=MAX_SEATS)] = None


class StudentLink(BaseModel):
    group: int
    role: str
    token: str


class ExerciseCreated(BaseModel):
    id: str
    instructor_token: str
    students: list[StudentLink]


class ResultIn(_Strict):
    agreement: Annotated[dict[Label, Label], Field(max_length=64)] | None = Field(
        description="The group's final agreement {issue: option}, or null for an impasse.")


class PackageIn(_Strict):
    package: Annotated[dict[Label, Label], Field(max_length=64)]


class RevealIn(_Strict):
    revealed: bool


class InstructionsIn(_Strict):
    instructions: Annotated[dict[Label, Annotated[str, Field(max_length=MAX_INSTRUCTIONS)]], Field(max_length=20)]


@router.post("/api/exercises", status_code=201, response_model=ExerciseCreated, tags=["classroom"])
def create_exercise(body: CreateExercise, request: Request) -> dict[str, Any]:
    """Create an exercise from a case (its JSON form) and N groups: one instructor token and one token per
    student (group × role). Tokens are shown once; ``GET .../links.csv`` makes the links again."""
    return classroom(request).create(body.case, body.groups, name=body.name, instructions=body.instructions,
                                     names=body.names)


@router.get("/api/exercises/{eid}", tags=["classroom"])
def get_exercise(eid: ExerciseId, request: Request, _auth: Auth) -> dict[str, Any]:
    """The instructor: every group's status and who has not reported. A student: its role sheet (point
    table, BATNA, instructions) and its own group's status."""
    return classroom(request).overview(_api_seat(request, eid))


@router.post("/api/exercises/{eid}/value", tags=["classroom"])
def post_value(eid: ExerciseId, body: PackageIn, request: Request, _auth: Auth) -> dict[str, Any]:
    """What a package is worth to the calling student's role."""
    return classroom(request).value(_api_seat(request, eid, "student"), body.package)


@router.post("/api/exercises/{eid}/result", tags=["classroom"])
def post_result(eid: ExerciseId, body: ResultIn, request: Request, _auth: Auth) -> dict[str, Any]:
    """Report the group's final agreement (``{"agreement": {issue: option}}``) or an impasse
    (``{"agreement": null}``); returns the group's state (``mismatch`` until every member reports the same)."""
    return classroom(request).submit(_api_seat(request, eid, "student"), body.agreement)


@router.get("/api/exercises/{eid}/debrief", tags=["classroom"])
def get_debrief(eid: ExerciseId, request: Request, _auth: Auth) -> dict[str, Any]:
    """The debrief (instructor only): groups, submitted, agreements, levels, mean and largest joint value,
    lose-lose share per compatible issue, logrolls traded the right way, each role's mean points and surplus
    share, and one row per group."""
    return classroom(request).debrief(_api_seat(request, eid, "instructor")).to_dict()


@router.get("/api/exercises/{eid}/class-debrief", tags=["classroom"])
def get_class_debrief(eid: ExerciseId, request: Request, _auth: Auth) -> dict[str, Any]:
    """The anonymised debrief the class sees after the reveal (403 for students before it): no group ids,
    no names, rows ordered by joint value."""
    return classroom(request).class_debrief(_api_seat(request, eid)).to_dict(anonymous=True)


@router.put("/api/exercises/{eid}/reveal", tags=["classroom"])
def put_reveal(eid: ExerciseId, body: RevealIn, request: Request, _auth: Auth) -> dict[str, Any]:
    """Show (or hide again) the anonymised debrief to the class."""
    return classroom(request).set_reveal(_api_seat(request, eid, "instructor"), body.revealed)


@router.put("/api/exercises/{eid}/instructions", tags=["classroom"])
def put_instructions(eid: ExerciseId, body: InstructionsIn, request: Request, _auth: Auth) -> dict[str, Any]:
    """Set roles' confidential instructions (Markdown); each student sees only its own role's."""
    return classroom(request).set_instructions(_api_seat(request, eid, "instructor"), body.instructions)


def _csv(text: str, filename: str) -> Response:
    return Response(text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _debrief_page(d: Debrief) -> Response:
    from accord.report.debrief_html import render_debrief_html

    return HTMLResponse(render_debrief_html(d, source="the classroom exercise"),
                        headers={"Content-Disposition": 'attachment; filename="debrief.html"'})


@router.get("/api/exercises/{eid}/links.csv", tags=["classroom"])
def get_links(eid: ExerciseId, request: Request, _auth: Auth) -> Response:
    """Every student's private link (instructor only)."""
    seat = _api_seat(request, eid, "instructor")
    return _csv(classroom(request).links_csv(seat, deps.bearer_token(request) or "", str(request.base_url)),
                "links.csv")


@router.get("/api/exercises/{eid}/results.csv", tags=["classroom"])
def get_results(eid: ExerciseId, request: Request, _auth: Auth) -> Response:
    """The groups' results as the CSV ``accord evaluate CASE --agreements results.csv`` reads."""
    return _csv(classroom(request).results_csv(_api_seat(request, eid, "instructor")), "results.csv")


@router.get("/api/exercises/{eid}/debrief.html", tags=["classroom"])
def get_debrief_html(eid: ExerciseId, request: Request, _auth: Auth) -> Response:
    """The debrief as a self-contained HTML page (plotly.js embedded), for download."""
    return _debrief_page(classroom(request).debrief(_api_seat(request, eid, "instructor")))


# -- pages -------------------------------------------------------------------------------------------------------------
_JS = Path(__file__).with_name("templates") / "classroom" / "classroom.js"


def _page_seat(request: Request, token: str, kind: str) -> Seat:
    try:
        seat = resolve(request, token, None, bearer=False)
    except HTTPException as err:
        raise PageError(err.status_code, "this link is not valid" if err.status_code == 401 else str(err.detail)
                        ) from None
    if seat.kind != kind:
        raise PageError(403, f"this link is not an {kind} link" if kind == "instructor"
                        else f"this link is not a {kind} link")
    return seat


def _render(request: Request, name: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
    return pages.render(request, f"classroom/{name}", {"title": "Classroom", **ctx}, status=status)


@router.get("/classroom/classroom.js", include_in_schema=False)
def classroom_js() -> Response:
    """The pages' script: draws the debrief charts and sorts the table (the same sorter as the HTML export)."""
    from accord.report.debrief_html import SORT_JS

    return Response(_JS.read_text(encoding="utf-8") + SORT_JS, media_type="text/javascript",
                    headers={"Cache-Control": "no-store"})


@router.get("/classroom", response_class=HTMLResponse, include_in_schema=False)
def new_exercise_page(request: Request) -> HTMLResponse:
    return _render(request, "new.html", {"title": "New classroom exercise"})


@router.post("/classroom/new", response_class=HTMLResponse, include_in_schema=False)
async def create_exercise_page(request: Request) -> HTMLResponse:
    from accord.io.casefile import parse_case

    form = await pages.checked_form(request)
    upload = form.get("case_file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise PageError(422, "case_file: choose a case file (YAML or JSON)")
    raw = await upload.read(300_000)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PageError(422, "case_file: the file is not UTF-8 text") from None
    is_json = upload.filename.lower().endswith(".json") or text.lstrip().startswith("{")
    try:
        case = parse_case(text, file=upload.filename, json_format=is_json)
    except AccordError as err:
        raise PageError(422, f"case_file: {err}") from None
    raw_groups = pages.form_text(form, "groups", 10)
    try:
        groups = int(raw_groups)
    except ValueError:
        raise PageError(422, f"groups: {raw_groups!r} is not a whole number") from None
    names = [n.strip() for n in pages.form_text(form, "names", 50_000).splitlines() if n.strip()] or None
    try:
        made = classroom(request).create(case.to_dict(), groups,
                                         name=pages.form_text(form, "name", 200) or case.name, names=names)
    except ServiceError as err:
        raise PageError(err.status, err.message) from None
    base = str(request.base_url).rstrip("/")
    links = [{**s, "link": f"{base}/c/s/{s['token']}"} for s in made["students"]]
    return _render(request, "created.html", {
        "title": "Exercise ready", "name": pages.form_text(form, "name", 200) or case.name,
        "instructor_link": f"{base}/c/i/{made['instructor_token']}",
        "links_csv": f"{base}/c/i/{made['instructor_token']}/links.csv", "links": links,
    })


def _instructor_context(request: Request, token: str, seat: Seat) -> dict[str, Any]:
    from accord.report.debrief_html import figures_json, summary_rows, table_rows

    svc = classroom(request)
    ov = svc.overview(seat)
    d = svc.debrief(seat)
    data = d.to_dict()
    headers, rows = table_rows(data)
    return {"token": token, "ov": ov, "summary": summary_rows(data), "headers": headers, "rows": rows,
            "charts": figures_json(d)}


@router.get("/c/i/{token}", response_class=HTMLResponse, include_in_schema=False)
def instructor_page(request: Request, token: str) -> HTMLResponse:
    seat = _page_seat(request, token, "instructor")
    ctx = _instructor_context(request, token, seat)
    ctx["title"] = f"Instructor · {ctx['ov']['name']}"
    return _render(request, "instructor.html", ctx)


@router.get("/c/i/{token}/live", response_class=HTMLResponse, include_in_schema=False)
def instructor_live(request: Request, token: str) -> HTMLResponse:
    """The status and debrief part of the instructor's page (polled by htmx while results arrive)."""
    seat = _page_seat(request, token, "instructor")
    return _render(request, "_live.html", _instructor_context(request, token, seat))


@router.post("/c/i/{token}/reveal", include_in_schema=False)
async def reveal_page(request: Request, token: str) -> Response:
    form = await pages.checked_form(request)
    seat = _page_seat(request, token, "instructor")
    classroom(request).set_reveal(seat, pages.form_text(form, "revealed", 200) == "1")
    return RedirectResponse(f"/c/i/{token}", status_code=303)


@router.post("/c/i/{token}/instructions", include_in_schema=False)
async def instructions_page(request: Request, token: str) -> Response:
    form = await pages.checked_form(request)
    seat = _page_seat(request, token, "instructor")
    svc = classroom(request)
    roles = svc.overview(seat)["roles"]
    try:
        svc.set_instructions(seat, {r: pages.form_text(form, f"i:{r}", MAX_INSTRUCTIONS) for r in roles})
    except ServiceError as err:
        raise PageError(err.status, err.message) from None
    return RedirectResponse(f"/c/i/{token}", status_code=303)


@router.get("/c/i/{token}/links.csv", include_in_schema=False)
def links_page(request: Request, token: str) -> Response:
    seat = _page_seat(request, token, "instructor")
    return _csv(classroom(request).links_csv(seat, token, str(request.base_url)), "links.csv")


@router.get("/c/i/{token}/results.csv", include_in_schema=False)
def results_page(request: Request, token: str) -> Response:
    return _csv(classroom(request).results_csv(_page_seat(request, token, "instructor")), "results.csv")


@router.get("/c/i/{token}/debrief.html", include_in_schema=False)
def debrief_export_page(request: Request, token: str) -> Response:
    return _debrief_page(classroom(request).debrief(_page_seat(request, token, "instructor")))


@router.get("/c/s/{token}", response_class=HTMLResponse, include_in_schema=False)
def student_page(request: Request, token: str) -> HTMLResponse:
    from accord.report.debrief_html import figures_json, summary_rows, table_rows

    seat = _page_seat(request, token, "student")
    svc = classroom(request)
    ov = svc.overview(seat)
    ctx: dict[str, Any] = {"title": f"{ov['role']} · {ov['name']}", "token": token, "ov": ov,
                           "instructions_html": markdown_html(ov["instructions"])}
    q = request.query_params
    if q.get("calc"):
        pkg = {i["issue"]: q.get(f"v:{i['issue']}", "") for i in ov["issues"]}
        try:
            ctx["calc"] = svc.value(seat, pkg)
        except ServiceError as err:
            raise PageError(err.status, err.message) from None
    if ov["revealed"]:
        d = svc.class_debrief(seat)
        data = d.to_dict(anonymous=True)
        headers, rows = table_rows(data)
        ctx.update(summary=summary_rows(data), headers=headers, rows=rows, charts=figures_json(d, anonymous=True))
    return _render(request, "student.html", ctx)


@router.post("/c/s/{token}/result", include_in_schema=False)
async def student_result_page(request: Request, token: str) -> Response:
    form = await pages.checked_form(request)
    seat = _page_seat(request, token, "student")
    svc = classroom(request)
    agreement: dict[str, str] | None = None
    if pages.form_text(form, "outcome", 200) != "impasse":
        issues = svc.overview(seat)["issues"]
        agreement = {i["issue"]: pages.form_text(form, f"a:{i['issue']}", 200) for i in issues}
    try:
        svc.submit(seat, agreement)
    except ServiceError as err:
        raise PageError(err.status, err.message) from None
    return RedirectResponse(f"/c/s/{token}", status_code=303)
