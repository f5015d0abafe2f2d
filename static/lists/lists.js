// Favourites and compare: marks the toggles of this visitor's products and toggles them without a reload.
// The cards are shared by every visitor; the visitor's own ids come from the header links (a personal slot).
(function () {
  var LABELS = {
    favorites: ["В избранное", "В избранном"],
    compare: ["Сравнить", "В сравнении"],
  };
  var state = {};

  function link(kind) {
    return document.querySelector('[data-lists-kind="' + kind + '"]');
  }

  function read(kind) {
    var element = link(kind);
    var ids = element && element.dataset.listsIds ? element.dataset.listsIds.split(" ") : [];
    state[kind] = new Set(ids.filter(Boolean));
  }

  function mark(form) {
    var kind = form.dataset.listToggle;
    var product = form.querySelector('input[name="product"]').value;
    var active = state[kind].has(product);
    var button = form.querySelector("button");
    var label = form.querySelector("[data-list-label]");
    button.setAttribute("aria-pressed", active ? "true" : "false");
    button.classList.toggle("active", active);
    if (label) label.textContent = LABELS[kind][active ? 1 : 0];
  }

  function count(kind) {
    var element = link(kind);
    if (!element) return;
    element.dataset.listsIds = Array.from(state[kind]).join(" ");
    var badge = element.querySelector("[data-lists-count]");
    if (badge) {
      badge.textContent = String(state[kind].size);
      badge.classList.toggle("d-none", state[kind].size === 0);
    }
  }

  function tell(message, error) {
    var box = document.getElementById("lists-status");
    if (!box) {
      box = document.createElement("div");
      box.id = "lists-status";
      box.setAttribute("role", "status");
      box.className = "alert position-fixed bottom-0 end-0 m-3 shadow";
      document.body.appendChild(box);
    }
    box.classList.toggle("alert-warning", !!error);
    box.classList.toggle("alert-success", !error);
    box.textContent = message;
    clearTimeout(box.hideTimer);
    box.hideTimer = setTimeout(function () { box.remove(); }, 4000);
  }

  function bind(root) {
    root.querySelectorAll("form[data-list-toggle]").forEach(function (form) {
      mark(form);
      form.addEventListener("submit", function (event) {
        if (!window.fetch) return;
        event.preventDefault();
        var kind = form.dataset.listToggle;
        fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then(function (response) { return response.json(); })
          .then(function (answer) {
            state[kind] = new Set(answer.ids.map(String));
            count(kind);
            document.querySelectorAll('form[data-list-toggle="' + kind + '"]').forEach(mark);
            tell(answer.message, answer.error);
          })
          .catch(function () { form.submit(); });
      });
    });
  }

  ["favorites", "compare"].forEach(read);
  bind(document);

  // A page whose header could not tell the visitor's lists (a cold cache) leaves them to be asked for.
  var unknown = document.querySelector("[data-lists-state]");
  if (unknown && window.fetch) {
    fetch(unknown.dataset.listsState, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        ["favorites", "compare"].forEach(function (kind) {
          state[kind] = new Set(answer[kind].map(String));
          count(kind);
        });
        document.querySelectorAll("form[data-list-toggle]").forEach(mark);
      })
      .catch(function () {});
  }

  // «Вы смотрели»: the page is shared by everyone, so the visitor's own cards are asked for (and the page's
  // product recorded) once it has loaded.
  var viewed = document.querySelector("[data-viewed]");
  if (viewed && window.fetch) {
    var address = viewed.dataset.url + "?back=" + encodeURIComponent(location.pathname + location.search);
    if (viewed.dataset.product) address += "&current=" + encodeURIComponent(viewed.dataset.product);
    fetch(address, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (!html.trim()) return;
        var grid = viewed.querySelector("[data-viewed-cards]");
        grid.innerHTML = html;
        bind(grid);
        viewed.hidden = false;
      })
      .catch(function () {});
  }
})();
