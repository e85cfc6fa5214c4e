"""Reloading the corpus: incremental, atomic, and with an outcome for every file.

- Incremental: a file whose size and mtime are unchanged is not read; one whose content hash
  is unchanged is not reprocessed (JSONL: per record).
- Atomic: the whole reload is one database transaction; a reload that fails or is killed
  leaves the previous corpus fully served.
- Removal: files that were indexed under a folder being reloaded and are gone now are
  retired. Files outside the given paths are left alone.
- Every file gets an outcome: added / updated / unchanged / removed / rejected (with a reason);
  a rejected file never removes its previously indexed version.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .article import Article, parse_article, sentence_key
from .config import Settings
from .metadata import OutletCatalog
from .storage import FileState, Store

TEXT_SUFFIXES = {".txt": False, ".md": True, ".markdown": True}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
BATCH_DOCS = 200
MAX_JSONL_LINE_BYTES_DEFAULT = 5_000_000


@dataclass
class Outcome:
    path: str
    outcome: str  # added | updated | unchanged | removed | rejected
    reason: str | None = None
    line: int | None = None
    doc_id: str | None = None
    counts: dict[str, int] = field(default_factory=dict)  # JSONL: per-record counts

    def summary(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        if self.counts:
            parts = ", ".join(f"{n:,} {k}" for k, n in self.counts.items() if n)
            return f"{where}: {self.outcome} ({parts or 'no records'})"
        return f"{where}: {self.outcome}" + (f" — {self.reason}" if self.reason else "")


@dataclass
class ReloadReport:
    run_id: int
    outcomes: list[Outcome]
    counts: Counter[str]
    generation: int
    changed: bool

    @property
    def rejected(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.outcome == "rejected"]

    def headline(self) -> str:
        c = self.counts
        return (
            f"reload #{self.run_id}: {c['added']} added, {c['updated']} updated, "
            f"{c['unchanged']} unchanged, {c['removed']} removed, {c['rejected']} rejected"
        )


ProgressFn = Callable[[int, int, int], None]  # (files done, files total, documents written)


class _Rejected(Exception):
    pass


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b)


def decode(data: bytes) -> str:
    """Text of a file: UTF-8 (BOM allowed) or UTF-16 with a BOM; else a clear rejection."""
    if not data.strip():
        raise _Rejected("empty file")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _Rejected(f"undecodable: invalid UTF-16 at byte {exc.start}") from exc
        if not text.strip():
            raise _Rejected("empty file")
        return text
    head = data[:8192]
    if b"\x00" in head:
        raise _Rejected("binary file (NUL bytes)")
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > len(head) * 0.1:
        raise _Rejected("binary file (control bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _Rejected(
            f"undecodable: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from exc
    if not text.strip():
        raise _Rejected("empty file")
    return text


def _walk(root: Path) -> Iterator[Path]:
    """Files under a folder, sorted, skipping hidden files and folders."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def _doc_row(article: Article, source_path: str, kind: str, content_hash: str,
             run_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    doc = {
        "id": article.doc_id, "source_path": source_path, "source_kind": kind,
        "title": article.title, "author": article.author, "published": article.published,
        "dateline": article.dateline, "dateline_date": article.dateline_date,
        "wire": article.wire, "outlets": article.outlets, "url": article.url,
        "content_hash": content_hash, "sentence_count": len(article.sentences),
        "run_id": run_id,
    }
    sents = [
        {"doc_id": article.doc_id, "position": s.position, "paragraph": s.paragraph,
         "kind": s.kind, "text": s.text, "key": sentence_key(s.text)}
        for s in article.sentences
    ]
    return doc, sents


