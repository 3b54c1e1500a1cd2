// Progressive enhancement of the feedback form: places appear as the resident types.
// Without this script the "Tìm" button does the same through the server.
(function () {
  "use strict";
  var form = document.getElementById("feedback-form");
  if (!form || !window.fetch) { return; }
  var input = document.getElementById("id_place_query");
  var results = document.getElementById("place-results");
  var url = form.getAttribute("data-places-url");
  var legend = form.getAttribute("data-places-legend");
  var none = form.getAttribute("data-places-none");
  var timer = null;
  var latest = 0;

  function checkedValue() {
    var checked = form.querySelector("input[name=unit]:checked");
    return checked ? checked.value : "";
  }

  function render(items, query) {
    var keep = checkedValue();
    results.textContent = "";
    if (!items.length) {
      var p = document.createElement("p");
      p.className = "muted";
      p.textContent = none;
      results.appendChild(p);
      return;
    }
    var fieldset = document.createElement("fieldset");
    fieldset.className = "places";
    var caption = document.createElement("legend");
    caption.textContent = legend;
    fieldset.appendChild(caption);
    items.forEach(function (item) {
      var label = document.createElement("label");
      label.className = "choice";
      var radio = document.createElement("input");
      radio.type = "radio";
      radio.name = "unit";
      radio.value = String(item.id);
      if (radio.value === keep || items.length === 1) { radio.checked = true; }
      label.appendChild(radio);
      label.appendChild(document.createTextNode(" " + item.label));
      fieldset.appendChild(label);
    });
    results.appendChild(fieldset);
  }

  function search() {
    var query = input.value.trim();
    if (query.length < 2) { return; }
    var ticket = ++latest;
    fetch(url + "?q=" + encodeURIComponent(query), { headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && ticket === latest) { render(data.results || [], query); }
      })
      .catch(function () { /* the Tìm button still works */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 300);
  });
})();
