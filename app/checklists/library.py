"""The standard process templates Shifu ships (标准化节点), read from data/ and checked. Pure: no database.

Layout of the data directory (JSON, UTF-8):

- ``nodes/*.json`` — ``{"nodes": [...]}``: every node definition, once. A node is ``code``, ``stage``,
  ``title_zh``, ``title_en``, ``completed_by`` (default technician), ``mandatory`` (default true),
  ``evidence`` and an optional ``sla`` ``{"anchor", "minutes"}``. A code means one definition in every
  template that uses it, so a code defined twice must be defined identically.
- ``blocks.json`` — ``{"blocks": {"opening": [steps...], ...}}``: step lists shared by many templates.
- ``templates/*.json`` — ``{"category": ..., "templates": [{"service_type", "title_zh", "title_en",
  "steps"}]}``: one template per service type of the category, code ``"<service_type>.<category>"``.

A step is a node code, ``"@block"`` (the block's steps in place), or ``{"code": ..., "after": [codes]}``.
Without ``after`` a node depends on the closest earlier mandatory technician node of its template, so
a technician follows the list in order; ``after`` states the dependencies outright (``[]``: none).
System and consumer nodes are never implied dependencies: the system's events and a consumer who
ignores the tracking link must not hold the technician's work.

Positions go in steps of 10, so a brand's own node can sit between two standard ones.
"""

import hashlib
import json
import math
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

DATA_DIR = Path(__file__).parent / "data"
CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "catalogue" / "data" / "catalogue.json"

STAGES = ("contact", "preparation", "arrival", "inspection", "work", "test", "handover", "closing")
COMPLETED_BY = ("technician", "consumer", "system")
AUTO_EVENTS = ("accepted", "arrived", "started", "charges_settled")
SLA_ANCHORS = ("job_created", "accepted", "window_start", "window_end", "arrived", "started", "completed")
NODE_ANCHOR_PREFIX = "node:"
SERVICE_TYPES = ("delivery", "install", "repair", "maintenance", "rework", "uninstall", "relocation")
EVIDENCE_KEYS = ("photos", "reading", "text", "checkbox", "signature", "checkin", "auto")

PHOTOS_MAX = 20
CHECKIN_RADIUS_M = (10, 5000)
TEXT_MIN_LENGTH_MAX = 2000
SLA_MINUTES_MAX = 30 * 24 * 60  # either way of the anchor
TITLE_MAX = 200
CODE_MAX = 80
POSITION_STEP = 10
CODE_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")

# Keys a node may carry: the data files' "sla" object, or the database/API's flat sla_anchor + sla_minutes.
NODE_KEYS = frozenset({
    "code", "stage", "title_zh", "title_en", "completed_by", "mandatory", "depends_on", "evidence",
    "sla", "sla_anchor", "sla_minutes", "position",
})
_TEMPLATE_LEVEL = ("depends_on", "position", "sla_anchor", "sla_minutes")  # not in node files
_FILE_NODE_KEYS = NODE_KEYS - set(_TEMPLATE_LEVEL)


class LibraryError(ValueError):
    """The shipped library is wrong; the message names the file, template and node."""

    def __init__(self, problem: str, *, file: str | None = None, template: str | None = None,
                 node: str | None = None):
        self.problem, self.file, self.template, self.node = problem, file, template, node
        where = [f for f in (file, template and f"template {template}", node and f"node {node}") if f]
        super().__init__(": ".join([*where, problem]))


class Problem(NamedTuple):
    field: str
    detail: str

    def __str__(self) -> str:
        return f"{self.field}: {self.detail}"


@dataclass(frozen=True)
class NodeSpec:
    code: str
    stage: str
    title_zh: str
    title_en: str
    completed_by: str
    mandatory: bool
    depends_on: tuple[str, ...]
    evidence: dict = field(hash=False)
    sla_anchor: str | None
    sla_minutes: int | None
    position: int

    def to_fields(self) -> dict:
        """The node as plain JSON-ready values, named as the database columns (NodeFields)."""
        return {
            "code": self.code, "position": self.position, "stage": self.stage, "title_zh": self.title_zh,
            "title_en": self.title_en, "completed_by": self.completed_by, "mandatory": self.mandatory,
            "depends_on": list(self.depends_on), "evidence": json.loads(json.dumps(self.evidence)),
            "sla_anchor": self.sla_anchor, "sla_minutes": self.sla_minutes,
        }


