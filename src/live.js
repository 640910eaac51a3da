// dateline serve: keeps this tab up to date while the site's files change.
// Added to pages as they are served; never part of a build.
(function () {
  "use strict";
  var overlay = null;

  function showFailure(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "dateline-failure";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:2147483647;" +
        "margin:0;padding:1rem 1.25rem;background:#2b0a0a;color:#fff;border-bottom:4px solid #ff6b6b;" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;";
      var title = document.createElement("p");
      title.style.cssText = "margin:0 0 .5rem;font-weight:bold;";
      // The server's stand-in page, when no build has worked yet, says so.
      title.textContent = document.documentElement.hasAttribute("data-not-built")
        ? "The site did not build, and has not built since the server started; fix the file and save."
        : "The site did not build. The last good build is shown below; fix the file and save.";
      var pre = document.createElement("pre");
      pre.style.cssText = "margin:0;white-space:pre-wrap;";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Hide";
      close.style.cssText = "margin-top:.75rem;font:inherit;color:#fff;background:transparent;border:1px solid #fff;padding:.2rem .6rem;cursor:pointer;";
      close.addEventListener("click", function () { overlay.hidden = true; });
      overlay.appendChild(title);
      overlay.appendChild(pre);
      overlay.appendChild(close);
      document.body.appendChild(overlay);
    }
    overlay.hidden = false;
    overlay.querySelector("pre").textContent = text;
  }

  function swapStylesheets() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("dateline", String(Date.now()));
      links[i].href = url.toString();
    }
  }

  // The server and build this page came from, as the server says it:
  // "<server>.<changes told of>".
  var mine = document.currentScript && document.currentScript.getAttribute("data-version");

  // Whether `version` is of another server than this page, or of a later
  // build of its server.
  function newer(version) {
    if (!mine) return false;
    var i = version.lastIndexOf("."), j = mine.lastIndexOf(".");
    if (version.slice(0, i) !== mine.slice(0, j)) return true;
    return Number(version.slice(i + 1)) > Number(mine.slice(j + 1));
  }

  function on(kind, data) {
    // The server started again, or rebuilt while the stream was down: the
    // page is out of date. The same one heard again (a stream cut and made
    // again), or an older one, changes nothing.
    if (kind === "hello") {
      if (newer(data)) location.reload();
    } else if (kind === "reload") {
      // Not for a change the page already has (served as it was told).
      if (!mine || newer(data)) location.reload();
    } else if (kind === "stylesheet") {
      if (newer(data)) mine = data;
      swapStylesheets();
    } else if (kind === "failed") {
      showFailure(data);
    }
  }

  // A page kept for the back button heard nothing while it was away.
  addEventListener("pageshow", function (e) {
    if (e.persisted) location.reload();
  });

  // A stream of this tab's own.
  function alone() {
    var events = new EventSource("/__dateline/events");
    ["hello", "reload", "stylesheet", "failed"].forEach(function (kind) {
      events.addEventListener(kind, function (e) { on(kind, e.data); });
    });
    // An answer that is no event stream (a proxy's 502 while the server
    // starts again) ends it for good: try again.
    events.onerror = function () {
      if (events.readyState === EventSource.CLOSED) setTimeout(alone, 2000);
    };
  }

  // One event stream for every tab, through a shared worker (live-worker.js
  // says why); where there is none, or it does not start, a stream of this
  // tab's own.
  if (typeof SharedWorker !== "function") return alone();
  try {
    var worker = new SharedWorker("/__dateline/worker.js", { name: "dateline-live" });
    worker.onerror = alone;
    worker.port.onmessage = function (e) { on(e.data.kind, e.data.data); };
    worker.port.start();
    addEventListener("pagehide", function (e) {
      // A page kept for the back button still wants to hear.
      if (!e.persisted) worker.port.postMessage("bye");
    });
  } catch (err) {
    alone();
  }
})();
