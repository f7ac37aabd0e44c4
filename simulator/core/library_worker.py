"""Load a library in a separate process and stream each file's result back as it is ready.

The GUI runs this worker so that no Python thread shares its heap with Qt objects, and so that a
file that crashes or hangs the parser takes down only the worker: the GUI reports that file and
starts a new worker for the rest.

Protocol: the parent writes one JSON object to stdin, the files to load (those the library index
could not answer for), ``{"folders": [{"path", "label", "added"}], "files": [[folder number, path], ...]}``,
and closes it. The worker
writes frames to stdout, each a 4-byte big-endian length and a pickle of one of
``("start", path)``, ``("entry", (LibraryEntry, key))`` or ``("done", count)``, where ``key`` is the
file's stamp taken before it was read (``LibraryIndex.key``; None when it could not be taken), so the
parent can cache the entry without ever pairing old contents with a newer stamp. Only this worker's
own output is ever unpickled, by the process that started it.
"""

from __future__ import annotations

import json
import pickle
import struct
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from .library import LibraryFolder, load_playable
from .library_index import LibraryEntry, LibraryIndex

WORKER_COMMAND = "_library-worker"
_HEADER = struct.Struct(">I")


def frontline_command(*args: str) -> list[str]:
    """The program and arguments that run `frontline ARGS`, from a checkout, an install or a frozen build."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *args]
    return [sys.executable, "-m", "simulator", *args]


def worker_command() -> list[str]:
    """The program and arguments that start a worker."""
    return frontline_command(WORKER_COMMAND)


def encode_request(files: Sequence[tuple[LibraryFolder, Path]]) -> bytes:
    """The files to load, each with its folder (folders are sent once and referred to by number)."""
    folders: dict[LibraryFolder, int] = {}
    numbered = [[folders.setdefault(folder, len(folders)), str(path)] for folder, path in files]
    request = {
        "folders": [{"path": str(f.path), "label": f.label, "added": f.added} for f in folders],
        "files": numbered,
    }
    return json.dumps(request).encode("utf-8")


def decode_request(data: bytes) -> list[tuple[LibraryFolder, Path]]:
    request = json.loads(data.decode("utf-8"))
    folders = [LibraryFolder(Path(f["path"]), f.get("label") or "", f.get("added")) for f in request["folders"]]
    return [(folders[number], Path(path)) for number, path in request["files"]]


def encode_frame(message: tuple[str, Any]) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(payload)) + payload


class FrameReader:
    """Splits the worker's byte stream back into messages, however the bytes arrive."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> Iterator[tuple[str, Any]]:
        self._buffer.extend(data)
        while len(self._buffer) >= _HEADER.size:
            (length,) = _HEADER.unpack_from(self._buffer)
            if len(self._buffer) < _HEADER.size + length:
                return
            payload = bytes(self._buffer[_HEADER.size : _HEADER.size + length])
            del self._buffer[: _HEADER.size + length]
            message = pickle.loads(payload)  # noqa: S301 - our own child's output, see the module docstring
            yield message


def run_worker(stdin: BinaryIO, stdout: BinaryIO) -> int:
    files = decode_request(stdin.read())
    stamps = LibraryIndex(None)  # only for keys: the parent owns the index file
    count = 0
    for folder, path in files:
        stdout.write(encode_frame(("start", str(path))))
        stdout.flush()
        key = stamps.key(path)
        entry = LibraryEntry.from_playable(load_playable(path, folder))
        stdout.write(encode_frame(("entry", (entry, key))))
        stdout.flush()
        count += 1
    stdout.write(encode_frame(("done", count)))
    stdout.flush()
    return 0


def main() -> int:
    frames = sys.stdout.buffer
    # Anything else printed while loading goes to stderr, so it cannot corrupt the frames.
    sys.stdout = sys.stderr
    return run_worker(sys.stdin.buffer, frames)
