"""Writing a bundle to disk: bundle.json, bundle.html, bundle.pdf, manifest.json, and all four in bundle.zip.

The manifest holds the SHA-256 of each file beside it and of each source document, the graph state
and who asked, when and why; `verify` recomputes the file hashes, so a reader can check a zip it got.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from casegraph.bundle.models import Bundle, Manifest, ManifestFile
from casegraph.bundle.render_html import render_html
from casegraph.bundle.render_pdf import render_pdf
from casegraph.errors import InvalidInput

CONTENT_FILES: Final = ("bundle.json", "bundle.html", "bundle.pdf")
MANIFEST: Final = "manifest.json"
ZIP_NAME: Final = "bundle.zip"


@dataclass(frozen=True)
class WrittenBundle:
    folder: Path
    files: dict[str, Path]
    zip_path: Path
    manifest: Manifest


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def render_files(bundle: Bundle) -> dict[str, bytes]:
    """The bundle's files as bytes, manifest included."""
    contents = {
        "bundle.json": bundle.model_dump_json(indent=2).encode("utf-8"),
        "bundle.html": render_html(bundle).encode("utf-8"),
        "bundle.pdf": render_pdf(bundle),
    }
    manifest = Manifest(case=bundle.case.key, created_at=bundle.created_at, requester=bundle.requester,
                        files=[ManifestFile(name=n, sha256=sha256_hex(b), bytes=len(b)) for n, b in contents.items()],
                        source_documents=bundle.sources, graph_state=bundle.graph_state)
    contents[MANIFEST] = manifest.model_dump_json(indent=2).encode("utf-8")
    return contents


def write_bundle(bundle: Bundle, out: Path) -> WrittenBundle:
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"{out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    contents = render_files(bundle)
    files = {}
    for name, data in contents.items():
        (out / name).write_bytes(data)
        files[name] = out / name
    zip_path = out / ZIP_NAME
    zip_path.write_bytes(zip_bytes(contents))
    return WrittenBundle(out, files, zip_path, Manifest.model_validate_json(contents[MANIFEST]))


def zip_bytes(contents: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in contents.items():
            # a fixed timestamp: the same bundle gives the same zip
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def verify(zip_path: Path) -> list[str]:
    """Problems found in a bundle zip: files missing or whose SHA-256 differs from the manifest. [] when sound."""
    problems = []
    with zipfile.ZipFile(zip_path) as archive:
        names = set(archive.namelist())
        if MANIFEST not in names:
            return [f"{MANIFEST} is missing"]
        manifest = Manifest.model_validate(json.loads(archive.read(MANIFEST)))
        for entry in manifest.files:
            if entry.name not in names:
                problems.append(f"{entry.name} is missing")
            elif sha256_hex(archive.read(entry.name)) != entry.sha256:
                problems.append(f"{entry.name}: SHA-256 differs from the manifest")
        extra = names - {f.name for f in manifest.files} - {MANIFEST}
        problems.extend(f"{name} is not in the manifest" for name in sorted(extra))
    return problems
