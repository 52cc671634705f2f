"""A TMT KnowledgeBase (embedded in a .tm7, or a .tb7 template) → a rule-pack document.

The two serialisations differ: a .tm7 embeds a DataContract KnowledgeBase (`Id`,
`ParentId`, manifest as child elements, `<b:string>` values); a .tb7 is an XmlSerializer
document (`ID`, `ParentElement`, manifest as attributes, `<Value>` values). Both are read
here by case-insensitive local names, so one mapping serves both.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from app.domain import KIND_BY_GENERIC_TYPE, ElementKind
from app.io.tm7.xmlsafe import children, is_nil, kids, local, text

#: TMT shape names of element types → DFD kinds (custom generic types keep a GUID id).
KIND_BY_REPRESENTATION: dict[str, ElementKind] = {
    "ellipse": ElementKind.PROCESS,
    "rectangle": ElementKind.EXTERNAL_ENTITY,
    "parallellines": ElementKind.DATA_STORE,
    "line": ElementKind.DATA_FLOW,
    "borderboundary": ElementKind.BOUNDARY_BOX,
    "lineboundary": ElementKind.BOUNDARY_LINE,
    "annotation": ElementKind.ANNOTATION,
}

#: TMT priorities → (likelihood, impact); severity_for gives high, medium, low, critical.
LEVELS_BY_PRIORITY: dict[str, tuple[int, int]] = {
    "critical": (5, 4),
    "highest": (5, 4),
    "high": (4, 4),
    "medium": (3, 3),
    "low": (2, 2),
}

#: TMT standard types with a clear ThreatCanvas stencil of the same DFD kind. The type keeps
#: its TMT id (so TMT's own filters match it); the stencil becomes its parent, so `is 'GE.P'`
#: still holds through the stencil and our packs' `is 'generic.web_app'` holds too.
STENCIL_FOR_TMT_TYPE: dict[str, tuple[str, str]] = {
    "SE.P.TMCore.WebApp": ("GE.P", "generic.web_app"),
    "SE.P.TMCore.WebSvc": ("GE.P", "generic.web_app"),
    "SE.P.TMCore.WebAPI": ("GE.P", "generic.web_app"),
    "SE.P.TMCore.AzureAppServiceWebApp": ("GE.P", "generic.web_app"),
    "SE.P.TMCore.AzureAppServiceApiApp": ("GE.P", "generic.web_app"),
    "SE.DS.TMCore.SQL": ("GE.DS", "generic.database"),
    "SE.DS.TMCore.NoSQL": ("GE.DS", "generic.database"),
    "SE.DS.TMCore.AzureSQLDB": ("GE.DS", "generic.database"),
    "SE.DS.TMCore.AzureMySQLDB": ("GE.DS", "generic.database"),
    "SE.DS.TMCore.AzurePostgresDB": ("GE.DS", "generic.database"),
    "SE.P.TMCore.AzureDocumentDB": ("GE.DS", "generic.database"),
    "SE.EI.TMCore.User": ("GE.EI", "actor.end_user"),
}

#: An include that never holds: TMT's reading of an empty include.
_NEVER = "source is 'ROOT' and source is not 'ROOT'"
_TEMPLATE_RE = re.compile(r"\{(source|target|flow)\.name\}", re.IGNORECASE)


def levels(priority: str) -> tuple[int, int] | None:
    """Likelihood and impact for a TMT priority name, or None when it is not one we know."""
    return LEVELS_BY_PRIORITY.get(priority.strip().lower())


def slug(name: str) -> str:
    """A pack-id-friendly slug of a knowledge base name."""
    s = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return s or "unnamed"


def template(s: str) -> str:
    """TMT title/description placeholders ({source.Name}) in our spelling ({source.name})."""
    return _TEMPLATE_RE.sub(lambda m: "{" + m.group(1).lower() + ".name}", s)


def _ci(el: etree._Element) -> dict[str, etree._Element]:
    """Children by lower-cased local name: `Id` and `ID` alike."""
    out: dict[str, etree._Element] = {}
    for c in el:
        n = local(c.tag).lower()
        if n and n not in out:
            out[n] = c
    return out


def manifest(kb: etree._Element) -> dict[str, str]:
    """Name, id, version and author of a knowledge base (elements in .tm7, attributes in .tb7)."""
    m = kids(kb).get("Manifest")
    out = {"name": "", "id": "", "version": "", "author": ""}
    if m is None:
        return out
    lower_attrs = {k.lower(): v for k, v in m.attrib.items()}
    ck = _ci(m)
    for key in out:
        out[key] = (lower_attrs.get(key) or text(ck.get(key))).strip()
    return out


def element_types(kb: etree._Element) -> list[dict[str, str]]:
    """Generic then standard element types: id, parent, name, representation."""
    out: list[dict[str, str]] = []
    k = kids(kb)
    for section in ("GenericElements", "StandardElements"):
        for et in children(k.get(section), "ElementType"):
            ck = _ci(et)
            tid = text(ck.get("id"))
            if not tid:
                continue
            out.append({
                "id": tid,
                "parent": text(ck.get("parentid") if "parentid" in ck else ck.get("parentelement")),
                "name": text(ck.get("name")),
                "representation": text(ck.get("representation")),
                "section": section,
            })
    return out


def kinds_by_type(kb: etree._Element | None) -> dict[str, ElementKind]:
    """Every element type id of the knowledge base → its DFD kind (via parents and shapes)."""
    if kb is None:
        return {}
    types = element_types(kb)
    by_id = {t["id"]: t for t in types}
    out: dict[str, ElementKind] = {}
    for t in types:
        cur: dict[str, str] | None = t
        seen: set[str] = set()
        while cur is not None and cur["id"] not in seen:
            seen.add(cur["id"])
            kind = _kind_of(cur)
            if kind is not None:
                out[t["id"]] = kind
                break
            cur = by_id.get(cur["parent"])
    return out


def _kind_of(t: dict[str, str]) -> ElementKind | None:
    if t["id"] in KIND_BY_GENERIC_TYPE:
        return KIND_BY_GENERIC_TYPE[t["id"]]
    if t["section"] == "GenericElements":
        return KIND_BY_REPRESENTATION.get(t["representation"].lower())
    return None


def _metadata(tt: etree._Element) -> dict[str, str]:
    """A threat type's PropertiesMetaData: name → first value."""
    out: dict[str, str] = {}
    pm = _ci(tt).get("propertiesmetadata")
    for md in children(pm, "ThreatMetaDatum"):
        ck = _ci(md)
        name = text(ck.get("name"))
        vals = [v for v in children(ck.get("values")) if not is_nil(v)]
        if name and name not in out:
            out[name] = text(vals[0], strip=False) if vals else ""
    return out


