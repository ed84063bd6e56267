// StorageServer console: progressive enhancement only. Every page and form works without it.
"use strict";

// Forms with data-confirm ask first (force unlock, revoke, approve, delete).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Copy buttons (a token shown once).
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) {
    return;
  }
  const source = document.getElementById(button.getAttribute("data-copy"));
  if (source && navigator.clipboard) {
    navigator.clipboard.writeText(source.textContent.trim()).then(() => { button.textContent = "Copied"; });
  }
});

// Job runs still queued or running refresh their progress every two seconds; the page reloads
// once when one of them ends, so its final state and error show.
(function refreshRuns() {
  const rows = Array.from(document.querySelectorAll("tr[data-run-active='true'][data-run-id]"));
  const url = document.body.querySelector("[data-progress-url]")?.getAttribute("data-progress-url");
  if (rows.length === 0 || !url) {
    return;
  }
  const ids = rows.map((row) => row.getAttribute("data-run-id"));
  const tick = async () => {
    try {
      const response = await fetch(url + "&ids=" + ids.join(","), { credentials: "same-origin", headers: { "Accept": "application/json" } });
      if (!response.ok) {
        return;
      }
      const runs = await response.json();
      let ended = false;
      for (const run of runs) {
        const row = document.querySelector(`tr[data-run-id='${run.id}']`);
        if (!row) {
          continue;
        }
        const bar = row.querySelector("progress");
        if (bar && run.total) {
          bar.max = run.total;
          bar.value = run.done;
        }
        const text = row.querySelector("[data-run-progress]");
        if (text) {
          text.textContent = run.total ? `${run.done} / ${run.total}${run.message ? " · " + run.message : ""}` : (run.message || "");
        }
        const state = row.querySelector("[data-run-state]");
        if (state) {
          state.textContent = run.state;
          state.className = "state " + run.state;
        }
        ended = ended || (run.state !== "queued" && run.state !== "running");
      }
      if (ended) {
        window.location.reload();
        return;
      }
    } catch {
      // The server may be restarting: try again on the next tick.
    }
    window.setTimeout(tick, 2000);
  };
  window.setTimeout(tick, 2000);
})();
