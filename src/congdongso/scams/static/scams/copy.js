// One tap copies the ready-to-paste Zalo text; "copy and open" then opens the team's Zalo group.
(function () {
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallback(text); });
    }
    return fallback(text);
  }
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-10000px";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(area); }
    return Promise.resolve();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    event.preventDefault();
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source) return;
    var open = button.getAttribute("data-open");
    copy(source.value || source.textContent).then(function () {
      button.setAttribute("data-copied", "1");
      var label = button.getAttribute("data-done-label");
      if (label) button.textContent = label;
      if (open) window.open(open, "_blank", "noopener");
    });
  });
})();