def pack_from_kb(kb: etree._Element, source: str) -> dict[str, Any]:
    """The rule-pack document (docs/rule-packs.md) of a KnowledgeBase element."""
    man = manifest(kb)
    pack_id = "tmt-" + slug(man["name"] or "knowledge-base")
    types: dict[str, dict[str, str]] = {}
    for t in element_types(kb):
        if t["id"] in KIND_BY_GENERIC_TYPE:
            continue  # GE.P, GE.DF, …: every hierarchy knows them already
        # A custom generic type (a GUID) hangs from TMT's ROOT, as in the file; nothing
        # matches `is 'ROOT'`'s descendants but such custom roots, as in TMT.
        parent = t["parent"] or "ROOT"
        generic, stencil = STENCIL_FOR_TMT_TYPE.get(t["id"], ("", ""))
        if parent == generic:
            parent = stencil
        types.setdefault(t["id"], {"parent": parent, "name": t["name"]})
    k = kids(kb)
    categories: dict[str, str] = {}
    for c in children(k.get("ThreatCategories"), "ThreatCategory"):
        ck = _ci(c)
        cid = text(ck.get("id"))
        if cid:
            categories.setdefault(cid, text(ck.get("name")) or cid)
    threats: list[dict[str, Any]] = []
    seen: set[str] = set()
    for tt in children(k.get("ThreatTypes"), "ThreatType"):
        ck = _ci(tt)
        tid = text(ck.get("id"))
        if not tid or tid in seen:
            continue
        seen.add(tid)
        gf = _ci(ck["generationfilters"]) if "generationfilters" in ck else {}
        meta = _metadata(tt)
        cat = text(ck.get("category"))
        likelihood, impact = levels(meta.get("Priority", "")) or (4, 4)
        # TMT generates nothing from an empty include, where our language means "always".
        include = " ".join(text(gf.get("include")).split()) or _NEVER
        threat: dict[str, Any] = {
            "id": tid,
            "title": template(text(ck.get("shorttitle"))) or tid,
            "category": categories.get(cat, cat),
            "scope": "interaction",
            "include": include,
        }
        exclude = " ".join(text(gf.get("exclude")).split())
        if exclude:
            threat["exclude"] = exclude
        threat["likelihood"] = likelihood
        threat["impact"] = impact
        desc = template(text(ck.get("description"), strip=False).strip())
        if desc:
            threat["description"] = desc
        mitigation = meta.get("PossibleMitigations", "").strip()
        if mitigation:
            threat["mitigations"] = [mitigation]
        threats.append(threat)
    doc: dict[str, Any] = {
        "id": pack_id,
        "name": man["name"] or "Threat Modeling Tool knowledge base",
        "version": man["version"] or "0",
        "description": (
            f"Imported from the Microsoft Threat Modeling Tool {source}: knowledge base "
            f"{man['name']!r} {man['version']} by {man['author'] or 'unknown author'} "
            f"(id {man['id'] or 'none'})."
        ),
        "types": types,
        "categories": categories,
        "threats": threats,
    }
    return doc
