// dateline serve: one event stream shared by every open tab of the site.
// Browsers open at most six connections to a host over HTTP/1.1, and an
// event stream holds one for as long as its tab is open: with one stream
// per tab, a seventh tab would never load. Tabs reach this worker through
// live.js; never part of a build.
"use strict";
var ports = [];
// While the stream is open: the server and build last heard of (its
// `hello`, and each reload or stylesheet change), for tabs that open later
// to compare with the build their page came from; and the errors of a
// build that failed and has not been mended since.
var latest = null;
var standing = null;

function connect() {
  var events = new EventSource("/__dateline/events");
  ["hello", "reload", "stylesheet", "failed"].forEach(function (kind) {
    events.addEventListener(kind, function (e) {
      if (kind === "failed") {
        standing = e.data;
      } else {
        latest = e.data;
        // A change told is a build that worked; a stream made again hears
        // first of what still stands.
        standing = null;
      }
      ports.forEach(function (port) {
        port.postMessage({ kind: kind, data: e.data });
      });
    });
  });
  events.onerror = function () {
    // Down, what it said may be out of date: a tab that opens now waits
    // for the next `hello`.
    latest = null;
    standing = null;
    // An answer that is no event stream (a proxy's 502 while the server
    // starts again) ends it for good: try again.
    if (events.readyState === EventSource.CLOSED) setTimeout(connect, 2000);
  };
}
connect();
onconnect = function (e) {
  var port = e.ports[0];
  ports.push(port);
  port.onmessage = function (m) {
    if (m.data === "bye") {
      ports = ports.filter(function (p) { return p !== port; });
    }
  };
  if (latest !== null) port.postMessage({ kind: "hello", data: latest });
  if (standing !== null) port.postMessage({ kind: "failed", data: standing });
  port.start();
};
