"""readaloud: Vietnamese news articles to listenable, tagged MP3 audio."""

__version__ = "0.1.0"
