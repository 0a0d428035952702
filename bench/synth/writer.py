"""Writing a drop: the posting files (csv, csv.gz, parquet; ragged lines in CSV) and the
truth files beside them, with deterministic bytes."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from bench.synth.config import SynthResult
from bench.synth.descriptions import write_truth


def _csv_bytes(table: pa.Table, ragged: np.ndarray) -> bytes:
    """CSV text of the table, with the rows at ``ragged`` replaced by lines of too few
    fields (what a truncated export or a stray delimiter produces)."""
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(batch_size=1 << 16))
    data = buffer.getvalue()
    if not len(ragged):
        return data
    lines = data.split(b"\n")  # line 0 is the header; no value holds a newline
    sid = table.column("source_id")
    title = table.column("title_raw")
    emp = table.column("employer_raw")
    for pos in ragged.tolist():
        fields = [sid[pos].as_py(), title[pos].as_py(), emp[pos].as_py()]
        lines[pos + 1] = ",".join('"' + f.replace('"', '""') + '"' for f in fields).encode()
    return b"\n".join(lines)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_synth(
    result: SynthResult,
    out_dir: Path | str,
    formats: Sequence[str] = ("csv.gz", "parquet"),
    stem: str = "postings",
    gzip_level: int = 5,
) -> dict[str, Path]:
    """Write the drop and its truth into ``out_dir``; returns {name: path}. Files:
    ``<stem>.csv.gz`` / ``<stem>.parquet`` (same rows, same order), ``truth_rows.parquet``,
    ``truth_monthly.csv``, ``truth_yoy.csv``, ``truth.json``, and with descriptions
    ``<stem>.truth.csv`` (the planted facts per source_id, the format of
    data/samples/truth; malformed rows are not postings and are not in it). Bytes are deterministic (gzip
    mtime 0, no timestamps in the Parquet metadata)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for fmt in formats:
        if fmt in ("csv.gz", "csv"):
            path = out / f"{stem}.{fmt}"
            data = _csv_bytes(result.table, result.ragged)
            if fmt == "csv":
                path.write_bytes(data)
            else:
                with (
                    open(path, "wb") as raw,
                    gzip.GzipFile(
                        fileobj=raw, mode="wb", mtime=0, filename="", compresslevel=gzip_level
                    ) as gz,
                ):
                    gz.write(data)
            paths[fmt] = path
        elif fmt == "parquet":
            path = out / f"{stem}.parquet"
            pq.write_table(result.table, path, compression="zstd", row_group_size=1 << 18)
            paths[fmt] = path
        else:
            raise ValueError(f"unknown format {fmt!r} (csv, csv.gz, parquet)")
    if result.text_truth is not None:
        paths["truth_text"] = write_truth(out / f"{stem}.truth.csv", result.text_truth)
    paths["truth_rows"] = out / "truth_rows.parquet"
    pq.write_table(
        pa.Table.from_pandas(result.truth_rows, preserve_index=False),
        paths["truth_rows"],
        compression="zstd",
    )
    paths["truth_monthly"] = out / "truth_monthly.csv"
    result.truth_monthly.to_csv(paths["truth_monthly"], index=False, lineterminator="\n")
    paths["truth_yoy"] = out / "truth_yoy.csv"
    result.truth_yoy.to_csv(
        paths["truth_yoy"], index=False, lineterminator="\n", float_format="%.4f"
    )
    summary = dict(result.summary)
    summary["files"] = {
        name: {"path": p.name, "sha256": _sha256(p)}
        for name, p in paths.items()
        if name in ("csv", "csv.gz", "parquet")
    }
    paths["truth"] = out / "truth.json"
    paths["truth"].write_text(json.dumps(summary, indent=2, default=str) + "\n", encoding="utf-8")
    return paths
