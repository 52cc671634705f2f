"""A realistic RAG assistant model used by screenshot tests and the docs screenshots."""

from __future__ import annotations

from app.domain import Diagram, ElementKind, Point, Project, Rect, make_box, make_flow, make_line

K = ElementKind


def rag_project() -> Project:
    """A retrieval-augmented LLM assistant: users, web app, guardrail, LLM, vector store."""
    p = Project("RAG support assistant")
    d = Diagram("Inference", diagram_id="d-rag")
    p.add_diagram(d)

    def box(eid: str, kind: K, type_id: str, name: str, x: float, y: float,
            w: float = 150, h: float = 70, **props: object) -> None:
        d.add(make_box(kind, type_id, name, Rect(x, y, w, h), dict(props),  # type: ignore
                       element_id=eid))

    box("b-vpc", K.BOUNDARY_BOX, "GE.TB.B", "Company cloud (VPC)", 230, -40, 720, 430,
        trust_level="trusted")
    box("b-ml", K.BOUNDARY_BOX, "GE.TB.B", "ML platform", 560, 150, 370, 220)
    box("b-prov", K.BOUNDARY_BOX, "GE.TB.B", "LLM provider", 1000, -40, 230, 170,
        trust_level="partner")
    box("user", K.EXTERNAL_ENTITY, "actor.end_user", "Customer", 0, 40)
    box("admin", K.EXTERNAL_ENTITY, "actor.admin", "Support admin", 0, 260)
    box("web", K.PROCESS, "generic.web_app", "Support web app", 270, 40, exposure="internet")
    box("guard", K.PROCESS, "ai.guardrail", "Prompt guardrail", 580, 10)
    box("llm", K.PROCESS, "ai.llm", "Hosted LLM", 1040, 10)
    box("embed", K.PROCESS, "ai.embedding_service", "Embedding service", 590, 180)
    box("vec", K.DATA_STORE, "ai.vector_store", "Vector store", 760, 290, 150, 60)
    box("docs", K.DATA_STORE, "generic.database", "Knowledge base", 270, 290, 150, 60)
    box("note", K.ANNOTATION, "GE.A", "Prompts may carry customer PII", 1020, 230, 190, 54)
    flows = [("f1", "user", "web", "question"), ("f2", "web", "user", "answer"),
             ("f3", "web", "guard", "prompt"), ("f4", "guard", "llm", "filtered prompt"),
             ("f5", "llm", "guard", "completion"), ("f6", "web", "embed", "query"),
             ("f7", "embed", "vec", "similarity search"), ("f8", "vec", "web", "passages"),
             ("f9", "admin", "docs", "upload docs"), ("f10", "docs", "embed", "chunks")]
    for fid, s, t, name in flows:
        d.add(make_flow(s, t, name, element_id=fid,
                        properties={"payload": "prompts"} if "prompt" in name else None))
    d.add(make_line((Point(200, -80), Point(200, 420)), "Internet edge", element_id="edge"))
    p.add_diagram(Diagram("Training", diagram_id="d-train"))
    return p
