"""The map as AIF JSON (the AIFdb/OVA form), and AIF JSON read back as a map.

AIF, the Argument Interchange Format, is what AIFdb (the argument database of
the Centre for Argument Technology, Dundee) stores and OVA draws. A map
becomes, in the JSON form AIFdb's import and OVA read:

* one I-node (information) per unit, its text as the node text, numbered
  ``1..N`` in text order;
* per support relation an RA-node ("Default Inference") with edges
  ``source I -> RA -> target I``; per attack a CA-node ("Default Conflict"),
  ``attacker I -> CA -> attacked I``; S-nodes are numbered after the I-nodes,
  in the order of the map's relations;
* ``edges`` ``{edgeID, fromID, toID, formEdgeID: null}``, ``locutions: []``
  (argmap has no dialogue, so no L-nodes);
* ``"callsForAction": true`` on the I-node of a unit that calls for action
  (AIF has no such notion; other tools ignore the extra key, argmap reads it
  back).

Ids are strings of digits, as AIFdb writes them. Every node has the same fixed
``timestamp`` (:data:`AIF_TIMESTAMP`, 2000-01-01 00:00:00) rather than the time
of export, so exports are byte-stable and diff and golden-test cleanly; AIFdb
sets its own time when it stores a node. 2000, not 1970: a zero Unix time is
outside the range of the MySQL TIMESTAMP columns AIFdb uses.

AIF has no roles and no main claim: on import the thesis is the root with the
most units under it, and roles are read off the structure (see
:func:`argmap.interchange._build.structural_roles`). Reading is lenient about
what other tools add: an xAIF wrapper (``{"AIF": {...}}``), numeric ids,
L/YA/TA/MA/PA nodes (ignored), linked premises (one relation per premise) and
undercutters (an attack on the inference's first premise).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from argmap.errors import InputError
from argmap.interchange._build import ImportedRelation, ImportedUnit, build_map
from argmap.model import ArgumentMap, RelationKind

__all__ = ["AIF_TIMESTAMP", "from_aif", "to_aif"]

AIF_TIMESTAMP = "2000-01-01 00:00:00"
_CALLS = "callsForAction"
_SCHEMES = {
    RelationKind.SUPPORT: ("RA", "Default Inference"),
    RelationKind.ATTACK: ("CA", "Default Conflict"),
}


def _node(node_id: int, text: str, kind: str, timestamp: str) -> dict[str, str | bool]:
    return {"nodeID": str(node_id), "text": text, "type": kind, "timestamp": timestamp}


def to_aif(m: ArgumentMap, *, timestamp: str = AIF_TIMESTAMP) -> str:
    """Write the map as AIF JSON (see the module docstring).

    Args:
        m: The argument map.
        timestamp: The time written on every node; fixed by default so that
            the same map always gives the same bytes.

    Returns:
        Indented JSON, ending with a newline.
    """
    number = {u.id: i for i, u in enumerate(m.units, start=1)}
    nodes = [_node(number[u.id], " ".join(u.text.split()), "I", timestamp) for u in m.units]
    for u, node in zip(m.units, nodes, strict=True):
        if u.calls_for_action:
            node[_CALLS] = True
    edges: list[dict[str, str | None]] = []
    order = {u.id: i for i, u in enumerate(m.units)}
    relations = sorted(m.relations, key=lambda r: (order[r.source], order[r.target], r.kind.value))
    next_id = len(m.units) + 1
    for rel in relations:
        kind, text = _SCHEMES[rel.kind]
        scheme = next_id
        nodes.append(_node(scheme, text, kind, timestamp))
        next_id += 1
        for src, dst in ((number[rel.source], scheme), (scheme, number[rel.target])):
            edge = {"edgeID": str(len(edges) + 1), "fromID": str(src), "toID": str(dst)}
            edges.append({**edge, "formEdgeID": None})
    document = {"nodes": nodes, "edges": edges, "locutions": []}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _load(text: str, name: str) -> Mapping[str, Any]:
    from argmap.jsontext import parse_json

    data = parse_json(text, name)
    if isinstance(data, dict) and isinstance(data.get("AIF"), dict):
        data = data["AIF"]  # xAIF wraps the AIF part
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise InputError(f"{name}: not AIF JSON (no 'nodes' list)")
    if not isinstance(data.get("edges", []), list):
        raise InputError(f"{name}: not AIF JSON ('edges' is not a list)")
    return data


def _sort_key(node_id: str) -> tuple[int, int, str]:
    """Ids of ASCII digits in numeric order (compared as strings: any length), then the rest."""
    if node_id.isascii() and node_id.isdigit():
        digits = node_id.lstrip("0") or "0"
        return (0, len(digits), digits)
    return (1, 0, node_id)


def from_aif(text: str, *, name: str = "<aif>") -> ArgumentMap:
    """Read AIF JSON (AIFdb, OVA or argmap's own export) as a map.

    I-nodes become units in the order of their ids; each RA-node gives a
    support from every premise to its conclusion, each CA-node an attack.

    Raises:
        InputError: If the text is not JSON, has no ``nodes`` list, or a node
            or edge lacks its id fields.
    """
    data = _load(text, name)
    kinds: dict[str, str] = {}
    texts: dict[str, str] = {}
    calls: set[str] = set()
    for i, node in enumerate(data["nodes"]):
        if not isinstance(node, dict) or "nodeID" not in node:
            raise InputError(f"{name}: node {i + 1} has no nodeID")
        node_id = str(node["nodeID"])
        kinds[node_id] = str(node.get("type", ""))
        texts[node_id] = str(node.get("text") or "")
        if node.get(_CALLS) is True:
            calls.add(node_id)
    into: dict[str, list[str]] = {}
    out_of: dict[str, list[str]] = {}
    for i, edge in enumerate(data.get("edges", [])):
        if not isinstance(edge, dict) or "fromID" not in edge or "toID" not in edge:
            raise InputError(f"{name}: edge {i + 1} has no fromID/toID")
        src, dst = str(edge["fromID"]), str(edge["toID"])
        if src in kinds and dst in kinds:
            out_of.setdefault(src, []).append(dst)
            into.setdefault(dst, []).append(src)

    i_nodes = sorted((n for n, k in kinds.items() if k == "I"), key=_sort_key)
    units = [
        ImportedUnit(key=n, text=texts[n] or f"(empty I-node {n})", calls_for_action=n in calls)
        for n in i_nodes
    ]
    relations: list[ImportedRelation] = []
    for scheme in sorted((n for n, k in kinds.items() if k in ("RA", "CA")), key=_sort_key):
        kind = RelationKind.SUPPORT if kinds[scheme] == "RA" else RelationKind.ATTACK
        label = texts[scheme] or kinds[scheme]
        premises = [n for n in into.get(scheme, []) if kinds[n] == "I"]
        for conclusion in out_of.get(scheme, []):
            if kinds[conclusion] in ("RA", "CA"):  # an undercutter: attacks an inference
                premises_of = [n for n in into.get(conclusion, []) if kinds[n] == "I"]
                if not premises_of:
                    continue
                target, cue = (
                    premises_of[0],
                    f"AIF {kinds[scheme]} {scheme} on inference {conclusion}",
                )
            elif kinds[conclusion] == "I":
                target, cue = conclusion, f"AIF {kinds[scheme]} node {scheme} ({label})"
            else:
                continue
            relations += [ImportedRelation(p, target, kind, cue) for p in premises]
    return build_map(units, relations, fmt="AIF")
