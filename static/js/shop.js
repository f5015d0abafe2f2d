// Small enhancements; every page works without them.
(function () {
  // Quantity steppers: the − and + buttons beside a number field.
  document.querySelectorAll(".qty-stepper").forEach(function (group) {
    var input = group.querySelector("input[type=number]");
    group.querySelectorAll("[data-step]").forEach(function (button) {
      button.addEventListener("click", function () {
        var min = parseInt(input.min || "1", 10), max = parseInt(input.max || "99", 10);
        var value = (parseInt(input.value, 10) || min) + parseInt(button.dataset.step, 10);
        input.value = Math.min(max, Math.max(min, value));
      });
    });
  });
  // Filters apply as soon as a checkbox changes; so does a sort select tied to the filter form.
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      if (event.target.type === "checkbox") form.submit();
    });
  });
  document.querySelectorAll("select[data-autosubmit-select]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // The header menu on narrow screens: the toggler shows and hides its target.
  document.querySelectorAll("[data-collapse-target]").forEach(function (button) {
    var target = document.querySelector(button.dataset.collapseTarget);
    button.addEventListener("click", function () {
      var open = target.classList.toggle("show");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
  // A message goes away with its close button.
  document.querySelectorAll("[data-dismiss-alert]").forEach(function (button) {
    button.addEventListener("click", function () { button.closest(".alert").remove(); });
  });
  // Gallery: a thumbnail shows its picture in the main frame.
  var main = document.querySelector("[data-gallery-main]");
  document.querySelectorAll("[data-gallery-thumb]").forEach(function (thumb) {
    thumb.addEventListener("click", function (event) {
      if (!main) return;
      event.preventDefault();
      main.href = thumb.href;
      main.querySelector("img").src = thumb.href;
      document.querySelectorAll("[data-gallery-thumb]").forEach(function (t) { t.classList.remove("is-active"); });
      thumb.classList.add("is-active");
    });
  });
  // Filters: the panel is open on a wide screen and folded on a phone (data-open-from is the width in px).
  var filters = document.getElementById("filters-panel");
  if (filters && filters.dataset.openFrom) {
    var wide = matchMedia("(min-width: " + filters.dataset.openFrom + "px)");
    var unfold = function () { if (wide.matches) filters.open = true; };
    unfold();
    wide.addEventListener("change", unfold);
  }
})();
