// Service forms: a changed region, format, centre, date or goal recalculates at once; the pages work without this.
(function () {
  var form = document.querySelector("form[data-service-form]");
  if (!form) return;
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
})();
