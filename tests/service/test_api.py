"""The HTTP API end to end, embedded: one real `readaloud serve` (uvicorn on a loopback port) for the module,
real requests with httpx, and the published files checked as a listener's player would get them."""

from __future__ import annotations

import json
import socket
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from mutagen.mp3 import MP3
from prometheus_client.parser import text_string_to_metric_families

from tests.helpers.service import EXE, TOKEN, Serve, clean_env, decode_errors, free_port, write_config

LIMIT = 20_000  # [service] max_request_bytes for this module: every article here is far smaller

BUS = ("Xe buýt điện về phố cổ\n\n"
       "Từ thứ hai tuần sau, ba tuyến xe buýt điện sẽ chạy qua khu phố cổ mười lăm phút một chuyến.\n\n"
       "Hành khách trả tiền vé bằng thẻ hoặc bằng điện thoại.\n")
RICE = ("---\ntitle: Lúa chín trên ruộng bậc thang\n---\n\n"
        "Những thửa ruộng bậc thang ở Tây Bắc đã chuyển sang màu vàng óng.\n\n"
        "## Du khách\n\nNhiều đoàn khách lên ngắm cảnh vào cuối tuần.\n")
LIBRARY = ("Thư viện mới cho học sinh vùng cao\n\n"
           "Một thư viện nhỏ vừa mở cửa ở điểm trường trên núi, với gần hai nghìn cuốn sách.\n")
VEGETABLES = ("Giá rau tăng sau mưa lớn\n\n"
              "Sau ba ngày mưa lớn, giá rau xanh ở các chợ đầu mối tăng gần gấp đôi.\n")
SHORT = "Tin vắn\n\nChiều nay trời có mưa rào ở vài nơi.\n"

META = {"title": "Tiêu đề do tòa soạn đặt", "author": "Phóng viên Lan", "url": "https://bao.example/tin/1",
        "date": "2026-11-02"}
SERVICE_FIELDS = {"id", "status", "status_url", "slug", "created_at", "started_at", "finished_at", "attempts",
                  "audio_url", "caption_urls", "chapters_url"}


