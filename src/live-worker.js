// dateline serve: one event stream shared by every open tab of the site.
// Browsers open at most six connections to a host over HTTP/1.1, and an
// event stream holds one for as long as its tab is open: with one stream
// per tab, a seventh tab would never load. Tabs reach this worker through
// live.js; never part of a build.
"use strict";
var ports = [];
// The errors of a build that failed and has not been mended since, for
// tabs that open after the event.
var standing = null;
var events = new EventSource("/__dateline/events");
var opened = false;
// A server started again (or reached again) has built the site anew, and
// says first what still stands: the tabs reload, to show what it serves.
events.onopen = function () {
  standing = null;
  if (opened) {
    ports.forEach(function (port) { port.postMessage({ kind: "reload" }); });
  }
  opened = true;
};
["reload", "stylesheet", "failed"].forEach(function (kind) {
  events.addEventListener(kind, function (e) {
    standing = kind === "failed" ? e.data : null;
    ports.forEach(function (port) {
      port.postMessage({ kind: kind, data: e.data });
    });
  });
});
onconnect = function (e) {
  var port = e.ports[0];
  ports.push(port);
  port.onmessage = function (m) {
    if (m.data === "bye") {
      ports = ports.filter(function (p) { return p !== port; });
    }
  };
  if (standing !== null) port.postMessage({ kind: "failed", data: standing });
  port.start();
};