class _Loader:
    def __init__(self, store: Store, settings: Settings, run_id: int,
                 progress: ProgressFn | None) -> None:
        self.store = store
        self.settings = settings
        self.run_id = run_id
        self.catalog = OutletCatalog.load(settings.outlets_path)
        self.states = store.file_states()
        self.outcomes: list[Outcome] = []
        self.counts: Counter[str] = Counter()
        self.changed = False
        self.progress = progress
        self.docs_written = 0
        self._docs: list[dict[str, Any]] = []
        self._sents: list[dict[str, Any]] = []
        self._files: list[tuple[FileState, str | None]] = []
        self._claimed: dict[str, str] = {}  # doc id -> path, within this run

    # -- batching
    def _put(self, article: Article, path: str, kind: str, content_hash: str) -> None:
        doc, sents = _doc_row(article, path, kind, content_hash, self.run_id)
        self._docs.append(doc)
        self._sents.extend(sents)
        self.changed = True
        if len(self._docs) >= BATCH_DOCS:
            self.flush()

    def _save_file(self, state: FileState, reason: str | None) -> None:
        self._files.append((state, reason))
        if len(self._files) >= BATCH_DOCS:
            self.flush()

    def flush(self) -> None:
        if self._docs:
            self.store.put_documents(self._docs, self._sents)
            self.docs_written += len(self._docs)
            self._docs, self._sents = [], []
        if self._files:
            self.store.save_file_states(self._files, self.run_id)
            self._files = []

    def _claim(self, doc_id: str, path: str, state: tuple[str, str, str] | None | bool = False
               ) -> None:
        """A document id belongs to one source; a second source with the same id is rejected.

        `state`: the document's stored (source_path, status, hash) if already looked up."""
        other = self._claimed.get(doc_id)
        if other is None:
            row = self.store.document_state(doc_id) if state is False else state
            owner = row[0] if isinstance(row, tuple) and row[1] == "active" else None
            if owner is not None and owner != path and Path(owner).exists():
                other = owner
        if other is not None and other != path:
            raise _Rejected(f"duplicate document id {doc_id!r} (already from {other})")
        self._claimed[doc_id] = path

    def _record(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        if not outcome.counts:
            self.counts[outcome.outcome] += 1

    # -- files
    def load_path(self, path: Path) -> None:
        key = str(path.resolve())
        suffix = path.suffix.lower()
        if suffix not in TEXT_SUFFIXES and suffix not in JSONL_SUFFIXES:
            self._record(Outcome(key, "rejected", f"unsupported file type ({suffix or 'no extension'});"
                                 " expected .txt, .md or .jsonl"))
            return
        try:
            st = path.stat()
        except OSError as exc:
            self._record(Outcome(key, "rejected", f"cannot read: {exc.strerror}"))
            return
        prev = self.states.get(key)
        if prev and prev.outcome != "rejected" and prev.size == st.st_size and prev.mtime_ns == st.st_mtime_ns:
            self._record(Outcome(key, "unchanged", counts={"unchanged": len(prev.doc_ids)}
                                 if suffix in JSONL_SUFFIXES else {}))
            if suffix in JSONL_SUFFIXES:
                self.counts["unchanged"] += len(prev.doc_ids)
            return
        if suffix in JSONL_SUFFIXES:
            self._load_jsonl(path, key, st, prev)
        else:
            self._load_text(path, key, st, prev, TEXT_SUFFIXES[suffix])

    def _load_text(self, path: Path, key: str, st: os.stat_result, prev: FileState | None,
                   markdown: bool) -> None:
        try:
            if st.st_size > self.settings.max_file_bytes:
                raise _Rejected(
                    f"over the size cap ({st.st_size:,} bytes > {self.settings.max_file_bytes:,})"
                )
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise _Rejected(f"cannot read: {exc.strerror}") from exc
            content_hash = _hash(data)
            if prev and prev.content_hash == content_hash and prev.outcome != "rejected":
                self.store.touch_file(key, st.st_size, st.st_mtime_ns)
                self._record(Outcome(key, "unchanged", doc_id=prev.doc_ids[0] if prev.doc_ids else None))
                return
            text = decode(data)
            doc_id = path.stem
            stored = self.store.document_state(doc_id)
            self._claim(doc_id, key, stored)
            article = parse_article(text, doc_id, self.catalog, markdown=markdown)
            if article.body_count == 0:
                raise _Rejected("no article text left after cleaning")
        except _Rejected as exc:
            self._record(Outcome(key, "rejected", str(exc)))
            if prev is None:
                # Remember nothing; a later good version is simply "added".
                return
            self._save_file(
                FileState(key, prev.size, prev.mtime_ns, prev.content_hash, prev.doc_ids, prev.outcome),
                str(exc))
            return
        existed = stored is not None and stored[1] == "active"
        self._put(article, key, "file", content_hash)
        stale = [d for d in (prev.doc_ids if prev else []) if d != doc_id]
        if stale:
            self.flush()
            self.store.retire_documents(stale)
        self._save_file(
            FileState(key, st.st_size, st.st_mtime_ns, content_hash, [doc_id], "ok"), None)
        self._record(Outcome(key, "updated" if existed else "added", doc_id=doc_id))

    def _load_jsonl(self, path: Path, key: str, st: os.stat_result, prev: FileState | None) -> None:
        hasher = hashlib.blake2b(digest_size=16)
        counts: Counter[str] = Counter()
        seen: list[str] = []
        seen_set: set[str] = set()
        line_errors: list[Outcome] = []
        pending: list[tuple[int, str, dict[str, Any], str]] = []
        cap = self.settings.max_file_bytes

        def process_pending() -> None:
            existing = self.store.document_hashes([p[1] for p in pending])
            for line_no, doc_id, rec, rec_hash in pending:
                old = existing.get(doc_id)
                if old and old[0] == rec_hash and old[1] == "active":
                    counts["unchanged"] += 1
                    continue
                try:
                    self._claim(doc_id, key)
                    article = parse_article(
                        rec["text"], doc_id, self.catalog,
                        markdown=False,
                        title=_opt_str(rec.get("title")) or "",
                        author=_opt_str(rec.get("author")),
                        published=_opt_str(rec.get("published")),
                        outlet=_opt_str(rec.get("outlet")),
                        url=_opt_str(rec.get("url")),
                    )
                    if not article.title:
                        article.title = None
                    if article.body_count == 0:
                        raise _Rejected("no article text left after cleaning")
                except _Rejected as exc:
                    line_errors.append(Outcome(key, "rejected", str(exc), line=line_no, doc_id=doc_id))
                    continue
                self._put(article, key, "jsonl", rec_hash)
                counts["updated" if old and old[1] == "active" else "added"] += 1
            pending.clear()

        try:
            fh = path.open("rb")
        except OSError as exc:
            self._record(Outcome(key, "rejected", f"cannot read: {exc.strerror}"))
            return
        with fh:
            for line_no, raw in enumerate(fh, start=1):
                hasher.update(raw)
                if not raw.strip():
                    continue
                try:
                    if len(raw) > cap:
                        raise _Rejected(f"record over the size cap ({len(raw):,} bytes > {cap:,})")
                    try:
                        rec = json.loads(raw.decode("utf-8-sig"))
                    except UnicodeDecodeError as exc:
                        raise _Rejected(f"undecodable: not UTF-8 at offset {exc.start}") from exc
                    except json.JSONDecodeError as exc:
                        raise _Rejected(f"malformed JSON: {exc.msg} (column {exc.colno})") from exc
                    if not isinstance(rec, dict):
                        raise _Rejected("malformed record: expected a JSON object")
                    text = rec.get("text")
                    if not isinstance(text, str) or not text.strip():
                        raise _Rejected("malformed record: missing or empty \"text\"")
                    raw_id = rec.get("id")
                    if raw_id is None or isinstance(raw_id, (dict, list)) or str(raw_id).strip() == "":
                        doc_id = f"{path.stem}-{_hash(text.encode())[:12]}"
                    else:
                        doc_id = str(raw_id).strip()
                    if doc_id in seen_set:
                        raise _Rejected(f"duplicate id {doc_id!r} in this file")
                except _Rejected as exc:
                    line_errors.append(Outcome(key, "rejected", str(exc), line=line_no))
                    continue
                seen.append(doc_id)
                seen_set.add(doc_id)
                rec_hash = _hash(json.dumps(rec, sort_keys=True, ensure_ascii=False).encode())
                pending.append((line_no, doc_id, rec, rec_hash))
                if len(pending) >= BATCH_DOCS:
                    process_pending()
                    if self.progress:
                        self.progress(-1, -1, self.docs_written + len(self._docs))
            process_pending()
        good = [d for d in seen if not any(e.doc_id == d for e in line_errors)]
        if line_errors:
            # A bad line might be a previously indexed record: keep everything we had.
            keep = set(good) | set(prev.doc_ids if prev else [])
            good = [d for d in (prev.doc_ids if prev else []) if d in keep and d not in set(good)] + good
        else:
            stale = [d for d in (prev.doc_ids if prev else []) if d not in seen_set]
            if stale:
                self.flush()
                self.store.retire_documents(stale)
                counts["removed"] += len(stale)
                self.changed = True
        counts["rejected"] += len(line_errors)
        self._save_file(
            FileState(key, st.st_size, st.st_mtime_ns, hasher.hexdigest(), good, "ok"),
            f"{len(line_errors)} rejected lines" if line_errors else None)
        if counts["added"] and not prev:
            outcome = "added"
        elif counts["added"] or counts["updated"] or counts["removed"]:
            outcome = "updated"
        elif good or not line_errors:
            outcome = "unchanged"
        else:
            outcome = "rejected"
        summary = Outcome(key, outcome, counts={k: counts[k] for k in
                                                ("added", "updated", "unchanged", "removed", "rejected")})
        self.outcomes.append(summary)
        self.outcomes.extend(line_errors)
        for k in ("added", "updated", "unchanged", "removed", "rejected"):
            self.counts[k] += counts[k]

    # -- removal
    def retire_missing(self, roots: list[Path], present: set[str]) -> None:
        prefixes = [str(r.resolve()) + os.sep for r in roots]
        for path, state in sorted(self.states.items()):
            if path in present or not any(path.startswith(p) for p in prefixes):
                continue
            if Path(path).exists() and Path(path).name.startswith("."):
                continue
            self.flush()
            self.store.retire_documents(state.doc_ids)
            self.store.delete_file_state(path)
            self.changed = self.changed or bool(state.doc_ids)
            self._record(Outcome(path, "removed", "file no longer present",
                                 counts={"removed": len(state.doc_ids)} if len(state.doc_ids) > 1 else {}))
            if len(state.doc_ids) > 1:
                self.counts["removed"] += len(state.doc_ids)


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def reload_corpus(
    store: Store,
    settings: Settings,
    paths: list[Path] | None = None,
    *,
    progress: ProgressFn | None = None,
    actor: str | None = None,
    after_commit: Callable[[Store], None] | None = None,
) -> ReloadReport:
    """Bring the corpus in line with `paths` (default: the configured folders)."""
    roots = list(paths) if paths else list(settings.default_paths)
    run_id = store.start_run([str(p) for p in roots], actor)
    status = "failed"
    loader = _Loader(store, settings, run_id, progress)
    try:
        files: list[Path] = []
        folders: list[Path] = []
        for root in roots:
            if root.is_dir():
                folders.append(root)
                files.extend(_walk(root))
            elif root.is_file():
                files.append(root)
            else:
                loader._record(Outcome(str(root), "rejected", "no such file or folder"))
        with store.transaction():
            for n, f in enumerate(files, start=1):
                loader.load_path(f)
                if progress:
                    progress(n, len(files), loader.docs_written)
            loader.flush()
            loader.retire_missing(folders, {str(f.resolve()) for f in files})
            generation = store.bump_generation() if loader.changed else store.generation
            store.record_outcomes(
                {"run_id": run_id, "path": o.path, "outcome": o.outcome, "reason": o.reason,
                 "line": o.line, "doc_id": o.doc_id}
                for o in loader.outcomes
            )
        status = "ok" if not loader.counts["rejected"] else "with-rejections"
    finally:
        store.finish_run(run_id, status, dict(loader.counts))
    report = ReloadReport(run_id, loader.outcomes, loader.counts, generation, loader.changed)
    if after_commit is not None:
        after_commit(store)
    return report
