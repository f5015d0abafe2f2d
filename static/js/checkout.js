// Checkout: a new region or delivery method recalculates at once; the page works without this.
(function () {
  var form = document.querySelector("form[data-checkout]");
  if (!form) return;
  form.querySelectorAll("[data-hide-with-js]").forEach(function (el) { el.hidden = true; });
  function recalc() {
    var action = document.createElement("input");
    action.type = "hidden";
    action.name = "action";
    action.value = "refresh";
    form.appendChild(action);
    form.submit();
  }
  form.querySelectorAll("[data-autosubmit-change]").forEach(function (el) {
    el.addEventListener("change", recalc);
  });
  // Only the chosen method's details (points, windows, address) are shown.
  var chosen = form.querySelector("input[name=delivery]:checked");
  var kind = chosen ? chosen.value : "";
  form.querySelectorAll("[data-for-delivery]").forEach(function (el) {
    el.hidden = el.dataset.forDelivery.split(" ").indexOf(kind) === -1;
  });
})();
