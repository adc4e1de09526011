/* keepwarm's own script, served from /static (the Content-Security-Policy allows no inline script).
 * Two jobs htmx cannot do alone:
 *  - after Done, Snooze or Undo swaps a suggestion on Today, keyboard and screen-reader users would be
 *    left on a button that no longer exists; focus moves to the next open suggestion instead (or to the
 *    suggestion that Undo brought back). The result itself is announced by the server's response, out of
 *    band into the page's live region (#announce).
 *  - the Copy button of a draft puts its text on the clipboard and says "Copied" in its live region.
 */
(function () {
  "use strict";

  function isSuggestion(el) {
    return el instanceof HTMLElement && el.matches("ol.agenda > li");
  }

  /* The open suggestion after `li`, else the one before it, else `li` itself. */
  function nextOpen(li) {
    var el;
    for (el = li.nextElementSibling; el; el = el.nextElementSibling) {
      if (!el.classList.contains("done")) return el;
    }
    for (el = li.previousElementSibling; el; el = el.previousElementSibling) {
      if (!el.classList.contains("done")) return el;
    }
    return li;
  }

  document.addEventListener("htmx:afterSettle", function (ev) {
    var li = ev.target;
    if (!isSuggestion(li)) return;
    var target = li.classList.contains("done") ? nextOpen(li) : li;
    target.focus();
  });

  function copyText(textarea) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(textarea.value);
    }
    // plain http on another host: the older way still works from a click
    textarea.focus();
    textarea.select();
    var ok = document.execCommand("copy");
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  document.addEventListener("click", function (ev) {
    var button = ev.target instanceof Element ? ev.target.closest("button.copy") : null;
    if (!button) return;
    var textarea = document.getElementById(button.dataset.copy);
    var status = document.getElementById(button.dataset.status);
    if (!textarea || !status) return;
    status.textContent = "";  // a second "Copied" must be a change, or it is not announced again
    copyText(textarea).then(function () {
      status.textContent = "Copied";
    }, function () {
      status.textContent = "Could not copy: select the text and copy it yourself";
    });
    window.setTimeout(function () { status.textContent = ""; }, 5000);
  });
})();
