/* readaloud player: turns each [data-ra-player] fragment's native <audio> into a player with large
   labelled buttons, chapters and a transcript that follows the voice. Without this script the fragment
   still plays (native controls, a link to the MP3, the transcript as text). No dependencies. */
(function () {
  "use strict";
  if (window.readaloudPlayer) return; // the fragment may be on a page several times
  var STEP = 10;
  var RATE_KEY = "readaloud:rate";
  var reduced = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : { matches: false };

  function clock(s) {
    s = Math.max(0, Math.floor(s || 0));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (r < 10 ? "0" : "") + r;
  }
  function spoken(s) {
    s = Math.max(0, Math.round(s || 0));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60, out = [];
    if (h) out.push(h + " giờ");
    if (m) out.push(m + " phút");
    if (r || !out.length) out.push(r + " giây");
    return out.join(" ");
  }
  function rateName(r) { return String(r).replace(".", ",") + "×"; }
  // Storage can be refused (private mode, a sandboxed frame): the player works without it.
  function recall(key) { try { return window.localStorage.getItem(key); } catch (e) { return null; } }
  function keep(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key); else window.localStorage.setItem(key, value);
    } catch (e) { /* not kept */ }
  }

  function setUp(root) {
    if (root.hasAttribute("data-ra-ready")) return;
    var $ = function (sel) { return root.querySelector(sel); };
    var $$ = function (sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); };
    var audio = $(".ra-audio"), playButton = $(".ra-play"), playName = $(".ra-play-name");
    var seekBar = $(".ra-seek"), timeText = $(".ra-time"), status = $(".ra-status"), box = $(".ra-cues");
    if (!audio || !playButton) return;
    // Keyed by the MP3's address: the same article on its own page and on an index shares its place, and
    // two articles with the same file name in different folders do not.
    var positionKey = "readaloud:position:" + audio.src;
    var rateButtons = $$(".ra-rate"), chapters = $$(".ra-chapter");
    var current = -1, lastSaved = 0, dragging = false, userScrolledAt = 0, ourScrollUntil = 0, valueText = "";

    // The transcript's sentences become buttons: a click or Enter jumps there.
    var cues = $$(".ra-cue").map(function (span) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "ra-cue";
      b.tabIndex = -1;
      b.setAttribute("data-start", span.getAttribute("data-start"));
      b.setAttribute("data-end", span.getAttribute("data-end"));
      b.textContent = span.textContent;
      span.parentNode.replaceChild(b, span);
      return { el: b, start: parseFloat(b.getAttribute("data-start")) };
    });
    if (cues.length) cues[0].el.tabIndex = 0;

    function keyboardIn(el) {
      var at = document.activeElement;
      try { return el.contains(at) && at.matches(":focus-visible"); } catch (e) { return el.contains(at); }
    }
    function duration() { return isFinite(audio.duration) ? audio.duration : parseFloat(seekBar.max) || 0; }
    function say(text) { if (status) status.textContent = text; }
    function seek(t) {
      t = Math.min(Math.max(0, t), Math.max(0, duration() - 0.05));
      audio.currentTime = t;
      show();
      if (!canReach(t)) say("Không tua được: máy chủ của trang chưa cho tải từng đoạn tệp âm thanh (HTTP Range).");
    }
    // A server that ignores Range requests lets the browser seek only within what it has downloaded.
    function canReach(t) {
      var ranges = audio.seekable;
      if (!ranges || !ranges.length || audio.readyState < 1) return true; // not known yet: say nothing
      for (var i = 0; i < ranges.length; i++) if (t >= ranges.start(i) - 0.5 && t <= ranges.end(i) + 0.5) return true;
      return false;
    }
    function toggle() {
      if (audio.paused) {
        var started = audio.play();
        if (started && started.catch) started.catch(function () { say("Không phát được âm thanh."); });
      } else {
        audio.pause();
      }
    }
    function setRate(r) {
      audio.playbackRate = r;
      audio.defaultPlaybackRate = r;
    }

    // The cue being spoken: the last one started (kept through the pauses between sentences).
    function cueAt(t) {
      var lo = 0, hi = cues.length - 1, found = -1;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1;
        if (cues[mid].start <= t + 0.001) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
      }
      return found;
    }
    function roving(index) {
      cues.forEach(function (c, i) { c.el.tabIndex = i === index ? 0 : -1; });
    }
    // Follows the voice unless the listener is reading elsewhere in the box (scrolled it, or is moving
    // through it with the keyboard: their place is not taken from them).
    function keepInView(el, asked) {
      if (!box || box.scrollHeight <= box.clientHeight) return;
      if (!asked && (Date.now() - userScrolledAt < 4000 || keyboardIn(box))) return;
      var top = el.offsetTop, bottom = top + el.offsetHeight;
      if (top >= box.scrollTop && bottom <= box.scrollTop + box.clientHeight) return;
      var target = Math.max(0, top - box.clientHeight / 3);
      ourScrollUntil = Date.now() + 1000;
      if (box.scrollTo) box.scrollTo({ top: target, behavior: reduced.matches ? "auto" : "smooth" });
      else box.scrollTop = target;
    }
    function highlight() {
      var index = cueAt(audio.currentTime);
      if (index === current) return;
      if (current >= 0) {
        cues[current].el.classList.remove("ra-current");
        cues[current].el.removeAttribute("aria-current");
      }
      current = index;
      if (index < 0) return;
      var el = cues[index].el;
      el.classList.add("ra-current");
      el.setAttribute("aria-current", "true");
      if (!keyboardIn(box)) roving(index); // never move a keyboard user's place
      keepInView(el);
    }
    function markChapter() {
      var t = audio.currentTime, at = -1;
      chapters.forEach(function (c, i) { if (parseFloat(c.getAttribute("data-start")) <= t + 0.001) at = i; });
      chapters.forEach(function (c, i) {
        if (i === at) c.setAttribute("aria-current", "true"); else c.removeAttribute("aria-current");
      });
    }
    function show() {
      var t = audio.currentTime, d = duration();
      timeText.textContent = clock(t) + " / " + clock(d);
      if (!dragging) seekBar.value = String(t);
      var text = spoken(t) + " trên " + spoken(d);
      if (text !== valueText) seekBar.setAttribute("aria-valuetext", (valueText = text));
      highlight();
      markChapter();
    }
    function showPlaying() {
      var playing = !audio.paused;
      playName.textContent = playing ? "Tạm dừng" : "Phát";
      playButton.querySelector(".ra-icon").textContent = playing ? "❚❚" : "▶";
    }
    function savePosition(force) {
      var t = audio.currentTime, now = Date.now();
      if (!force && now - lastSaved < 3000) return;
      lastSaved = now;
      keep(positionKey, t > 5 && t < duration() - 5 ? t.toFixed(1) : null);
    }
    function restore() {
      var saved = parseFloat(recall(positionKey));
      if (saved > 0 && saved < duration() - 1 && audio.currentTime < 1) {
        seek(saved);
        say("Tiếp tục từ " + clock(saved) + ".");
      }
      var rate = parseFloat(recall(RATE_KEY));
      if (rate >= 0.5 && rate <= 3) setRate(rate);
    }

    audio.addEventListener("play", function () {
      showPlaying();
      // One voice at a time: starting this article pauses any other player on the page.
      Array.prototype.forEach.call(document.querySelectorAll("[data-ra-player] audio"), function (other) {
        if (other !== audio && !other.paused) other.pause();
      });
    });
    audio.addEventListener("pause", function () { showPlaying(); savePosition(true); });
    audio.addEventListener("ended", function () { keep(positionKey, null); });
    audio.addEventListener("timeupdate", function () { show(); if (!audio.paused) savePosition(false); });
    audio.addEventListener("seeked", show);
    audio.addEventListener("durationchange", show);
    audio.addEventListener("loadedmetadata", restore);
    audio.addEventListener("ratechange", function () {
      rateButtons.forEach(function (b) {
        b.setAttribute("aria-pressed", String(parseFloat(b.getAttribute("data-rate")) === audio.playbackRate));
      });
    });
    // The track's cue changes come on time (timeupdate only a few times a second).
    if (audio.textTracks && audio.textTracks.length) {
      var track = audio.textTracks[0];
      if (track.mode === "disabled") track.mode = "hidden";
      track.addEventListener("cuechange", highlight);
    }
    window.addEventListener("pagehide", function () { savePosition(true); });

    playButton.addEventListener("click", toggle);
    $(".ra-back").addEventListener("click", function () { seek(audio.currentTime - STEP); });
    $(".ra-forward").addEventListener("click", function () { seek(audio.currentTime + STEP); });
    seekBar.addEventListener("input", function () { dragging = true; seek(parseFloat(seekBar.value)); });
    seekBar.addEventListener("change", function () { dragging = false; });
    rateButtons.forEach(function (b) {
      b.addEventListener("click", function () {
        var r = parseFloat(b.getAttribute("data-rate"));
        setRate(r);
        keep(RATE_KEY, String(r));
        say("Tốc độ " + rateName(r) + ".");
      });
    });
    chapters.forEach(function (c) {
      c.addEventListener("click", function () { seek(parseFloat(c.getAttribute("data-start"))); });
    });
    cues.forEach(function (c, i) {
      c.el.addEventListener("click", function () { roving(i); seek(c.start); });
    });
    if (box) {
      ["wheel", "touchmove", "scroll"].forEach(function (type) {
        box.addEventListener(type, function () {
          if (type !== "scroll" || Date.now() > ourScrollUntil) userScrolledAt = Date.now(); // a scrollbar drag too
        }, { passive: true });
      });
    }

    root.addEventListener("keydown", function (e) {
      var t = e.target, name = t.tagName;
      if (e.altKey || e.ctrlKey || e.metaKey || name === "INPUT" || name === "TEXTAREA" || name === "SELECT") return;
      var inCues = t.classList && t.classList.contains("ra-cue");
      switch (e.key) {
        case "ArrowLeft": seek(audio.currentTime - STEP); break;
        case "ArrowRight": seek(audio.currentTime + STEP); break;
        case "Home": seek(0); break;
        case "End": seek(duration()); break;
        case "ArrowUp":
        case "ArrowDown":
          if (!inCues) return;
          var at = cues.map(function (c) { return c.el; }).indexOf(t);
          var next = Math.min(cues.length - 1, Math.max(0, at + (e.key === "ArrowUp" ? -1 : 1)));
          roving(next);
          cues[next].el.focus();
          keepInView(cues[next].el, true);
          break;
        case " ":
        case "Spacebar":
          // A button's own action, but for the transcript's sentences: there Enter jumps to one and Space
          // plays from it, so a keyboard user never has to go back to the play button. (A link has none.)
          if (name === "BUTTON" && !inCues) return;
          toggle();
          break;
        default: return;
      }
      e.preventDefault();
    });

    audio.controls = false;
    $$("[hidden]").forEach(function (el) {
      if (el.matches(".ra-controls, .ra-chapters")) el.hidden = false;
    });
    root.setAttribute("data-ra-ready", "");
    if (audio.readyState >= 1) restore();
    show();
    showPlaying();
  }

  function setUpAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-ra-player]"), setUp);
  }
  window.readaloudPlayer = { setUp: setUp, setUpAll: setUpAll };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();