@dataclass(frozen=True)
class TemplateSpec:
    code: str
    service_type: str
    category: str
    title_zh: str
    title_en: str
    nodes: tuple[NodeSpec, ...]
    content_hash: str

    def node(self, code: str) -> NodeSpec:
        for n in self.nodes:
            if n.code == code:
                return n
        raise KeyError(code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(n.code for n in self.nodes)


# --- checking one node -------------------------------------------------------------------------------


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _unknown(obj: Mapping, allowed: Iterable[str], prefix: str) -> list[Problem]:
    allowed = tuple(allowed)
    return [
        Problem(f"{prefix}{k}", f"is not a known key (known: {', '.join(allowed)})")
        for k in obj if k not in allowed
    ]


def evidence_problems(evidence: Any) -> list[Problem]:
    """What is wrong with an evidence spec's shape, each naming its key (e.g. evidence.reading.min)."""
    if not isinstance(evidence, Mapping):
        return [Problem("evidence", "must be an object such as {\"photos\": {\"min\": 1, \"max\": 3}}")]
    out = _unknown(evidence, EVIDENCE_KEYS, "evidence.")
    if not any(k in EVIDENCE_KEYS for k in evidence):
        out.append(Problem("evidence", f"must ask for at least one of: {', '.join(EVIDENCE_KEYS)}"))

    if "photos" in evidence:
        p = evidence["photos"]
        if not isinstance(p, Mapping):
            out.append(Problem("evidence.photos", "must be an object {\"min\": n, \"max\": m}"))
        else:
            out += _unknown(p, ("min", "max"), "evidence.photos.")
            low, high = p.get("min"), p.get("max")
            if not _is_int(low) or low < 1:
                out.append(Problem("evidence.photos.min", "must be a whole number of at least 1"))
            if not _is_int(high) or high > PHOTOS_MAX:
                out.append(Problem("evidence.photos.max", f"must be a whole number of at most {PHOTOS_MAX}"))
            elif _is_int(low) and high < low:
                out.append(Problem("evidence.photos.max", f"must be at least min ({low})"))

    if "reading" in evidence:
        r = evidence["reading"]
        if not isinstance(r, Mapping):
            out.append(Problem("evidence.reading", "must be an object {\"unit\", \"min\", \"max\"}"))
        else:
            out += _unknown(r, ("unit", "min", "max"), "evidence.reading.")
            if not isinstance(r.get("unit"), str) or not r["unit"].strip():
                out.append(Problem("evidence.reading.unit", "must be a non-empty unit such as \"Pa\""))
            ok = True
            for end in ("min", "max"):
                if not _is_number(r.get(end)):
                    out.append(Problem(f"evidence.reading.{end}", "must be a number"))
                    ok = False
            if ok and r["min"] >= r["max"]:
                out.append(Problem("evidence.reading.min", f"must be below max ({r['min']} >= {r['max']})"))

    if "text" in evidence:
        t = evidence["text"]
        if not isinstance(t, Mapping):
            out.append(Problem("evidence.text", "must be an object {\"min_length\": n}"))
        else:
            out += _unknown(t, ("min_length",), "evidence.text.")
            n = t.get("min_length")
            if not _is_int(n) or not 1 <= n <= TEXT_MIN_LENGTH_MAX:
                out.append(Problem("evidence.text.min_length",
                                   f"must be a whole number from 1 to {TEXT_MIN_LENGTH_MAX}"))

    for flag in ("checkbox", "signature"):
        if flag in evidence and evidence[flag] is not True:
            out.append(Problem(f"evidence.{flag}", "must be true (leave the key out when not needed)"))

    if "checkin" in evidence:
        c = evidence["checkin"]
        low, high = CHECKIN_RADIUS_M
        if not isinstance(c, Mapping):
            out.append(Problem("evidence.checkin", "must be an object {\"radius_m\": n}"))
        else:
            out += _unknown(c, ("radius_m",), "evidence.checkin.")
            radius = c.get("radius_m")
            if not _is_number(radius) or not low <= radius <= high:
                out.append(Problem("evidence.checkin.radius_m", f"must be a number of metres from {low} to {high}"))

    if "auto" in evidence and evidence["auto"] not in AUTO_EVENTS:
        out.append(Problem("evidence.auto", f"must be one of {', '.join(AUTO_EVENTS)}"))
    return out


def evidence_errors(evidence: Any) -> list[str]:
    return [str(p) for p in evidence_problems(evidence)]


def _sla_of(spec: Mapping) -> tuple[Any, Any, str, str, list[Problem]]:
    """The SLA in either spelling, with the field names to blame."""
    if "sla" in spec and spec["sla"] is not None:
        if spec.get("sla_anchor") is not None or spec.get("sla_minutes") is not None:
            return None, None, "sla", "sla", [Problem("sla", "give either sla or sla_anchor/sla_minutes, not both")]
        sla = spec["sla"]
        if not isinstance(sla, Mapping):
            return None, None, "sla", "sla", [Problem("sla", "must be an object {\"anchor\", \"minutes\"}")]
        probs = _unknown(sla, ("anchor", "minutes"), "sla.")
        for k in ("anchor", "minutes"):
            if k not in sla:
                probs.append(Problem(f"sla.{k}", "is required"))
        return sla.get("anchor"), sla.get("minutes"), "sla.anchor", "sla.minutes", probs
    anchor, minutes = spec.get("sla_anchor"), spec.get("sla_minutes")
    if (anchor is None) != (minutes is None):
        missing = "sla_minutes" if minutes is None else "sla_anchor"
        return None, None, missing, missing, [Problem(missing, "is required with the other SLA field")]
    return anchor, minutes, "sla_anchor", "sla_minutes", []


def anchor_problem(anchor: Any, field_name: str = "sla_anchor", own_code: str | None = None,
                   known_codes: Iterable[str] | None = None) -> Problem | None:
    if not isinstance(anchor, str):
        return Problem(field_name, "must be a string")
    if anchor.startswith(NODE_ANCHOR_PREFIX):
        target = anchor[len(NODE_ANCHOR_PREFIX):]
        if not CODE_RE.match(target):
            return Problem(field_name, f"{anchor!r} must be \"node:<code>\" with a node code")
        if target == own_code:
            return Problem(field_name, "a node cannot be due relative to its own completion")
        if known_codes is not None and target not in set(known_codes):
            return Problem(field_name, f"names node {target!r}, which is not in the template")
        return None
    if anchor not in SLA_ANCHORS:
        return Problem(field_name, f"{anchor!r} is not an anchor (one of {', '.join(SLA_ANCHORS)}, or node:<code>)")
    return None


def node_problems(spec: Any, known_codes: Iterable[str] | None = None) -> list[Problem]:
    """What is wrong with one node given as a plain dict (data file or API body), each naming its key.

    With ``known_codes`` (the other nodes of the template) dependencies and node anchors must name one
    of them. Missing ``completed_by``/``mandatory`` mean technician/true; None means absent.
    """
    if not isinstance(spec, Mapping):
        return [Problem("node", "must be an object")]
    spec = {k: v for k, v in spec.items() if v is not None}
    known = set(known_codes) if known_codes is not None else None
    out = _unknown(spec, sorted(NODE_KEYS), "")

    code = spec.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code) or len(code) > CODE_MAX:
        out.append(Problem("code", f"must be lower-case words joined by . or _, e.g. ac.vacuum_reading "
                                   f"(at most {CODE_MAX} characters)"))
        code = None
    if spec.get("stage") not in STAGES:
        out.append(Problem("stage", f"must be one of {', '.join(STAGES)}"))
    for lang in ("title_zh", "title_en"):
        title = spec.get(lang)
        if not isinstance(title, str) or not title.strip():
            out.append(Problem(lang, "must be a non-empty title"))
        elif len(title) > TITLE_MAX:
            out.append(Problem(lang, f"must be at most {TITLE_MAX} characters"))
    role = spec.get("completed_by", "technician")
    if role not in COMPLETED_BY:
        out.append(Problem("completed_by", f"must be one of {', '.join(COMPLETED_BY)}"))
    mandatory = spec.get("mandatory", True)
    if not isinstance(mandatory, bool):
        out.append(Problem("mandatory", "must be true or false"))
    elif mandatory and role == "consumer":
        out.append(Problem("mandatory", "a consumer node cannot be mandatory: a job must never wait on a "
                                        "consumer who ignores the tracking link"))
    if "position" in spec and (not _is_int(spec["position"]) or spec["position"] < 0):
        out.append(Problem("position", "must be a whole number of at least 0"))

    deps = spec.get("depends_on", [])
    if not isinstance(deps, (list, tuple)) or not all(isinstance(d, str) for d in deps):
        out.append(Problem("depends_on", "must be a list of node codes"))
    else:
        for i, d in enumerate(deps):
            if d == code:
                out.append(Problem(f"depends_on[{i}]", "a node cannot depend on itself"))
            elif deps.index(d) != i:
                out.append(Problem(f"depends_on[{i}]", f"{d!r} is listed twice"))
            elif known is not None and d not in known:
                out.append(Problem(f"depends_on[{i}]", f"names node {d!r}, which is not in the template"))

    evidence = spec.get("evidence")
    if evidence is None:
        out.append(Problem("evidence", "is required"))
    else:
        out += evidence_problems(evidence)
        if isinstance(evidence, Mapping):
            if role == "system":
                if "auto" not in evidence:
                    out.append(Problem("evidence.auto",
                                       f"a system node must name its event ({', '.join(AUTO_EVENTS)})"))
                if any(k != "auto" for k in evidence if k in EVIDENCE_KEYS):
                    out.append(Problem("evidence", "a system node takes only auto: nobody is there to give more"))
            elif "auto" in evidence:
                out.append(Problem("evidence.auto", "only a system node (completed_by system) completes on an event"))
            if "checkin" in evidence and role != "technician":
                out.append(Problem("evidence.checkin", "only a technician checks in on site"))

    anchor, minutes, anchor_field, minutes_field, sla_probs = _sla_of(spec)
    out += sla_probs
    if anchor is not None:
        p = anchor_problem(anchor, anchor_field, code, known)
        if p:
            out.append(p)
    if minutes is not None and (not _is_int(minutes) or abs(minutes) > SLA_MINUTES_MAX):
        out.append(Problem(minutes_field,
                           f"must be a whole number of minutes from -{SLA_MINUTES_MAX} to {SLA_MINUTES_MAX}"))
    return out


