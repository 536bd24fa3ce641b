"""espeak-ng, from the `espeakng-loader` wheel (library and voice data inside), spoken in helper processes.

The library keeps state from one synthesis to the next, so the same text spoken after different texts gave
different audio, and a cached clip depended on what happened to be spoken before it. Each clip is therefore
spoken by a fresh fork of a helper that has only loaded the library and set the voice and rate (see
espeak_zygote): a clip is a pure function of (voice, rate, text). Helpers are shared by the whole process,
per voice and rate; one request runs in each at a time.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from queue import Empty, SimpleQueue
from typing import IO, ClassVar

from readaloud.config import ESPEAK_RATES, VOICES, EngineSettings
from readaloud.engines.espeak_zygote import frame, receive
from readaloud.errors import ConfigError, EngineUnavailable, SynthesisError
from readaloud.model import Audio, Speech


class _Stuck(SynthesisError):
    """A chunk espeak-ng did not finish in time: not tried again (it would only wait as long again)."""


# The longest espeak-ng may take over one chunk (it needs milliseconds): past it the helper is stuck.
CLIP_SECONDS_LIMIT = 60.0


def _pipes(process: subprocess.Popen[bytes]) -> tuple[IO[bytes], IO[bytes], IO[bytes]]:
    """stdin, stdout and stderr of a process started with a pipe for each (so none is None)."""
    stdin, stdout, stderr = process.stdin, process.stdout, process.stderr
    if stdin is None or stdout is None or stderr is None:
        raise EngineUnavailable("espeak-ng helper started without its pipes")
    return stdin, stdout, stderr


class _Helper:
    """One helper process (`python -m readaloud.engines.espeak_zygote`) and its pipes."""

    def __init__(self, voice: str, rate: int) -> None:
        package_root = str(Path(__file__).resolve().parents[2])  # the folder holding `readaloud`
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root,
                                                                          os.environ.get("PYTHONPATH")]))}
        try:
            # stderr is not inherited (readaloud's own stderr is one line per problem): the helper reports
            # through the protocol, and its stderr is read only if it dies before its first answer.
            # -P and cwd "/": `-m` would otherwise put the current folder first on sys.path, and a
            # readaloud.py or espeakng_loader.py planted where cron or the CMS runs us would be imported.
            self.process = subprocess.Popen([sys.executable, "-P", "-m", "readaloud.engines.espeak_zygote", voice,
                                             str(rate)],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE, env=env, cwd="/")
        except OSError as exc:
            raise EngineUnavailable(f"espeak-ng helper could not be started: {exc}") from None
        self._in, self._out, self._err = _pipes(self.process)
        hello = receive(self._out)
        if hello is None:
            ending = self._ending()
            said = [line for line in self._err.read().decode(errors="replace").splitlines() if line.strip()]
            self.close()
            raise EngineUnavailable(f"espeak-ng helper exited at start ({ending})"
                                    + (f": {said[-1].strip()}" if said else ""))
        # Nothing more is read from it; anything written there later is dropped (EPIPE, which it ignores).
        self._err.close()
        if "error" in hello[0]:
            self.close()
            if hello[0]["error"] == "voice":
                raise ConfigError(f"espeak-ng has no voice {voice!r} (Vietnamese voices: {', '.join(VOICES)}; "
                                  "each also with a variant, e.g. vi+f3)")
            raise EngineUnavailable(hello[0]["message"])
        self.sample_rate = int(hello[0]["sample_rate"])
        self.version = str(hello[0]["version"])

    def _ending(self) -> str:
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "still running"
        return f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def speak(self, text: str) -> tuple[dict, bytes]:
        # espeak-ng speaks a chunk in milliseconds; one that takes minutes is stuck (or stopped), and would
        # hold a publish job or a nightly sync for ever: the watchdog kills the helper, which ends the read.
        timed_out = threading.Event()

        def stop() -> None:
            timed_out.set()
            self.process.kill()

        watchdog = threading.Timer(CLIP_SECONDS_LIMIT, stop)
        watchdog.daemon = True
        watchdog.start()
        try:
            self._in.write(frame({"text": text}))
            self._in.flush()
        except (BrokenPipeError, ValueError):
            reply = None
        else:
            reply = receive(self._out)
        finally:
            watchdog.cancel()
        if reply is None:
            if timed_out.is_set():
                raise _Stuck(f"espeak-ng took longer than {CLIP_SECONDS_LIMIT:g} s on one chunk and was "
                                     f"stopped: {text[:60]}")
            raise SynthesisError(f"the espeak-ng helper process ended ({self._ending()}) while speaking: "
                                 f"{text[:60]}")
        return reply

    def close(self) -> None:
        with contextlib.suppress(OSError):  # a helper already gone cannot take the last flush
            self._in.close()  # EOF: the helper's loop ends
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._out.close()


class _Helpers:
    """Helpers for one voice and rate: started on demand, at most one per core (two at least), each
    serving one request at a time."""

    def __init__(self, voice: str, rate: int) -> None:
        self.voice, self.rate = voice, rate
        self.most = max(2, os.cpu_count() or 1)
        self._idle: SimpleQueue[_Helper] = SimpleQueue()
        self._all: list[_Helper] = []
        self._starting = 0
        self._lock = threading.Lock()
        first = _Helper(voice, rate)  # at once: a voice that does not exist fails here
        self._all.append(first)
        self.sample_rate, self.version = first.sample_rate, first.version
        self._idle.put(first)

    def _take(self) -> _Helper:
        while True:
            with self._lock:
                start = self._idle.empty() and len(self._all) + self._starting < self.most
                self._starting += start
            if start:
                try:
                    helper = _Helper(self.voice, self.rate)
                    with self._lock:
                        self._all.append(helper)
                    return helper
                finally:
                    with self._lock:
                        self._starting -= 1
            try:
                helper = self._idle.get(timeout=0.2)  # short: a helper may be retired, not given back
            except Empty:
                continue
            if helper.alive():
                return helper
            self._retire(helper)  # ended between requests (killed from outside): another is started

    def _retire(self, helper: _Helper) -> None:
        helper.close()
        with self._lock:
            if helper in self._all:
                self._all.remove(helper)

    def speak(self, text: str) -> tuple[dict, bytes]:
        for attempt in (1, 2):
            helper = self._take()
            try:
                return helper.speak(text)
            except SynthesisError as exc:
                # A helper killed from outside just before this request can still look alive to _take;
                # one fresh helper tries again. A text that kills helpers fails on the second.
                if helper.alive() or attempt == 2 or isinstance(exc, _Stuck):
                    raise
            finally:
                if helper.alive():
                    self._idle.put(helper)
                else:
                    self._retire(helper)
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        with self._lock:
            helpers, self._all = self._all, []
        for helper in helpers:
            helper.close()


_helpers: dict[tuple[str, int], _Helpers] = {}
_helpers_lock = threading.Lock()


def _load(voice: str, rate: int) -> _Helpers:
    with _helpers_lock:
        if (voice, rate) not in _helpers:
            _helpers[voice, rate] = _Helpers(voice, rate)
        return _helpers[voice, rate]


@atexit.register
def _close_all() -> None:
    with _helpers_lock:
        for helpers in _helpers.values():
            helpers.close()
        _helpers.clear()


class EspeakEngine:
    name: ClassVar[str] = "espeak"
    max_chars = 300
    # Each clip is its own process, so two are spoken at once (one helper each). Measured on 2 cores, 200
    # sentences: ~8.5 ms a clip against ~13 ms one at a time (and ~11 ms in-process, as before).
    concurrency = 2

    def __init__(self, voice: str = EngineSettings.voice, rate: int = EngineSettings.rate):
        low, high = ESPEAK_RATES
        if not low <= rate <= high:
            raise ConfigError(f"espeak rate must be between {low} and {high} words per minute, got {rate}")
        self.voice = voice
        self.rate = rate
        # Started now, before any work, so a voice that does not exist fails the build at once.
        self._helpers = _load(voice, rate)

    @classmethod
    def from_settings(cls, settings: EngineSettings) -> EspeakEngine:
        return cls(voice=settings.voice, rate=settings.rate)

    def identity(self) -> str:
        return f"espeak-ng {self._helpers.version} voice={self.voice} rate={self.rate}"

    def synthesize(self, text: str) -> Speech:
        header, pcm = self._helpers.speak(text)
        if "error" in header:
            raise SynthesisError(f"{header.get('message', 'espeak-ng failed')} on: {text[:60]}")
        if not pcm:
            raise SynthesisError(f"espeak-ng produced no audio for: {text[:60]}")
        words = tuple((int(position), int(sample)) for position, sample in header.get("words", ()))
        return Speech(Audio(pcm, self._helpers.sample_rate), pcm, "pcm", words=words)
