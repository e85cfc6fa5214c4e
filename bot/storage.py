"""All database access. SQLite through sqlite-utils is the system of record; nothing outside
this module writes SQL. A PostgreSQL backend would implement the same `Store` methods.

Tables
- documents: one row per article (active or retired), metadata and content hash
- sentences: the cleaned sentences of active documents (kind body|heading, position, paragraph)
- files: what reload last saw of each source file (size, mtime, hash) for incremental reloads
- ingest_runs / ingest_outcomes: every reload and the outcome of every file (and JSONL line)
- admin_actions: who ran which admin command, when, with what outcome
- meta: key/value (corpus generation, ...)

Every reload runs in one transaction (`Store.transaction`), so a failed or killed reload leaves
the previous corpus fully served; WAL mode lets readers go on during a reload."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

SCHEMA_VERSION = 1


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class FileState:
    path: str
    size: int
    mtime_ns: int
    content_hash: str
    doc_ids: list[str]
    outcome: str
    reason: str | None = None  # e.g. "3 rejected lines": such a file is re-read next time


class Store:
    """The system of record. Open one per thread (SQLite connections are not shared)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=60, check_same_thread=False)
        self.db = sqlite_utils.Database(conn)
        if str(path) != ":memory:":
            self.db.enable_wal()
        self.db.execute("PRAGMA busy_timeout = 60000")
        self.db.execute("PRAGMA foreign_keys = ON")
        self._ensure_schema()

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ schema
    def _ensure_schema(self) -> None:
        db = self.db
        if "meta" not in db.table_names():
            db.table("meta").create({"key": str, "value": str}, pk="key")
        if "documents" not in db.table_names():
            db.table("documents").create(
                {
                    "id": str, "source_path": str, "source_kind": str, "title": str,
                    "author": str, "published": str, "dateline": str, "dateline_date": str,
                    "wire": str, "outlets": str, "url": str, "content_hash": str,
                    "sentence_count": int, "status": str, "first_ingested_at": str,
                    "updated_at": str, "retired_at": str, "run_id": int,
                },
                pk="id",
            )
            db.table("documents").create_index(["status"])
        if "sentences" not in db.table_names():
            db.table("sentences").create(
                {"id": int, "doc_id": str, "position": int, "paragraph": int, "kind": str,
                 "text": str, "key": str},
                pk="id",
            )
            db.table("sentences").create_index(["doc_id", "position"])
            db.table("sentences").create_index(["key"])
        if "files" not in db.table_names():
            db.table("files").create(
                {"path": str, "size": int, "mtime_ns": int, "content_hash": str,
                 "doc_ids": str, "outcome": str, "reason": str, "run_id": int,
                 "updated_at": str},
                pk="path",
            )
        if "ingest_runs" not in db.table_names():
            db.table("ingest_runs").create(
                {"id": int, "started_at": str, "finished_at": str, "status": str,
                 "paths": str, "counts": str, "actor": str},
                pk="id",
            )
        if "ingest_outcomes" not in db.table_names():
            db.table("ingest_outcomes").create(
                {"id": int, "run_id": int, "path": str, "outcome": str, "reason": str,
                 "line": int, "doc_id": str},
                pk="id",
            )
            db.table("ingest_outcomes").create_index(["run_id"])
        if "admin_actions" not in db.table_names():
            db.table("admin_actions").create(
                {"id": int, "at": str, "platform": str, "user_id": str, "user_name": str,
                 "channel": str, "command": str, "args": str, "outcome": str, "detail": str},
                pk="id",
            )
        self.set_meta("schema_version", str(SCHEMA_VERSION))

    # ------------------------------------------------------------------ meta
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        rows = list(self.db.query("select value from meta where key = ?", [key]))
        return rows[0]["value"] if rows else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.table("meta").upsert({"key": key, "value": value}, pk="key")

    @property
    def generation(self) -> int:
        """Increases whenever the corpus changes; derived indexes compare against it."""
        return int(self.get_meta("generation", "0") or 0)

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """One atomic unit: everything inside commits together or not at all."""
        with self.db.atomic():
            yield self

    @contextmanager
    def bulk_writes(self, cache_mb: int = 96) -> Iterator[None]:
        """Settings for a large write (a reload), restored afterwards: a bigger page cache, and
        synchronous=NORMAL, which in WAL mode keeps every transaction atomic (a crash loses at
        most the last commit, never consistency)."""
        if str(self.path) == ":memory:":
            yield
            return
        sync = self.db.execute("PRAGMA synchronous").fetchone()[0]
        cache = self.db.execute("PRAGMA cache_size").fetchone()[0]
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute(f"PRAGMA cache_size = {-1000 * max(1, int(cache_mb))}")
        try:
            yield
        finally:
            self.db.execute(f"PRAGMA synchronous = {int(sync)}")
            self.db.execute(f"PRAGMA cache_size = {int(cache)}")

    # ------------------------------------------------------------------ ingest runs
    def start_run(self, paths: list[str], actor: str | None = None) -> int:
        with self.db.atomic():
            table = self.db.table("ingest_runs")
            table.insert(
                {"started_at": utcnow(), "status": "running", "paths": json.dumps(paths),
                 "counts": "{}", "actor": actor}
            )
            return int(table.last_pk or 0)

    def finish_run(self, run_id: int, status: str, counts: dict[str, int]) -> None:
        with self.db.atomic():
            self.db.table("ingest_runs").update(
                run_id, {"finished_at": utcnow(), "status": status, "counts": json.dumps(counts)}
            )

    def record_outcomes(self, rows: Iterable[dict[str, Any]]) -> None:
        self.db.conn.executemany(
            "insert into ingest_outcomes (run_id, path, outcome, reason, line, doc_id)"
            " values (?, ?, ?, ?, ?, ?)",
            ((r["run_id"], r["path"], r["outcome"], r.get("reason"), r.get("line"),
              r.get("doc_id")) for r in rows),
        )

    def last_run(self) -> dict[str, Any] | None:
        rows = list(self.db.query("select * from ingest_runs order by id desc limit 1"))
        if not rows:
            return None
        run = dict(rows[0])
        run["counts"] = json.loads(run["counts"] or "{}")
        run["paths"] = json.loads(run["paths"] or "[]")
        return run

    def run_outcomes(self, run_id: int) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self.db.query(
                "select path, outcome, reason, line, doc_id from ingest_outcomes"
                " where run_id = ? order by id",
                [run_id],
            )
        ]

    # ------------------------------------------------------------------ files
    def file_states(self) -> dict[str, FileState]:
        return {
            r[0]: FileState(r[0], r[1], r[2], r[3], json.loads(r[4] or "[]"), r[5], r[6])
            for r in self.db.execute(
                "select path, size, mtime_ns, content_hash, doc_ids, outcome, reason from files"
            ).fetchall()
        }

    def save_file_state(self, state: FileState, reason: str | None, run_id: int) -> None:
        self.save_file_states([(state, reason)], run_id)

    def save_file_states(self, states: list[tuple[FileState, str | None]], run_id: int) -> None:
        """Record what reload saw of each file (batched; call inside `transaction`)."""
        if not states:
            return
        now = utcnow()
        self.db.conn.executemany(
            "insert or replace into files (path, size, mtime_ns, content_hash, doc_ids, outcome,"
            " reason, run_id, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(st.path, st.size, st.mtime_ns, st.content_hash, json.dumps(st.doc_ids), st.outcome,
              reason if reason is not None else st.reason, run_id, now) for st, reason in states],
        )

    def touch_file(self, path: str, size: int, mtime_ns: int) -> None:
        self.db.execute(
            "update files set size = ?, mtime_ns = ?, reason = null where path = ?",
            [size, mtime_ns, path],
        )

    def delete_file_state(self, path: str) -> None:
        self.db.table("files").delete_where("path = ?", [path])

    # ------------------------------------------------------------------ documents
    def document_hashes(self, doc_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
        """{doc_id: (content_hash, status)} for the given ids."""
        ids = list(doc_ids)
        out: dict[str, tuple[str, str]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" for _ in chunk)
            for r in self.db.query(
                f"select id, content_hash, status from documents where id in ({marks})", chunk
            ):
                out[r["id"]] = (r["content_hash"], r["status"])
        return out

    def document_owner(self, doc_id: str) -> str | None:
        row = self.document_state(doc_id)
        return row[0] if row and row[1] == "active" else None

    def document_state(self, doc_id: str) -> tuple[str, str, str] | None:
        """(source_path, status, content_hash) of a document, or None."""
        row = self.db.execute(
            "select source_path, status, content_hash from documents where id = ?", [doc_id]
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    _DOC_COLUMNS = (
        "id", "source_path", "source_kind", "title", "author", "published", "dateline",
        "dateline_date", "wire", "outlets", "url", "content_hash", "sentence_count", "status",
        "first_ingested_at", "updated_at", "retired_at", "run_id",
    )
    _SENTENCE_COLUMNS = ("doc_id", "position", "paragraph", "kind", "text", "key")

    def put_documents(self, docs: list[dict[str, Any]],
                      sentences: Sequence[dict[str, Any] | tuple[Any, ...]]) -> None:
        """Insert or replace documents (with their sentences). Call inside `transaction`.

        A sentence is a dict or a tuple in `_SENTENCE_COLUMNS` order.

        The hot path of a reload: one prepared statement per table through `executemany`
        (parameters only, never text spliced into SQL), not a row-by-row upsert."""
        if not docs:
            return
        ids = [d["id"] for d in docs]
        now = utcnow()
        existing: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            existing.update(
                (r[0], r[1])
                for r in self.db.execute(
                    f"select id, first_ingested_at from documents where id in ({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
            )
        for d in docs:
            d["outlets"] = json.dumps(d.get("outlets") or [], ensure_ascii=False)
            d["status"] = "active"
            d["updated_at"] = now
            d["retired_at"] = None
            d["first_ingested_at"] = existing.get(d["id"]) or now
        if existing:
            self._delete_sentences([i for i in ids if i in existing])
        cols = self._DOC_COLUMNS
        self.db.conn.executemany(
            f"insert or replace into documents ({', '.join(cols)})"
            f" values ({', '.join('?' * len(cols))})",
            [tuple(d.get(c) for c in cols) for d in docs],
        )
        scols = self._SENTENCE_COLUMNS
        self.db.conn.executemany(
            f"insert into sentences ({', '.join(scols)}) values ({', '.join('?' * len(scols))})",
            [s if isinstance(s, tuple) else tuple(s[c] for c in scols) for s in sentences],
        )

    def _delete_sentences(self, doc_ids: list[str]) -> None:
        for start in range(0, len(doc_ids), 500):
            chunk = doc_ids[start : start + 500]
            self.db.table("sentences").delete_where(
                f"doc_id in ({','.join('?' * len(chunk))})", chunk
            )

    def retire_documents(self, doc_ids: list[str]) -> None:
        if not doc_ids:
            return
        self._delete_sentences(doc_ids)
        now = utcnow()
        for start in range(0, len(doc_ids), 500):
            chunk = doc_ids[start : start + 500]
            self.db.execute(
                f"update documents set status = 'retired', retired_at = ?, updated_at = ?"
                f" where id in ({','.join('?' * len(chunk))})",
                [now, now, *chunk],
            )

    def bump_generation(self) -> int:
        gen = self.generation + 1
        self.set_meta("generation", str(gen))
        return gen

    @staticmethod
    def _doc_row(r: Any) -> dict[str, Any]:
        d = dict(r)
        d["outlets"] = json.loads(d.get("outlets") or "[]")
        return d

    def documents(self, include_retired: bool = False) -> list[dict[str, Any]]:
        where = "" if include_retired else "where status = 'active'"
        return [
            self._doc_row(r)
            for r in self.db.query(f"select * from documents {where} order by id")
        ]

    def document(self, doc_id: str) -> dict[str, Any] | None:
        rows = list(self.db.query("select * from documents where id = ?", [doc_id]))
        return self._doc_row(rows[0]) if rows else None

    def documents_by_ids(self, doc_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        ids = list(dict.fromkeys(doc_ids))
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for r in self.db.query(
                f"select * from documents where id in ({','.join('?' * len(chunk))})", chunk
            ):
                out[r["id"]] = self._doc_row(r)
        return out

    def sentences(self, doc_id: str | None = None, kind: str | None = None) -> Iterator[dict[str, Any]]:
        """Sentences of active documents, in document and position order."""
        clauses, params = [], []
        if doc_id is not None:
            clauses.append("doc_id = ?")
            params.append(doc_id)
        if kind is not None:
            clauses.append("kind = ?")
            params.append(kind)
        where = f"where {' and '.join(clauses)}" if clauses else ""
        yield from (
            dict(r)
            for r in self.db.query(
                f"select id, doc_id, position, paragraph, kind, text, key from sentences {where}"
                " order by doc_id, position",
                params,
            )
        )

    def sentences_by_ids(self, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        ids = list(ids)
        out: dict[int, dict[str, Any]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for r in self.db.query(
                "select id, doc_id, position, paragraph, kind, text, key from sentences"
                f" where id in ({','.join('?' * len(chunk))})",
                chunk,
            ):
                out[r["id"]] = dict(r)
        return out

    def corpus_stats(self) -> dict[str, Any]:
        docs = next(iter(self.db.query(
            "select count(*) n, min(published) first, max(published) last from documents"
            " where status = 'active'"
        )))
        sents = next(iter(self.db.query("select count(*) n from sentences")))
        return {"documents": docs["n"], "sentences": sents["n"], "first_published": docs["first"],
                "last_published": docs["last"], "generation": self.generation}

    # ------------------------------------------------------------------ admin actions
    def record_admin_action(self, platform: str, user_id: str, user_name: str, channel: str,
                            command: str, args: str, outcome: str, detail: str = "") -> None:
        with self.db.atomic():
            self.db.table("admin_actions").insert(
                {"at": utcnow(), "platform": platform, "user_id": user_id, "user_name": user_name,
                 "channel": channel, "command": command, "args": args, "outcome": outcome,
                 "detail": detail}
            )

    def admin_actions(self, limit: int = 50) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.query(
            "select * from admin_actions order by id desc limit ?", [limit])]

    # ------------------------------------------------------------------ search (claim lookup)

    # ------------------------------------------------------------------ schedules (scheduler)