def node_errors(spec: Any, known_codes: Iterable[str] | None = None) -> list[str]:
    """node_problems as "field: what is wrong" strings."""
    return [str(p) for p in node_problems(spec, known_codes)]


# --- checking a whole checklist ----------------------------------------------------------------------


def find_cycle(depends: Mapping[str, Sequence[str]]) -> list[str] | None:
    """A dependency cycle as [a, b, ..., a], or None. Unknown codes are ignored."""
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    path: list[str] = []

    def visit(code: str) -> list[str] | None:
        state[code] = 1
        path.append(code)
        for dep in depends.get(code, ()):
            if dep not in depends:
                continue
            if state.get(dep) == 1:
                return path[path.index(dep):] + [dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        path.pop()
        state[code] = 2
        return None

    for code in depends:
        if code not in state:
            found = visit(code)
            if found:
                return found
    return None


def _fields(node: Any) -> dict:
    return node.to_fields() if isinstance(node, NodeSpec) else dict(node)


def checklist_problems(nodes: Iterable[Any]) -> list[tuple[str, Problem]]:
    """Rules across the nodes of one checklist (template nodes plus a brand's): unique codes, known
    dependencies and node anchors, no cycle, and a mandatory node waits only on mandatory work that a
    technician or the system does. Each problem comes with the code of the node it is about."""
    nodes = [_fields(n) for n in nodes]
    by_code: dict[str, dict] = {}
    out: list[tuple[str, Problem]] = []
    for n in nodes:
        if n.get("code") in by_code:
            out.append((n["code"], Problem("code", "appears twice in the checklist")))
        by_code[n.get("code")] = n
    for n in nodes:
        code = n.get("code")
        for i, dep in enumerate(n.get("depends_on") or ()):
            target = by_code.get(dep)
            if target is None:
                out.append((code, Problem(f"depends_on[{i}]", f"names node {dep!r}, which is not in the template")))
            elif n.get("mandatory", True) and not target.get("mandatory", True):
                out.append((code, Problem(
                    f"depends_on[{i}]", f"a mandatory node cannot wait on optional node {dep!r}")))
            elif n.get("mandatory", True) and target.get("completed_by") == "consumer":
                out.append((code, Problem(
                    f"depends_on[{i}]", f"a mandatory node cannot wait on consumer node {dep!r}")))
        anchor = n.get("sla_anchor")
        if isinstance(anchor, str) and anchor.startswith(NODE_ANCHOR_PREFIX):
            if anchor[len(NODE_ANCHOR_PREFIX):] not in by_code:
                out.append((code, Problem("sla_anchor", f"names node {anchor[5:]!r}, which is not in the template")))
    cycle = find_cycle({c: list(n.get("depends_on") or ()) for c, n in by_code.items()})
    if cycle:
        out.append((cycle[0], Problem("depends_on", "dependency cycle " + " -> ".join(cycle))))
    return out


def checklist_errors(nodes: Iterable[Any]) -> list[str]:
    return [f"node {code}: {p}" for code, p in checklist_problems(nodes)]


# --- reading the data directory ------------------------------------------------------------------------


def _read_json(path: Path, root: Path) -> Any:
    name = _name(path, root)

    def no_duplicates(pairs):
        seen = {}
        for k, v in pairs:
            if k in seen:
                raise LibraryError(f"key {k!r} appears twice in one object", file=name)
            seen[k] = v
        return seen

    try:
        return json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=no_duplicates)
    except UnicodeDecodeError as e:
        raise LibraryError(f"not UTF-8 ({e.reason})", file=name) from None
    except json.JSONDecodeError as e:
        raise LibraryError(f"not valid JSON: {e.msg} at line {e.lineno} column {e.colno}", file=name) from None


