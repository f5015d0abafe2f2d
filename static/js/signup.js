(function () {
  // Company details are shown only for a company account; without JavaScript they stay visible.
  var box = document.getElementById("company-fields");
  var radios = document.querySelectorAll("input[name='account_type']");
  function sync() {
    var checked = document.querySelector("input[name='account_type']:checked");
    if (box) { box.hidden = !(checked && checked.value === "company"); }
  }
  radios.forEach(function (r) { r.addEventListener("change", sync); });
  sync();
})();
