// The slot picker: the time shown beside «Подтвердить заявку» follows the one picked below; the page works without this.
(function () {
  var picker = document.getElementById("service-slots");
  var text = document.querySelector("[data-chosen-slot-text]");
  if (!picker || !text) return;
  picker.addEventListener("change", function (event) {
    var input = event.target;
    if (input.name !== "slot") return;
    var label = picker.querySelector('label[for="' + input.id + '"]');
    if (label) text.textContent = label.getAttribute("aria-label");
  });
})();