@dataclass
class Api:
    serve: Serve
    folder: Path
    config: Path
    port: int
    env: dict[str, str]
    ids: list[str] = field(default_factory=list)  # every job this module made, for the metrics test

    @property
    def public(self) -> Path:
        return self.folder / "data" / "public"

    def post(self, headers: dict[str, str] | None = None, **kwargs: object) -> httpx.Response:
        """POST /v1/builds with the token (and `headers`); a 202's job is remembered."""
        answer = httpx.post(self.serve.base + "/v1/builds", headers={**self.serve.headers, **(headers or {})},
                            timeout=30, **kwargs)  # type: ignore[arg-type]
        if answer.status_code == 202 and answer.json()["id"] not in self.ids:
            self.ids.append(answer.json()["id"])
        return answer

    def raw(self, article: str | bytes, content_type: str, key: str = "", **params: str) -> httpx.Response:
        body = article.encode("utf-8") if isinstance(article, str) else article
        headers = {"Content-Type": content_type, **({"Idempotency-Key": key} if key else {})}
        return self.post(headers, content=body, params=params)

    def built(self, answer: httpx.Response) -> dict:
        assert answer.status_code == 202, answer.text
        job = self.serve.finished(answer.json()["id"])
        assert job["status"] == "done", job
        return job

    def cli(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([EXE, "--config", str(self.config), *args], cwd=cwd, env=self.env,
                              capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def api(tmp_path_factory) -> Iterator[Api]:
    folder = tmp_path_factory.mktemp("api")
    port = free_port()
    config = write_config(folder, port=port, max_request_bytes=LIMIT)
    env = clean_env(folder)
    serve = Serve(config, port, folder / "serve.log", env=env).start()
    try:
        yield Api(serve, folder, config, port, env)
    finally:
        serve.stop()


def _fetch(url: str, **headers: str) -> httpx.Response:
    return httpx.get(url, headers=headers, timeout=30)


# --- submitting in each of the four ways ------------------------------------------------------------------


def _as_text(api: Api) -> tuple[httpx.Response, str, str]:
    return api.raw(BUS, "text/plain; charset=utf-8", **META, slug="giao-thong/xe-buyt"), "buýt", "article.txt"


def _as_markdown(api: Api) -> tuple[httpx.Response, str, str]:
    return api.raw(RICE, "text/markdown", **META, slug="du-lich/lua-chin"), "bậc thang", "article.md"


def _as_json(api: Api) -> tuple[httpx.Response, str, str]:
    body = {"article": LIBRARY, "format": "txt", **META, "slug": "giao-duc/thu-vien"}
    return api.post(json=body), "thư viện", "article.txt"


def _as_multipart(api: Api) -> tuple[httpx.Response, str, str]:
    files = {"article": ("gia-rau.txt", VEGETABLES.encode(), "text/plain")}
    return api.post(files=files, data={**META, "slug": "kinh-te/gia-rau"}), "rau xanh", "gia-rau.txt"


@pytest.mark.parametrize("send", [_as_text, _as_markdown, _as_json, _as_multipart],
                         ids=["text", "markdown", "json", "multipart"])
def test_submit_poll_and_fetch_the_audio(api: Api, send: Callable[[Api], tuple[httpx.Response, str, str]],
                                         tmp_path: Path) -> None:
    answer, spoken_word, name = send(api)
    assert answer.status_code == 202, answer.text
    accepted = answer.json()
    assert set(accepted) == {"id", "status", "status_url"} and accepted["status"] in ("queued", "running", "done")
    assert accepted["status_url"] == f"{api.serve.base}/v1/builds/{accepted['id']}"
    assert answer.headers["location"] == accepted["status_url"]
    job = api.built(answer)
    assert job["article"] == name and job["attempts"] == 1
    assert job["started_at"] >= job["created_at"] and job["finished_at"] >= job["started_at"]
    assert job["audio_url"] == f"{api.serve.base}/media/{job['output']}"
    assert sorted(job["caption_urls"]) == ["srt", "vtt"]

    audio = _fetch(job["audio_url"])
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/mpeg"
    mp3 = tmp_path / "fetched.mp3"
    mp3.write_bytes(audio.content)
    assert mp3.read_bytes() == (api.public / job["output"]).read_bytes()
    tags = MP3(mp3)
    assert str(tags.tags["TIT2"]) == META["title"]  # the metadata sent beside the article wins
    assert str(tags.tags["TPE1"]) == META["author"] and str(tags.tags["TDRC"]) == META["date"]
    assert tags.tags.getall("WOAS")[0].url == META["url"]
    assert abs(tags.info.length - job["duration_s"]) <= 0.1
    assert decode_errors(mp3) == ""

    vtt = _fetch(job["caption_urls"]["vtt"])
    assert vtt.status_code == 200 and vtt.headers["content-type"] == "text/vtt; charset=utf-8"
    assert vtt.text.startswith("WEBVTT") and spoken_word in vtt.text.replace("\n", " ")
    srt = _fetch(job["caption_urls"]["srt"])
    assert srt.status_code == 200 and srt.headers["content-type"] == "application/x-subrip"
    assert "00:00:00,000 --> " in srt.text and spoken_word in srt.text.replace("\n", " ")
    chapters = _fetch(job["chapters_url"])
    assert chapters.status_code == 200 and chapters.headers["content-type"] == "application/json+chapters"
    assert chapters.json()["version"] == "1.2.0" and chapters.json()["chapters"][0]["startTime"] == 0
    assert job["chapters_file"] == job["output"][: -len(".mp3")] + ".chapters.json"


@pytest.fixture(scope="module")
def published(api: Api) -> dict:
    """One short article built, for the tests that need any finished job."""
    return api.built(api.raw(SHORT, "text/plain", slug="ranges"))


def test_done_job_has_every_field_build_json_prints(api: Api, published: dict, tmp_path: Path) -> None:
    (tmp_path / "bai.txt").write_text(SHORT, encoding="utf-8")
    done = api.cli("build", "bai.txt", "--json", "-o", "bai.mp3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert set(printed) - {"ok"} <= set(published)
    assert set(published) - set(printed) == SERVICE_FIELDS
    assert published["duration_s"] == printed["duration_s"] and published["chunks"] == printed["chunks"]


# --- the published files ----------------------------------------------------------------------------------


def test_range_requests_get_exactly_those_bytes(api: Api, published: dict) -> None:
    whole = (api.public / published["output"]).read_bytes()
    size = len(whole)
    part = _fetch(published["audio_url"], Range="bytes=100-1099")
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-1099/{size}"
    assert part.content == whole[100:1100]
    tail = _fetch(published["audio_url"], Range="bytes=-500")
    assert tail.status_code == 206 and tail.content == whole[-500:]
    rest = _fetch(published["audio_url"], Range=f"bytes={size - 10}-")
    assert rest.status_code == 206 and rest.content == whole[-10:]
    beyond = _fetch(published["audio_url"], Range=f"bytes={size}-")
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{size}"


def test_head_on_media_gives_the_size(api: Api, published: dict) -> None:
    answer = httpx.head(published["audio_url"], timeout=30)
    assert answer.status_code == 200 and answer.headers["content-type"] == "audio/mpeg"
    assert int(answer.headers["content-length"]) == (api.public / published["output"]).stat().st_size
    assert answer.content == b""


def _raw_status(port: int, target: str) -> int:
    """The status for GET `target` sent exactly as written (httpx would resolve the dots itself)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        head = sock.recv(64)
    return int(head.split()[1])


def test_media_serves_only_published_kinds_inside_the_public_folder(api: Api, published: dict) -> None:
    name = published["output"]
    (api.folder / "data" / "secret.mp3").write_bytes((api.public / name).read_bytes())
    (api.public / "notes.txt").write_text("không phải để công bố", encoding="utf-8")
    (api.public / "escape.mp3").symlink_to(api.folder / "data" / "secret.mp3")
    staging = api.public / ".readaloud-00112233aabb.tmp"  # as a build in progress has it
    staging.mkdir()
    (staging / "a1b2c3d4e5f6.mp3").write_bytes(b"\xff\xfb" + bytes(400))
    assert _raw_status(api.port, f"/media/{name}") == 200  # the same way, a published file is found
    for target in ("/media/../secret.mp3", "/media/%2e%2e/secret.mp3", "/media/..%2fsecret.mp3",
                   f"/media/{api.folder}/data/secret.mp3", "/media/../readaloud.toml", "/media/notes.txt",
                   "/media/escape.mp3", "/media/nothing-here.mp3", "/media/../data/jobs.sqlite3",
                   "/media/.readaloud-00112233aabb.tmp/a1b2c3d4e5f6.mp3"):
        assert _raw_status(api.port, target) == 404, target


# --- slugs --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("slug", "expected"), [("../../etc/passwd", "etc/passwd"),
                                                ("Thời sự/Bài 1", "thoi-su/bai-1")])
def test_slug_becomes_a_path_inside_the_public_folder(api: Api, slug: str, expected: str) -> None:
    job = api.built(api.raw(SHORT, "text/plain", slug=slug))
    assert job["slug"] == expected and job["output"] == f"{expected}.mp3"
    assert job["audio_url"] == f"{api.serve.base}/media/{expected}.mp3"
    made = (api.public / job["output"]).resolve()
    assert made.is_file() and made.is_relative_to(api.public.resolve())
    assert sorted(p.name for p in made.parent.iterdir() if p.stem == made.stem) == [
        f"{made.stem}.mp3", f"{made.stem}.srt", f"{made.stem}.vtt"]


def test_slug_of_only_symbols_is_refused(api: Api) -> None:
    answer = api.raw(SHORT, "text/plain", slug="?!/@@/..")
    assert answer.status_code == 422
    assert answer.json() == {"error": "slug '?!/@@/..': no letters or digits to name the audio file by"}


# --- idempotency --------------------------------------------------------------------------------------------


def test_idempotency_key_replays_the_same_job(api: Api) -> None:
    first = api.raw(SHORT, "text/plain", key="cms-bai-42", slug="idem")
    again = api.raw(SHORT, "text/plain", key="cms-bai-42", slug="idem")
    assert first.status_code == again.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["location"] == first.headers["location"]
    other = api.raw(SHORT.replace("mưa rào", "nắng nhẹ"), "text/plain", key="cms-bai-42", slug="idem")
    assert other.status_code == 409 and "cms-bai-42" in other.json()["error"]
    other_slug = api.raw(SHORT, "text/plain", key="cms-bai-42", slug="idem-2")
    assert other_slug.status_code == 409
    done = api.built(first)
    replayed_after = api.raw(SHORT, "text/plain", key="cms-bai-42", slug="idem")
    assert replayed_after.json() == {"id": done["id"], "status": "done", "status_url": done["status_url"]}


def test_no_idempotency_key_makes_a_new_job_each_time(api: Api) -> None:
    ids = {api.raw(SHORT, "text/plain", slug="twice").json()["id"] for _ in range(2)}
    assert len(ids) == 2
    for job_id in ids:
        assert api.serve.finished(job_id)["status"] == "done"


# --- auth ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("authorization", [None, "Bearer ra_wrong-token", f"Basic {TOKEN}", "Bearer", TOKEN])
def test_v1_needs_the_token(api: Api, published: dict, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    for answer in (httpx.post(api.serve.base + "/v1/builds", content=SHORT.encode(),
                              headers={**headers, "Content-Type": "text/plain"}, timeout=30),
                   httpx.get(published["status_url"], headers=headers, timeout=30)):
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"] == 'Bearer realm="readaloud"'
        assert set(answer.json()) == {"error"}


def test_public_routes_need_no_token(api: Api, published: dict) -> None:
    assert httpx.get(api.serve.base + "/healthz", timeout=30).json()["ok"] is True
    assert httpx.get(api.serve.base + "/metrics", timeout=30).status_code == 200
    assert httpx.get(published["audio_url"], timeout=30).status_code == 200
    assert httpx.get(published["caption_urls"]["vtt"], timeout=30).status_code == 200


def test_unknown_job_is_404(api: Api) -> None:
    for job_id in ("0123456789abcdef01234567", "not-a-job"):
        answer = httpx.get(f"{api.serve.base}/v1/builds/{job_id}", headers=api.serve.headers, timeout=30)
        assert answer.status_code == 404 and set(answer.json()) == {"error"}


def test_status_url_is_the_jobs_own_whatever_the_query(api: Api, published: dict) -> None:
    answer = httpx.get(published["status_url"], params={"poll": "3"}, headers=api.serve.headers, timeout=30)
    assert answer.json()["status_url"] == published["status_url"]


# --- size limit ---------------------------------------------------------------------------------------------


def test_body_over_the_limit_is_413(api: Api) -> None:
    big = ("Một câu dài để làm đầy thân yêu cầu. " * 1000).encode()
    assert len(big) > LIMIT
    declared = api.raw(big, "text/plain")
    assert declared.status_code == 413 and "20,000" in declared.json()["error"]

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(big), 4096):
            yield big[start:start + 4096]

    streamed = api.post({"Content-Type": "text/plain"}, content=chunks())
    assert streamed.status_code == 413 and "20,000" in streamed.json()["error"]
    form = api.post(files={"article": ("to.txt", big, "text/plain")})
    assert form.status_code == 413
    # Still answering, and still reading what is sent.
    assert httpx.get(api.serve.base + "/healthz", timeout=30).status_code == 200
    assert api.raw(b"", "text/plain").json() == {"error": "article.txt: the article is empty"}
    assert "Traceback" not in api.serve.text()


# --- bad input ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "said"), [(b"", "the article is empty"),
                                               (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\xff", "binary")],
                         ids=["empty", "binary"])
def test_refused_article_gives_the_line_build_prints(api: Api, tmp_path: Path, content: bytes, said: str) -> None:
    (tmp_path / "article.txt").write_bytes(content)
    done = api.cli("build", "article.txt", "-o", "out.mp3", cwd=tmp_path)
    assert done.returncode != 0
    prefix = "readaloud: error: "
    printed = [line for line in done.stderr.splitlines() if line.startswith(prefix)]
    assert len(printed) == 1, done.stderr
    answer = api.raw(content, "text/plain")
    assert answer.status_code == 422
    assert answer.json() == {"error": printed[0].removeprefix(prefix)}
    assert answer.json()["error"].startswith("article.txt: ") and said in answer.json()["error"]


BAD_REQUESTS = {
    "unsupported type": ({"content": SHORT.encode(), "headers": {"Content-Type": "application/pdf"}},
                         "article: unsupported type 'application/pdf'"),
    "no type": ({"content": SHORT.encode(), "headers": {"Content-Type": ""}}, "article: unsupported type '(none)'"),
    "file extension": ({"files": {"article": ("bai.docx", SHORT.encode(), "text/plain")}},
                       "bai.docx: unsupported file type '.docx'"),
    "no article part": ({"files": {"tep": ("bai.txt", SHORT.encode())}}, "form: unknown field 'tep'"),
    "bad json": ({"content": b'{"article": "Tin', "headers": {"Content-Type": "application/json"}},
                 "request: not valid JSON"),
    "json not object": ({"json": [SHORT]}, "request: expected a JSON object"),
    "json format list": ({"json": {"article": SHORT, "format": ["md"]}}, "format "),
    "json title number": ({"json": {"article": SHORT, "title": 5}}, "title: expected text"),
    "broken multipart": ({"content": b"nonsense", "headers": {"Content-Type": "multipart/form-data; boundary=zz"}},
                         "request: Invalid multipart data"),
    "multipart no boundary": ({"content": b"nonsense", "headers": {"Content-Type": "multipart/form-data"}},
                              "request: Missing boundary"),
    "two files": ({"files": [("article", ("a.txt", SHORT.encode())), ("article", ("b.txt", SHORT.encode()))]},
                  "request: Too many files"),
    "title two lines": ({"content": SHORT.encode(), "headers": {"Content-Type": "text/plain"},
                         "params": {"title": "một\nhai"}}, "title: must be one line"),
    "callback not http": ({"content": SHORT.encode(), "headers": {"Content-Type": "text/plain"},
                           "params": {"callback_url": "file:///etc/passwd"}}, "callback_url 'file:///etc/passwd'"),
}


@pytest.mark.parametrize("case", sorted(BAD_REQUESTS))
def test_bad_request_is_422_with_one_line(api: Api, case: str) -> None:
    kwargs, start = BAD_REQUESTS[case]
    kwargs = dict(kwargs)
    answer = api.post(kwargs.pop("headers", None), **kwargs)  # type: ignore[arg-type]
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert list(body) == ["error"] and body["error"].startswith(start)
    assert "\n" not in body["error"] and len(body["error"]) < 300


# --- metrics and documentation ------------------------------------------------------------------------------


def _metrics(api: Api) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    text = httpx.get(api.serve.base + "/metrics", timeout=30).text
    found: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def test_metrics_agree_with_the_jobs(api: Api, published: dict) -> None:
    jobs = [api.serve.finished(job_id) for job_id in api.ids]
    metrics = _metrics(api)
    by_state = {labels[0][1]: value for labels, value in metrics["readaloud_jobs"].items()}
    assert by_state == {"queued": 0, "running": 0, "done": len(jobs), "failed": 0}
    assert all(job["status"] == "done" for job in jobs)
    assert metrics["readaloud_build_seconds_count"][()] == len(jobs)
    assert metrics["readaloud_build_seconds_sum"][()] > 0
    buckets = sorted(((float(dict(labels)["le"]), value) for labels, value in
                      metrics["readaloud_build_seconds_bucket"].items()))
    assert [value for _, value in buckets] == sorted(value for _, value in buckets)  # cumulative
    assert buckets[-1] == (float("inf"), len(jobs))
    assert metrics["readaloud_engine_requests_total"][()] == sum(job["synthesized"] for job in jobs)
    assert metrics["readaloud_fallbacks_total"][()] == sum(job["fallback"] for job in jobs) == 0


def test_docs_and_openapi(api: Api) -> None:
    docs = httpx.get(api.serve.base + "/docs", timeout=30)
    assert docs.status_code == 200 and docs.headers["content-type"].startswith("text/html")
    assert "/openapi.json" in docs.text
    spec = httpx.get(api.serve.base + "/openapi.json", timeout=30).json()
    post = spec["paths"]["/v1/builds"]["post"]
    assert set(post["requestBody"]["content"]) == {"text/plain", "text/markdown", "text/html", "application/json",
                                                   "multipart/form-data"}
    assert "202" in post["responses"]
    assert {p["name"] for p in post["parameters"]} >= {"title", "author", "url", "date", "slug"}
    assert "get" in spec["paths"]["/v1/builds/{job_id}"]


def test_healthz_counts_jobs(api: Api) -> None:
    health = httpx.get(api.serve.base + "/healthz", timeout=30).json()
    assert health["queue"] == "embedded" and set(health["jobs"]) == {"queued", "running", "done", "failed"}
    assert sum(health["jobs"].values()) == len(api.ids)
