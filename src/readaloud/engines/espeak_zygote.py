"""The espeak-ng helper process: `python -m readaloud.engines.espeak_zygote`.

libespeak-ng keeps state from one synthesis to the next (the same text spoken twice in one process gives
different samples, and espeak_Terminate/espeak_Initialize do not reset it), yet a cached clip must be a
pure function of the engine and the text. So this process loads and initialises the library once and never
speaks itself: for each request it forks a child, which starts from exactly the state just after
initialisation, speaks, answers over a pipe and exits. The helper is single-threaded, so forking it is safe
(the main readaloud process, with its worker threads, never forks).

Protocol, over stdin/stdout: every message is a JSON header and a binary payload, each preceded by its
length (4 bytes, big-endian). A helper speaks with one voice at one rate, given as its arguments and set
before any fork (loading a voice takes longer than speaking a sentence). On start it sends
{"sample_rate", "version"} or {"error": "unavailable" | "voice", "message"}. A request is {"text"}; the
answer is {"words": [[character offset, sample], ...]} with the PCM (s16le mono) as payload, or
{"error": "synthesis", "message"}. EOF on stdin ends the helper.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import signal
import struct
import sys
from typing import IO

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_PARAM_RATE = 1
_EE_OK = 0
_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1
_LENGTHS = struct.Struct(">II")


class _Event(ctypes.Structure):
    """espeak_EVENT from speak_lib.h."""

    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
                ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_char * 8)]


_SynthCallback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


# --- framing, shared with the client in espeak.py ---------------------------------------------------------


def frame(header: dict, payload: bytes = b"") -> bytes:
    head = json.dumps(header).encode()
    return _LENGTHS.pack(len(head), len(payload)) + head + payload


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    parts = []
    while size:
        part = stream.read(size)
        if not part:
            return None
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def receive(stream: IO[bytes]) -> tuple[dict, bytes] | None:
    """The next message, or None at EOF (or a message cut short by it)."""
    lengths = _read_exactly(stream, _LENGTHS.size)
    if lengths is None:
        return None
    head_size, payload_size = _LENGTHS.unpack(lengths)
    head = _read_exactly(stream, head_size)
    payload = _read_exactly(stream, payload_size) if payload_size else b""
    if head is None or payload is None:
        return None
    return json.loads(head), payload


# --- the helper itself -----------------------------------------------------------------------------------


class _Library:
    def __init__(self) -> None:
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        data_path = espeakng_loader.get_data_path()
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.lib.espeak_Info.restype = ctypes.c_char_p
        self.sample_rate = self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, str(data_path).encode(), 0)
        if self.sample_rate <= 0:
            raise RuntimeError(f"espeak-ng failed to initialise with data at {data_path}")
        self.version = (self.lib.espeak_Info(None) or b"?").decode()
        # espeak-ng seeds its noise (the breath of variants such as vi+f3) from the clock at start-up, so two
        # helpers spoke those voices differently; a fixed seed keeps each clip a function of its text. The
        # plain voices draw no noise: their audio is unchanged.
        set_seed = getattr(self.lib, "espeak_ng_SetRandSeed", None)  # in espeak-ng 1.52 and later
        if set_seed is not None:
            set_seed.argtypes = [ctypes.c_long]
            set_seed(0)
        self.pcm = bytearray()
        self.words: list[tuple[int, int]] = []
        self._callback = _SynthCallback(self._collect)  # kept: ctypes frees a collected trampoline
        self.lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav, count, events) -> int:
        if count > 0:
            self.pcm += ctypes.string_at(wav, count * 2)
        index = 0
        while events[index].type != _EVENT_LIST_TERMINATED:
            event = events[index]
            # text_position counts characters from 1. A word espeak-ng splits (digits) repeats its position:
            # the first event is where the word starts.
            if event.type == _EVENT_WORD and (not self.words or self.words[-1][0] < event.text_position - 1):
                self.words.append((event.text_position - 1, event.sample))
            index += 1
        return 0  # 0 = keep going

    def use(self, voice: str, rate: int) -> bool:
        if self.lib.espeak_SetVoiceByName(voice.encode()) != _EE_OK:
            return False
        self.lib.espeak_SetParameter(_PARAM_RATE, rate, 0)
        return True

    def answer(self, request: dict) -> tuple[dict, bytes]:
        encoded = str(request["text"]).encode("utf-8")
        status = self.lib.espeak_Synth(ctypes.c_char_p(encoded), len(encoded) + 1, 0, _POS_CHARACTER, 0,
                                       _CHARS_UTF8, None, None)
        self.lib.espeak_Synchronize()
        if status != _EE_OK:
            return {"error": "synthesis", "message": f"espeak-ng failed (status {status})"}, b""
        return {"words": self.words}, bytes(self.pcm)


def _speak_in_child(library: _Library, request: dict) -> bytes:
    """Fork, let the child answer through a pipe, and return its whole answer (framed), or a framed error
    when the child died without one."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: speak from the pristine state, answer, and leave without any cleanup
        code = 0
        try:
            os.close(read_end)
            header, payload = library.answer(request)
            write_all(write_end, frame(header, payload))
        except BaseException:  # noqa: BLE001 - the helper reports the death below
            code = 1
        os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        reply = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        cause = f"was killed by {signal.Signals(os.WTERMSIG(status)).name}"
    elif os.waitstatus_to_exitcode(status) != 0:
        cause = f"exited with code {os.waitstatus_to_exitcode(status)}"
    else:
        return reply
    return frame({"error": "synthesis", "message": f"espeak-ng {cause}"})


def main(argv: list[str]) -> None:
    voice, rate = argv[0], int(argv[1])
    # Ctrl-C reaches the whole process group; readaloud itself handles it and then closes this helper's
    # stdin, which ends it. A traceback of its own would only add noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    requests, out = sys.stdin.buffer, sys.stdout.fileno()
    try:
        library = _Library()
    except Exception as exc:  # noqa: BLE001 - any failure to load is reported to readaloud, in one line
        write_all(out, frame({"error": "unavailable",
                              "message": f"espeak-ng could not be loaded from espeakng-loader: {exc}"}))
        return
    if not library.use(voice, rate):
        write_all(out, frame({"error": "voice", "message": f"espeak-ng has no voice {voice!r}"}))
        return
    write_all(out, frame({"sample_rate": library.sample_rate, "version": library.version}))
    # Nothing the helper holds is ever freed: kept out of the collector, a child copies fewer pages on write.
    gc.freeze()
    gc.disable()
    while (message := receive(requests)) is not None:
        write_all(out, _speak_in_child(library, message[0]))


if __name__ == "__main__":
    main(sys.argv[1:])
