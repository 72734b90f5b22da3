"""Pagefind's service mode, spoken directly: the interface its Python and Node packages use.

``pagefind --service`` reads requests from its stdin and writes answers to its stdout, each a
JSON object encoded in base64 and followed by a comma; an answer carries the ``message_id`` of
its request, and answers may come in any order (Pagefind indexes files on several threads).
A thread reads the answers as they come, so that many requests can be sent at once without
either side's pipe filling up. Only the standard library: this runs in the search child
(write/search.py), which should start quickly.
"""

from __future__ import annotations

import base64
import contextlib
import json
import subprocess
import threading
from collections.abc import Callable, Iterable
from typing import Any

Payload = dict[str, Any]


class PagefindError(Exception):
    """Pagefind refused a request or stopped: the message is what it said, ``status`` its exit
    status if it stopped."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class Service:
    """One ``pagefind --service`` process, for as long as the ``with`` lasts."""

    def __init__(self, command: list[str], preexec_fn: Callable[[], None] | None = None):
        self.command = [*command, "--service"]
        self.preexec_fn = preexec_fn
        self._sent = 0
        self._answers: dict[int, Payload] = {}
        self._ended = False
        self._arrived = threading.Condition()
        self.said = b""  # what Pagefind wrote that was not an answer (a failing Pagefind's words)

    def __enter__(self) -> Service:
        self.process = subprocess.Popen(
            self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, preexec_fn=self.preexec_fn
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.process.stdin is not None
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join()

    def send(self, payload: Payload) -> int:
        """Send a request; its message id (``answer`` waits for its answer)."""
        self._sent += 1
        message = json.dumps({"message_id": self._sent, "payload": payload}, ensure_ascii=False)
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
            self.process.stdin.flush()
        except OSError as exc:
            raise self._stopped() from exc
        return self._sent

    def answer(self, message_id: int) -> Payload:
        """The answer to a request sent; a refusal raised."""
        with self._arrived:
            self._arrived.wait_for(lambda: message_id in self._answers or self._ended)
            if message_id not in self._answers:
                raise self._stopped()
            payload = self._answers.pop(message_id)
        if payload.get("type") == "Error":
            raise PagefindError(str(payload.get("message")))
        return payload

    def call(self, payload: Payload) -> Payload:
        return self.answer(self.send(payload))

    def call_all(self, payloads: Iterable[Payload]) -> list[Payload]:
        """Send every request, then wait for every answer (Pagefind works on them meanwhile)."""
        return [self.answer(message_id) for message_id in [self.send(payload) for payload in payloads]]

    def _stopped(self) -> PagefindError:
        """Pagefind ended before it answered: what it said, and its exit status."""
        self._reader.join()
        status = self.process.wait()
        said = self.said.decode("utf-8", "replace").strip()
        return PagefindError(said or f"Pagefind 意外退出（{status}）", status)

    def _read(self) -> None:
        """In a thread: each answer as it comes, kept under its message id until asked for."""
        assert self.process.stdout is not None
        pending = b""
        try:
            while chunk := self.process.stdout.read1(1 << 16):
                pending += chunk
                *answers, pending = pending.split(b",")
                if not answers:
                    continue
                decoded = [answer for piece in answers if (answer := self._decoded(piece)) is not None]
                with self._arrived:
                    for answer in decoded:
                        self._answers[_message_id(answer)] = answer.get("payload") or {}
                    self._arrived.notify_all()
        finally:
            self.said += pending
            with self._arrived:
                self._ended = True
                self._arrived.notify_all()

    def _decoded(self, piece: bytes) -> dict | None:
        """An answer, or None for anything else Pagefind wrote (kept in ``said``)."""
        try:
            answer = json.loads(base64.b64decode(piece, validate=True))
        except ValueError:  # binascii.Error and JSONDecodeError are ValueErrors
            answer = None
        if not isinstance(answer, dict):
            self.said += piece + b","
            return None
        return answer


def _message_id(answer: dict) -> int:
    """An answer's request: its message id, or for a request Pagefind could not read, the id
    inside the original message it sends back."""
    if answer.get("message_id") is not None:
        return int(answer["message_id"])
    original = (answer.get("payload") or {}).get("original_message")
    try:
        return int(json.loads(original)["message_id"])
    except (TypeError, ValueError, KeyError):
        return -1
