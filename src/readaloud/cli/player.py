"""`readaloud player`: the listening player for built MP3s (see readaloud.player)."""

from __future__ import annotations

from pathlib import Path

import click

from readaloud.cli.console import emit_json, say
from readaloud.errors import ReadaloudError
from readaloud.reports import failure_as_dict

MEDIA_URL_HELP = ("URL of the folder the MP3, its captions and the player's files are served from "
                  "(e.g. https://cdn.example.vn/audio/2024/). Default: names relative to the page.")


def media_url_option(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """--media-url checked before any work (a build's synthesis included): a usage error, exit 2."""
    from readaloud.errors import InputError
    from readaloud.player import check_media_url

    try:
        return check_media_url(value)
    except InputError as exc:
        raise click.BadParameter(str(exc)) from None


def player_line(files: dict[str, str]) -> str:
    return f"{files['fragment']}: player written (page {Path(files['page']).name}, with {Path(files['css']).name} " \
           f"and {Path(files['js']).name})"


@click.command()
@click.argument("mp3s", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="MP3...")
@click.option("--media-url", default="", metavar="URL", callback=media_url_option, help=MEDIA_URL_HELP)
@click.option("--index", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write one page listing every MP3 given, each with its player (e.g. out/index.html).")
@click.option("--title", default="Nghe bài viết", show_default=True, help="The --index page's title.")
@click.option("--json", "as_json", is_flag=True, help="The files written, as JSON on stdout.")
def player(mp3s: tuple[Path, ...], media_url: str, index: Path | None, title: str, as_json: bool) -> None:
    """Write the listening player for each MP3 built by readaloud, beside it:

    \b
      NAME.player.html     the fragment to paste into the article page
      NAME.demo.html       a page with just that player, to try it
      readaloud-player.css, readaloud-player.js   the player's own files (16 KB together, no CDN)

    The player is the browser's own <audio> with the WebVTT captions, so it plays with JavaScript
    off; with it, it gets large labelled buttons (play, ±10 s, speed 0.75-2x), the chapter list and the
    transcript beside the audio, following the voice. Keys: Space, Left/Right (10 s), Home/End.

    \b
    To add it to an article page, with public/audio/ served at https://example.vn/audio/:
      readaloud build bai.md -o public/audio/bai.mp3 --player --media-url /audio/
      then include public/audio/bai.player.html where the player goes (a server-side include,
      or paste it into the CMS's HTML block) and publish the folder as it is. Without --media-url
      the fragment's links are relative to its own folder: right for NAME.demo.html, wrong for an
      article page elsewhere on the site. The web server must answer HTTP range requests (nginx,
      Apache and CDNs do; Python's http.server does not), or listeners cannot seek.
    """
    from readaloud.player import check_index, load_article, write_index, write_player

    mp3s = tuple(dict.fromkeys(mp3s))  # one player each, however often an MP3 is named
    try:
        for mp3 in mp3s:  # every MP3 checked before anything is written: a bad one leaves no half set
            load_article(mp3)
        if index is not None:
            check_index(index)
        written = [write_player(mp3, media_url).as_dict() for mp3 in mp3s]
        if index is not None:
            write_index(list(mp3s), index, title, media_url)
    except ReadaloudError as exc:
        if as_json:
            emit_json(failure_as_dict({"mp3s": [str(mp3) for mp3 in mp3s]}, str(exc), exc.exit_code))
        raise
    if as_json:
        emit_json({"ok": True, "players": written, "index": str(index) if index else None})
        return
    for files in written:
        say(player_line(files))
    if index is not None:
        say(f"{index}: {len(mp3s)} players on one page")
