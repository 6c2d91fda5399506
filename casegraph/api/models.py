"""Response models of the public API (published in the OpenAPI schema at /docs)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: str = Field(description="ok when Neo4j answers, unavailable otherwise")
    neo4j: str = Field(description="the server's version, or why it does not answer")
    version: str


class CaseRef(BaseModel):
    key: str
    number: str
    agency: str
    kind: str | None = None


class DocumentRef(BaseModel):
    key: str
    agency: str
    filename: str | None = None
    kind: str | None = None


class EntityView(BaseModel):
    key: str
    label: str
    properties: dict[str, Any]
    cases: list[CaseRef]
    agencies: list[str]
    documents: list[DocumentRef]


class Neighbor(BaseModel):
    key: str
    label: str
    distance: int
    name: str | None = None


class Edge(BaseModel):
    type: str
    from_: str = Field(alias="from")
    to: str
    role: str | None = None
    sources: list[str] | None = None


class Neighborhood(BaseModel):
    key: str
    depth: int
    neighbors: list[Neighbor]
    edges: list[Edge]
