// Progressive enhancement: hide a question whose condition depends on another question of the
// same page until that condition is met. Without JavaScript the question shows with a hint,
// and the server ignores its answer when the condition is not met.
(function () {
  "use strict";
  var form = document.querySelector(".survey-form");
  if (!form) return;
  var dependents = form.querySelectorAll("[data-show-if]");
  function update() {
    dependents.forEach(function (block) {
      var source = form.querySelectorAll('[name="q_' + block.dataset.showIf + '"]');
      if (!source.length || source[0].type === "hidden") return;
      var wanted = block.dataset.showValues.split("|");
      var met = Array.prototype.some.call(source, function (input) {
        var chosen = (input.type === "radio" || input.type === "checkbox") ? input.checked : true;
        return chosen && wanted.indexOf(input.value) !== -1;
      });
      block.hidden = !met;
      block.querySelectorAll(".condition-hint").forEach(function (hint) { hint.hidden = true; });
    });
  }
  form.addEventListener("change", update);
  update();
})();
