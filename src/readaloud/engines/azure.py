"""Azure's Speech service through Microsoft's official Speech SDK (azure-cognitiveservices-speech): the
vi-VN neural voices (HoaiMy, NamMinh) under a service agreement, paid for with a Speech resource's key.

One SSML request per chunk, on a WebSocket the SDK keeps open between requests; the service streams MP3
(24 kHz, 48 kbit/s mono, as edge's) and a word-boundary event per word, whose times are kept as
Speech.words, so captions and the player's highlight start where each word is spoken.

What the SDK must be told, each found against a fake of the service (tests/helpers/azure.py):
- it retries by itself, and waits 40 s for a first chunk that never comes: readaloud's runner retries
  (under the rate cap every online engine shares), so the SDK's retries are off and its first-chunk
  wait is [azure] timeout_s. A stream that pauses mid-answer it breaks off by itself
  (a 3 s gap), and a cut connection it reports, never returning half an answer as whole;
- word-boundary events can still be arriving after the result is in: wait for the completion event;
- the output format is set explicitly (by default it asks for raw PCM).
A synthesizer serves one request at a time, so `concurrency` of them are kept; one whose request failed
is dropped, so a broken or stalled connection is never used again.

The newsroom lexicon needs no SSML here: the text normaliser has already put each entry's reading in
the text the engine is given, so a <sub alias> would have nothing left to replace.
"""

from __future__ import annotations

import re
import threading
from typing import Any, ClassVar
from xml.sax.saxutils import escape, quoteattr

from readaloud.config import AzureSettings
from readaloud.engines.base import decoded_mp3, word_times
from readaloud.errors import EngineMisconfigured, EngineUnavailable, SynthesisError, TransientEngineError
from readaloud.model import Speech

SAMPLE_RATE = 24000  # the MP3 asked for: audio-24khz-48kbitrate-mono-mp3
INSTALL = "install the azure extra: pip install -e '.[azure]' in readaloud's folder"
# Characters XML 1.0 does not allow (the service would refuse the SSML), and lone surrogates (not UTF-8).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BOUNDARIES_WAIT_S = 5.0  # after the result: the last word boundaries come within milliseconds


class Unreachable(TransientEngineError):
    """The service could not be reached at all (DNS, refused, no route)."""


def _sdk() -> Any:
    import azure.cognitiveservices.speech as speechsdk

    return speechsdk


def unavailable(settings: AzureSettings) -> str | None:
    """Why the engine cannot run with these settings on this machine, in one line with the fix; None if it can."""
    try:
        _sdk()
    except (ImportError, OSError) as exc:  # OSError: the SDK's native library does not load here
        return f"the Azure Speech SDK cannot be loaded ({exc.__class__.__name__}): {INSTALL}"
    if not settings.key:
        return "no Azure Speech key: set READALOUD_AZURE_KEY (or key under [azure])"
    if not settings.region and not settings.host:
        return ("no Azure region: set region under [azure] (or READALOUD_AZURE_REGION) to the Speech "
                "resource's (e.g. southeastasia)")
    return None


def ssml(text: str, voice: str) -> str:
    """The request for `text` in `voice`: the text escaped (& < > " '), so whatever an article says stays
    words to speak, never markup; the language is the voice's own (vi-VN for vi-VN-HoaiMyNeural)."""
    language = voice.rsplit("-", 1)[0]
    spoken = escape(_NOT_XML.sub(" ", text), {'"': "&quot;", "'": "&apos;"})
    return (f"<speak version='1.0' xmlns='http://www.w3.org/2001/10/synthesis' xml:lang={quoteattr(language)}>"
            f"<voice name={quoteattr(voice)}>{spoken}</voice></speak>")


def _brief(details: str) -> str:
    """The SDK's error text as one short line: its first line, without the SDK's state report."""
    lines = details.strip().splitlines()
    return lines[0].split(" USP state:", 1)[0][:200] if lines else "no details"


class _Session:
    """One synthesizer (one WebSocket) and what its events report, used by one thread at a time."""

    def __init__(self, speechsdk: Any, config: Any):
        self.synthesizer = speechsdk.SpeechSynthesizer(speech_config=config, audio_config=None)
        self.boundaries: list[tuple[str, int]] = []  # (word, start in 100 ns ticks)
        self.done = threading.Event()
        # The handlers hold the list and the event, not the session, so no cycle keeps a dropped one alive.
        boundaries, done, word = self.boundaries, self.done, speechsdk.SpeechSynthesisBoundaryType.Word

        def on_boundary(event: Any) -> None:
            if event.boundary_type == word:
                boundaries.append((event.text, int(event.audio_offset)))

        self.synthesizer.synthesis_word_boundary.connect(on_boundary)
        self.synthesizer.synthesis_completed.connect(lambda _event: done.set())
        self.synthesizer.synthesis_canceled.connect(lambda _event: done.set())

    def speak(self, request: str) -> tuple[Any, bool]:
        """The SDK's result, and whether every event of the request had arrived."""
        self.boundaries.clear()
        self.done.clear()
        result = self.synthesizer.speak_ssml_async(request).get()
        return result, self.done.wait(_BOUNDARIES_WAIT_S)

    def close(self) -> None:
        for signal in (self.synthesizer.synthesis_word_boundary, self.synthesizer.synthesis_completed,
                       self.synthesizer.synthesis_canceled):
            signal.disconnect_all()


