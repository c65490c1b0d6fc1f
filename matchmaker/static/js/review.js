// Review workspace: small progressive enhancements; every page works without this script.
(function () {
  "use strict";

  // Ask before an irreversible action (rejecting a pair closes it for good).
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });

  // Weights page: show the sum of the typed weights as they change.
  var sum = document.getElementById("weights-sum");
  var inputs = document.querySelectorAll(".weight-input");
  if (sum && inputs.length) {
    var update = function () {
      var total = 0;
      inputs.forEach(function (input) {
        var value = parseFloat(String(input.value).replace(",", "."));
        if (!isNaN(value)) { total += value; }
      });
      sum.textContent = "Σ = " + (Math.round(total * 10) / 10);
    };
    inputs.forEach(function (input) { input.addEventListener("input", update); });
    update();
  }
})();
