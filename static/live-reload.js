// serve --dev only: follows the editor. After each publish the page asks whether its own
// address now answers differently (its ETag) and reloads if so; while the content folder has
// errors it shows check's report over the page, and reloads once they are fixed.
(function () {
  "use strict";
  var etag = null;
  var report = null;

  function currentEtag() {
    return fetch(location.href, { method: "HEAD", cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.headers.get("ETag"); })
      .catch(function () { return null; });
  }

  // Pages without an ETag (search results, forms) reload after every publish.
  function reloadIfChanged() {
    currentEtag().then(function (now) {
      if (etag === null || now === null || now !== etag) {
        location.reload();
      }
    });
  }

  function showReport(text) {
    if (report === null) {
      report = document.createElement("section");
      report.className = "live-reload-report";
      report.setAttribute("role", "alert");
      report.setAttribute("aria-label", "Content errors");
      var heading = document.createElement("h2");
      heading.textContent = "The content folder has errors; this page shows the last good version.";
      report.appendChild(heading);
      report.appendChild(document.createElement("pre"));
      document.body.appendChild(report);
    }
    report.querySelector("pre").textContent = text;
  }

  currentEtag().then(function (first) {
    etag = first;
    var events = new EventSource("/live-reload");
    events.addEventListener("ready", function () {
      // After a restart of the server the content may have changed while we were away.
      if (report !== null) {
        location.reload();
      } else if (etag !== null) {
        reloadIfChanged();
      }
    });
    events.addEventListener("published", function () {
      if (report !== null) {
        location.reload();
      } else {
        reloadIfChanged();
      }
    });
    events.addEventListener("broken", function (event) {
      showReport(event.data);
    });
  });
})();
