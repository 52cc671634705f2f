"""Which flows touch which element, and which flows run between the same two elements."""

from __future__ import annotations

from app.domain import Element


def pair_key(flow: Element) -> frozenset[str]:
    return frozenset((flow.source_id or "", flow.target_id or ""))


class FlowIndex:
    """Kept by the scene so moving an element re-routes only its own flows."""

    def __init__(self) -> None:
        self._at: dict[str, set[str]] = {}
        self._pairs: dict[frozenset[str], list[str]] = {}

    def clear(self) -> None:
        self._at.clear()
        self._pairs.clear()

    def add(self, flow: Element) -> None:
        for end in (flow.source_id, flow.target_id):
            if end:
                self._at.setdefault(end, set()).add(flow.id)
        if flow.source_id and flow.target_id:
            self._pairs.setdefault(pair_key(flow), []).append(flow.id)

    def remove(self, flow: Element) -> list[str]:
        """Forget a flow; returns the flows that shared its pair of ends (to re-route)."""
        for end in (flow.source_id, flow.target_id):
            if end and end in self._at:
                self._at[end].discard(flow.id)
        siblings = self._pairs.get(pair_key(flow), [])
        if flow.id in siblings:
            siblings.remove(flow.id)
        return list(siblings)

    def forget_element(self, element_id: str) -> None:
        self._at.pop(element_id, None)

    def at(self, element_id: str) -> set[str]:
        """Ids of the flows that start or end at an element."""
        return self._at.get(element_id, set())

    def pair(self, flow: Element) -> list[str]:
        """Ids of the flows between the same two elements as `flow` (either direction)."""
        return list(self._pairs.get(pair_key(flow), []))