def _name(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _expect_keys(obj: Any, required: set[str], optional: set[str], *, what: str, file: str,
                 template: str | None = None) -> None:
    if not isinstance(obj, dict):
        raise LibraryError(f"{what} must be an object", file=file, template=template)
    unknown = sorted(set(obj) - required - optional)
    if unknown:
        raise LibraryError(f"{what} has unknown key(s) {', '.join(unknown)}", file=file, template=template)
    missing = sorted(required - set(obj))
    if missing:
        raise LibraryError(f"{what} lacks {', '.join(missing)}", file=file, template=template)


def _catalogue_categories() -> set[str] | None:
    if not CATALOGUE_FILE.exists():
        return None
    data = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    return {c["code"] for c in data.get("categories", [])}


def _read_nodes(root: Path) -> dict[str, tuple[dict, str]]:
    folder = root / "nodes"
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        raise LibraryError("no node definitions (expected nodes/*.json)", file=_name(folder, root))
    defs: dict[str, tuple[dict, str]] = {}
    for path in files:
        name = _name(path, root)
        data = _read_json(path, root)
        _expect_keys(data, {"nodes"}, set(), what="the file", file=name)
        if not isinstance(data["nodes"], list):
            raise LibraryError("nodes must be a list", file=name)
        for i, raw in enumerate(data["nodes"]):
            code = raw.get("code") if isinstance(raw, dict) else None
            label = code if isinstance(code, str) else f"#{i + 1}"
            if isinstance(raw, dict):
                for key in _TEMPLATE_LEVEL:
                    if key in raw:
                        hint = {"depends_on": "the template's steps (after)", "position": "the order of the steps"}
                        raise LibraryError(f"{key} does not belong in a node definition (use {hint.get(key, 'sla')})",
                                           file=name, node=label)
                unknown = sorted(set(raw) - _FILE_NODE_KEYS)
                if unknown:
                    known = ", ".join(sorted(_FILE_NODE_KEYS))
                    raise LibraryError(f"unknown key(s) {', '.join(unknown)} (known: {known})", file=name, node=label)
            problems = node_problems(raw)
            if problems:
                raise LibraryError("; ".join(map(str, problems)), file=name, node=label)
            if code in defs:
                first, first_file = defs[code]
                if first != raw:
                    differ = sorted(k for k in set(first) | set(raw) if first.get(k) != raw.get(k))
                    raise LibraryError(
                        f"defined differently in {first_file} and {name} ({', '.join(differ)} differ); "
                        "a shared node must be one definition", file=name, node=code,
                    )
                continue
            defs[code] = (raw, name)
    return defs


def _read_blocks(root: Path) -> dict[str, list]:
    path = root / "blocks.json"
    if not path.exists():
        return {}
    name = _name(path, root)
    data = _read_json(path, root)
    _expect_keys(data, {"blocks"}, set(), what="the file", file=name)
    blocks = data["blocks"]
    if not isinstance(blocks, dict) or not all(isinstance(v, list) for v in blocks.values()):
        raise LibraryError("blocks must map a block name to a list of steps", file=name)
    for block, steps in blocks.items():
        for step in steps:
            if isinstance(step, str) and step.startswith("@"):
                raise LibraryError(f"block {block} uses {step}: blocks do not nest", file=name)
    return blocks


def _expand(steps: Any, blocks: dict[str, list], *, file: str, template: str) -> list[tuple[str, list | None]]:
    if not isinstance(steps, list) or not steps:
        raise LibraryError("steps must be a non-empty list", file=file, template=template)
    out: list[tuple[str, list | None]] = []
    for step in steps:
        if isinstance(step, str) and step.startswith("@"):
            if step[1:] not in blocks:
                raise LibraryError(f"uses block {step}, which blocks.json does not define",
                                   file=file, template=template)
            out += _expand_plain(blocks[step[1:]], file=file, template=template)
        else:
            out += _expand_plain([step], file=file, template=template)
    return out


def _expand_plain(steps: list, *, file: str, template: str) -> list[tuple[str, list | None]]:
    out = []
    for step in steps:
        if isinstance(step, str):
            out.append((step, None))
        elif isinstance(step, dict) and isinstance(step.get("code"), str):
            unknown = sorted(set(step) - {"code", "after"})
            if unknown:
                raise LibraryError(f"step has unknown key(s) {', '.join(unknown)}", file=file, template=template,
                                   node=step["code"])
            after = step.get("after")
            if not isinstance(after, list) or not all(isinstance(a, str) for a in after):
                raise LibraryError("after must be a list of node codes",
                                   file=file, template=template, node=step["code"])
            out.append((step["code"], after))
        else:
            raise LibraryError(f"a step must be a node code, \"@block\" or {{\"code\", \"after\"}}, not {step!r}",
                               file=file, template=template)
    return out


def _build_template(raw: dict, category: str, defs: dict[str, tuple[dict, str]], blocks: dict[str, list],
                    *, file: str) -> TemplateSpec:
    service_type = raw.get("service_type") if isinstance(raw, dict) else None
    code = f"{service_type}.{category}"
    _expect_keys(raw, {"service_type", "title_zh", "title_en", "steps"}, set(), what="a template", file=file,
                 template=code if isinstance(service_type, str) else None)
    if service_type not in SERVICE_TYPES:
        raise LibraryError(f"service_type {service_type!r} is not one of {', '.join(SERVICE_TYPES)}", file=file)
    for lang in ("title_zh", "title_en"):
        if not isinstance(raw[lang], str) or not raw[lang].strip() or len(raw[lang]) > TITLE_MAX:
            raise LibraryError(f"{lang} must be a non-empty title of at most {TITLE_MAX} characters",
                               file=file, template=code)

    steps = _expand(raw["steps"], blocks, file=file, template=code)
    seen: set[str] = set()
    for node_code, _ in steps:
        if node_code in seen:
            raise LibraryError("appears twice in the template", file=file, template=code, node=node_code)
        if node_code not in defs:
            raise LibraryError("is not defined in nodes/*.json", file=file, template=code, node=node_code)
        seen.add(node_code)

    nodes: list[NodeSpec] = []
    gate: str | None = None  # the closest earlier mandatory technician node
    for i, (node_code, after) in enumerate(steps):
        d = defs[node_code][0]
        if after is None:
            depends = (gate,) if gate else ()
        else:
            for dep in after:
                if dep not in seen:
                    raise LibraryError(f"after names {dep!r}, which is not in the template",
                                       file=file, template=code, node=node_code)
            depends = tuple(after)
        sla = d.get("sla") or {}
        node = NodeSpec(
            code=node_code, stage=d["stage"], title_zh=d["title_zh"], title_en=d["title_en"],
            completed_by=d.get("completed_by", "technician"), mandatory=d.get("mandatory", True),
            depends_on=depends, evidence=json.loads(json.dumps(d["evidence"])),
            sla_anchor=sla.get("anchor"), sla_minutes=sla.get("minutes"), position=(i + 1) * POSITION_STEP,
        )
        nodes.append(node)
        if node.mandatory and node.completed_by == "technician":
            gate = node_code

    for node_code, problem in checklist_problems(nodes):
        raise LibraryError(str(problem), file=file, template=code, node=node_code)
    if not any(n.mandatory for n in nodes):
        raise LibraryError("has no mandatory node", file=file, template=code)

    body = {
        "code": code, "service_type": service_type, "category": category, "title_zh": raw["title_zh"],
        "title_en": raw["title_en"], "nodes": [n.to_fields() for n in nodes],
    }
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return TemplateSpec(
        code=code, service_type=service_type, category=category, title_zh=raw["title_zh"],
        title_en=raw["title_en"], nodes=tuple(nodes), content_hash=hashlib.sha256(canonical.encode()).hexdigest(),
    )


def load_library(data_dir: Path = DATA_DIR) -> list[TemplateSpec]:
    """Every template of the library, checked and resolved, sorted by code. Raises LibraryError."""
    root = Path(data_dir)
    defs = _read_nodes(root)
    blocks = _read_blocks(root)
    for block, steps in blocks.items():
        for node_code, _ in _expand_plain(steps, file="blocks.json", template=f"@{block}"):
            if node_code not in defs:
                raise LibraryError(f"block {block} uses a node not defined in nodes/*.json",
                                   file="blocks.json", node=node_code)

    folder = root / "templates"
    files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not files:
        raise LibraryError("no templates (expected templates/*.json)", file=_name(folder, root))
    categories = _catalogue_categories()
    templates: dict[str, TemplateSpec] = {}
    for path in files:
        name = _name(path, root)
        data = _read_json(path, root)
        _expect_keys(data, {"category", "templates"}, set(), what="the file", file=name)
        category = data["category"]
        if not isinstance(category, str) or (categories is not None and category not in categories):
            raise LibraryError(f"category {category!r} is not in the service catalogue", file=name)
        if not isinstance(data["templates"], list):
            raise LibraryError("templates must be a list", file=name)
        for raw in data["templates"]:
            spec = _build_template(raw, category, defs, blocks, file=name)
            if spec.code in templates:
                raise LibraryError("is defined twice", file=name, template=spec.code)
            templates[spec.code] = spec

    used = {n.code for t in templates.values() for n in t.nodes}
    for code, (_, file) in defs.items():
        if code not in used:
            raise LibraryError("is defined but no template uses it", file=file, node=code)
    return [templates[c] for c in sorted(templates)]


def summary(templates: Sequence[TemplateSpec]) -> dict:
    sizes = [len(t.nodes) for t in templates]
    return {
        "templates": len(templates),
        "distinct_nodes": len({n.code for t in templates for n in t.nodes}),
        "nodes_per_template_min": min(sizes, default=0),
        "nodes_per_template_max": max(sizes, default=0),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    data_dir = Path(args[0]) if args else DATA_DIR
    try:
        templates = load_library(data_dir)
    except LibraryError as e:
        print(f"template library error: {e}", file=sys.stderr)
        return 2
    s = summary(templates)
    print(f"templates: {s['templates']}")
    print(f"distinct nodes: {s['distinct_nodes']}")
    print(f"nodes per template: min {s['nodes_per_template_min']}, max {s['nodes_per_template_max']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
