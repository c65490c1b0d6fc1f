/* Questionnaire enhancements: autocomplete over the official lists (ARIA combobox), autosave of the draft,
   level choices that follow the country, character counters, focus on the error summary.
   The form works without this file: every feature here only saves typing. */
(function () {
  "use strict";

  var root = document.querySelector(".questionnaire[data-step]");
  var form = document.getElementById("questionnaire-form");
  if (!root || !form) { return; }

  function message(name, values) {
    var text = root.getAttribute("data-msg-" + name) || "";
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }

  function checkedCountry() {
    var radio = form.querySelector("input[name=country]:checked");
    return radio ? radio.value : "";
  }

  /* --- focus the error summary so screen readers and keyboards start there --------------------------- */
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }

  /* --- level options follow the chosen country --------------------------------------------------------- */
  var level = document.getElementById("level");
  function filterLevels() {
    if (!level) { return; }
    var country = checkedCountry();
    Array.prototype.forEach.call(level.querySelectorAll("optgroup"), function (group) {
      var other = country && group.getAttribute("data-country") !== country;
      group.hidden = !!other;
      group.disabled = !!other;
    });
    var selected = level.options[level.selectedIndex];
    if (selected && selected.parentNode.disabled) { level.value = ""; }
  }
  Array.prototype.forEach.call(form.querySelectorAll("input[name=country]"), function (radio) {
    radio.addEventListener("change", filterLevels);
  });
  filterLevels();

  /* --- a theme with a priority stands out, as it does when the page is drawn by the server --------------- */
  Array.prototype.forEach.call(form.querySelectorAll("fieldset.theme"), function (theme) {
    theme.addEventListener("change", function () {
      var chosen = theme.querySelector("input[name$='-priority']:checked");
      theme.classList.toggle("theme-chosen", !!(chosen && chosen.value));
    });
  });

  /* --- character counters -------------------------------------------------------------------------------- */
  Array.prototype.forEach.call(form.querySelectorAll("textarea[data-maxlength]"), function (area) {
    var counter = document.getElementById(area.id + "-counter");
    var limit = parseInt(area.getAttribute("data-maxlength"), 10);
    if (!counter) { return; }
    function update() {
      counter.hidden = false;
      counter.textContent = message("chars", { count: area.value.length, limit: limit });
      counter.classList.toggle("over-limit", area.value.length > limit);
    }
    area.addEventListener("input", update);
    update();
  });

  /* --- autocomplete (ARIA 1.2 combobox with a listbox popup) --------------------------------------------- */
  var input = form.querySelector("input[data-combobox]");
  if (input) { setUpCombobox(input); }

  function setUpCombobox(input) {
    var url = root.getAttribute("data-reference-url");
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var results = [];
    var active = -1;
    var timer = null;
    var lastQuery = "";
    list.id = input.id + "-listbox";
    list.className = "combobox-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-labelledby", input.id + "-label");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      active = index;
      Array.prototype.forEach.call(items, function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render() {
      list.innerHTML = "";
      results.forEach(function (row, i) {
        var item = document.createElement("li");
        var main = document.createElement("span");
        var detail = document.createElement("span");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        main.className = "option-name";
        main.textContent = row.name + (row.name_local && row.name_local !== row.name ? " · " + row.name_local : "");
        if (row.country === "KR") { main.lang = "ko"; }
        detail.className = "option-detail";
        detail.textContent = [row.level_label, row.region, row.code].filter(Boolean).join(" · ");
        item.appendChild(main);
        item.appendChild(detail);
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(item);
      });
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = message("results", { count: results.length });
      } else {
        close();
        status.textContent = input.value.trim().length >= 2 ? message("no-results") : "";
      }
      active = -1;
    }

    function setValue(name, value) {
      var field = form.elements[name];
      if (field && value !== null && value !== undefined) { field.value = String(value); }
    }

    function choose(index) {
      var row = results[index];
      if (!row) { return; }
      input.value = row.name;
      setValue("name_local", row.name_local);
      setValue("code", row.code);
      setValue("population", row.population === null ? "" : row.population);
      setValue("region", row.region);
      var radio = form.querySelector("input[name=country][value=" + row.country + "]");
      if (radio) { radio.checked = true; filterLevels(); }
      setValue("level", row.level);
      close();
      status.textContent = message("filled");
      markDirty();
    }

    function search() {
      var query = input.value.trim();
      if (query.length < 2) { results = []; render(); return; }
      if (query === lastQuery) { return; }
      lastQuery = query;
      var params = new URLSearchParams({ q: query });
      if (checkedCountry()) { params.set("country", checkedCountry()); }
      fetch(url + "?" + params.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (rows) { if (input.value.trim() === query) { results = rows; render(); } })
        .catch(function () { results = []; render(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      lastQuery = lastQuery === input.value.trim() ? lastQuery : "";
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && results.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { lastQuery = ""; search(); return; }
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp") {
        if (open) { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); choose(active); }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    Array.prototype.forEach.call(form.querySelectorAll("input[name=country]"), function (radio) {
      radio.addEventListener("change", function () { lastQuery = ""; });
    });
  }

  /* --- autosave ---------------------------------------------------------------------------------------- */
  var step = root.getAttribute("data-step");
  var autosaveUrl = root.getAttribute("data-autosave-url");
  var statusLine = document.getElementById("autosave-status");
  var dirty = false;
  var saving = false;

  function markDirty() { dirty = true; }
  form.addEventListener("input", markDirty);
  form.addEventListener("change", markDirty);
  form.addEventListener("submit", function () { dirty = false; });

  function autosave(leaving) {
    if (!dirty || saving || step === "review" || !autosaveUrl) { return; }
    var data = new FormData(form);
    data.set("step", step);
    dirty = false;
    saving = true;
    if (!leaving && statusLine) { statusLine.textContent = message("saving"); }
    fetch(autosaveUrl, {
      method: "POST", body: data, credentials: "same-origin", keepalive: !!leaving,
      headers: { "X-CSRFToken": data.get("csrf_token") || "", Accept: "application/json" }
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (result) {
      saving = false;
      if (result.body.csrf_token) { form.elements.csrf_token.value = result.body.csrf_token; }
      if (!statusLine || leaving) { return; }
      if (result.ok && result.body.saved) {
        statusLine.textContent = message("saved", { date: result.body.saved_date, time: result.body.saved_time });
      } else if (!result.ok) {
        dirty = true;
        statusLine.textContent = result.body.error || message("not-saved");
      }
    }).catch(function () {
      saving = false;
      dirty = true;
      if (statusLine && !leaving) { statusLine.textContent = message("not-saved"); }
    });
  }

  setInterval(function () { autosave(false); }, 20000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { autosave(true); }
  });
  window.addEventListener("pagehide", function () { autosave(true); });

  /* --- language switch: save the step first, so the page in the new language shows every answer ---------- */
  Array.prototype.forEach.call(document.querySelectorAll(".lang-switch a[hreflang]"), function (link) {
    link.addEventListener("click", function (event) {
      if (step === "review" || !autosaveUrl || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
      event.preventDefault();
      var data = new FormData(form);
      data.set("step", step);
      dirty = false;
      function go() { window.location.href = link.href; }
      fetch(autosaveUrl, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": data.get("csrf_token") || "", Accept: "application/json" }
      }).then(go, go);
    });
  });
})();
