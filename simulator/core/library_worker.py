"""Load a library in a separate process and stream each file's result back as it is ready.

The GUI runs this worker so that no Python thread shares its heap with Qt objects, and so that a
file that crashes or hangs the parser takes down only the worker: the GUI reports that file and
starts a new worker for the rest.

Protocol: the parent writes one JSON object to stdin,
``{"folders": [{"path", "label", "added"}], "skip": [path, ...]}``, and closes it. The worker
writes frames to stdout, each a 4-byte big-endian length and a pickle of one of
``("start", path)``, ``("entry", PlayableScenario)`` or ``("done", count)``. Only this worker's
own output is ever unpickled, by the process that started it.
"""

from __future__ import annotations

import json
import pickle
import struct
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from .library import LibraryFolder, library_files, load_playable, missing_folder

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


def encode_request(folders: list[LibraryFolder], skip: list[Path] | None = None) -> bytes:
    request = {
        "folders": [{"path": str(f.path), "label": f.label, "added": f.added} for f in folders],
        "skip": [str(p) for p in skip or []],
    }
    return json.dumps(request).encode("utf-8")


def decode_request(data: bytes) -> tuple[list[LibraryFolder], set[Path]]:
    request = json.loads(data.decode("utf-8"))
    folders = [LibraryFolder(Path(f["path"]), f.get("label") or "", f.get("added")) for f in request["folders"]]
    return folders, {Path(p) for p in request.get("skip", [])}


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
    folders, skip = decode_request(stdin.read())
    count = 0
    for folder, path in library_files(folders):
        if path is None:
            stdout.write(encode_frame(("entry", missing_folder(folder))))
        elif path not in skip:
            stdout.write(encode_frame(("start", str(path))))
            stdout.flush()
            stdout.write(encode_frame(("entry", load_playable(path, folder))))
        else:
            continue
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