class AzureEngine:
    name: ClassVar[str] = "azure"
    # Azure takes up to 64 KB of SSML and 10 minutes of audio a request; readaloud's clip cache keeps clips
    # of up to 120 s, and 1000 characters of Vietnamese are about a minute at the neural voices' pace.
    max_chars = 1000

    def __init__(self, settings: AzureSettings | None = None):
        settings = settings or AzureSettings()
        problem = unavailable(settings)
        if problem is not None:
            try:
                _sdk()
            except (ImportError, OSError):
                raise EngineUnavailable(problem) from None
            raise EngineMisconfigured(problem)  # no key or no region: the settings' fault, not the machine's
        self._sdk = _sdk()
        self.version = self._sdk.__version__
        self.voice = settings.voice
        self.concurrency = max(1, settings.concurrency)
        self._target = settings.host or f"{settings.region}.tts.speech.microsoft.com"
        self._names = "host" if settings.host else "region"  # the setting that says where the service is
        self._config = self._speech_config(settings)
        self._idle: list[_Session] = []
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: AzureSettings) -> AzureEngine:
        return cls(settings)

    def identity(self) -> str:
        return f"azure-speech {self.version} voice={self.voice}"  # never the key, region or host

    def _speech_config(self, settings: AzureSettings) -> Any:
        sdk = self._sdk
        if settings.host:
            config = sdk.SpeechConfig(subscription=settings.key, host=settings.host.rstrip("/"))
        else:
            config = sdk.SpeechConfig(subscription=settings.key, region=settings.region)
        config.set_speech_synthesis_output_format(sdk.SpeechSynthesisOutputFormat.Audio24Khz48KBitRateMonoMp3)
        # Property names the SDK (1.53) reads but does not list in PropertyId.
        config.set_property_by_name("SpeechSynthesis_MaxRetryTimes", "0")
        config.set_property_by_name("SpeechSynthesis_FirstChunkTimeoutMs", str(round(settings.timeout_s * 1000)))
        config.set_property(sdk.PropertyId.SpeechServiceResponse_RequestPunctuationBoundary, "false")
        return config

    def synthesize(self, text: str) -> Speech:
        data, boundaries = self._exchange(ssml(text, self.voice))
        clip = decoded_mp3(data, SAMPLE_RATE, "Azure Speech")
        return Speech(clip, data, "mp3", word_times(text, boundaries, SAMPLE_RATE, clip.samples))

    def _exchange(self, request: str) -> tuple[bytes, list[tuple[str, int]]]:
        """The MP3 bytes and word boundaries of one request, on an idle synthesizer (a new one if none is);
        a failed request's synthesizer is dropped, not reused."""
        with self._lock:
            session = self._idle.pop() if self._idle else None
        if session is None:
            session = _Session(self._sdk, self._config)
        try:
            result, whole = session.speak(request)
            if result.reason != self._sdk.ResultReason.SynthesizingAudioCompleted:
                raise self._failure(result.cancellation_details)
            if not whole:
                raise TransientEngineError("Azure Speech's word boundaries did not all arrive")
            found = (bytes(result.audio_data), list(session.boundaries))
        except BaseException:
            session.close()
            raise
        with self._lock:
            self._idle.append(session)
        return found

    def _failure(self, details: Any) -> Exception:
        """The SDK's cancellation as the error the runner acts on."""
        code = details.error_code.name
        said = details.error_details or ""
        brief = _brief(said)
        status = re.search(r"\((\d{3})\)", said)
        shown = f" ({status.group(1)})" if status else ""
        if code in ("AuthenticationFailure", "Forbidden"):
            return EngineUnavailable(f"Azure Speech refused the key{shown}: check READALOUD_AZURE_KEY (or key "
                                     f"under [azure]) and that [azure] {self._names} is the Speech resource's")
        if code == "TooManyRequests":  # the SDK does not pass on the service's Retry-After
            return TransientEngineError("Azure Speech is rate limiting (429 Too Many Requests); a free (F0) "
                                        "resource takes 20 requests a minute: [azure] max_requests_per_s = 0.3")
        if code == "ConnectionFailure" and "WS_OPEN_ERROR" in said:
            reason = re.search(r"\[[A-Z]+\] ([^-(]+)", said)
            why = reason.group(1).strip() if reason else brief
            return Unreachable(f"cannot reach Azure Speech at {self._target} ({why}): check [azure] {self._names}")
        if code == "ConnectionFailure":
            return TransientEngineError(f"the connection to Azure Speech broke off: {brief}")
        if code in ("ServiceError", "ServiceUnavailable", "ServiceTimeout", "ServiceRedirectTemporary"):
            return TransientEngineError(f"Azure Speech failed{shown}: {brief}")
        if code == "BadRequest":
            return SynthesisError(f"Azure Speech refused the request: {brief} (is [azure] voice one it has?)")
        return SynthesisError(f"Azure Speech failed ({code}): {brief}")
