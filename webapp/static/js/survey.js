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

// Long answers: say how much is typed and warn before the limit; nothing is ever cut (the server
// checks the length and returns the text as typed). Characters are counted as the server counts them.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-max-length]").forEach(function (area) {
    var counter = document.getElementById(area.id + "-counter");
    if (!counter) return;
    var limit = parseInt(area.dataset.maxLength, 10);
    function update() {
      var given = Array.from(area.value.normalize("NFC")).length;
      var text = counter.dataset.count.replace("{given}", given.toLocaleString("vi-VN"));
      counter.classList.remove("near", "over");
      if (given > limit) {
        text = counter.dataset.over.replace("{over}", (given - limit).toLocaleString("vi-VN"));
        counter.classList.add("over");
      } else if (given >= limit * 0.9) {
        text += " " + counter.dataset.near.replace("{left}", (limit - given).toLocaleString("vi-VN"));
        counter.classList.add("near");
      }
      counter.textContent = text;
      counter.hidden = false;
    }
    area.addEventListener("input", update);
    if (area.value) update();
  });
})();

// After a refused page, focus goes to the error summary, whose links lead to each field.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
