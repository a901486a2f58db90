// The unit picker: every drop-down of units (options carrying data-path, from webapp.forms.unit_choices)
// becomes a searchable tree. The search ignores tone marks ("minh xuan" finds Phường Minh Xuân) and shows
// each match with the units above it; in a multiple choice, "cả cấp dưới" ticks a unit and all below it.
// The drop-down stays in the form and holds the choice, so without JavaScript it is the picker.
(function () {
  "use strict";
  var words = document.getElementById("unit-picker-words");
  if (!words) return;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }

  function enhance(select, index) {
    var options = Array.prototype.slice.call(select.options);
    var multiple = select.multiple;
    var base = (select.id || "units") + "-picker";
    if (document.getElementById(base + "-search")) base += "-" + index;  // two forms on a page may share a field id
    var box = document.createElement("div");
    box.className = "unit-picker";
    var label = document.createElement("label");
    label.htmlFor = base + "-search";
    label.textContent = words.dataset.search;
    var search = document.createElement("input");
    search.type = "search";
    search.id = base + "-search";
    search.autocomplete = "off";
    search.setAttribute("aria-describedby", base + "-count");
    var count = document.createElement("p");
    count.className = "hint";
    count.id = base + "-count";
    count.setAttribute("aria-live", "polite");
    var list = document.createElement("ul");
    list.className = "unit-tree";
    var group = document.createElement("div");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", words.dataset.list);  // the field's own label stays with the drop-down
    group.appendChild(list);

    var items = options.map(function (option) {
      var path = option.dataset.path || "";
      var name = option.dataset.name || option.textContent.trim();
      var item = document.createElement("li");
      item.style.setProperty("--depth", option.dataset.depth || 0);
      var choice = document.createElement("label");
      var input = document.createElement("input");
      input.type = multiple ? "checkbox" : "radio";
      input.name = base;
      input.value = option.value;
      input.checked = option.selected;
      input.addEventListener("change", function () {
        if (!multiple) options.forEach(function (o) { o.selected = false; });
        option.selected = input.checked;
        select.dispatchEvent(new Event("change", { bubbles: true }));
      });
      choice.appendChild(input);
      choice.appendChild(document.createTextNode(" " + name));
      item.appendChild(choice);
      return { option: option, input: input, item: item, path: path, folded: fold(name) };
    });

    if (multiple) {
      items.forEach(function (entry) {
        var below = items.filter(function (other) {
          return entry.path && other !== entry && other.path.indexOf(entry.path) === 0;
        });
        if (!below.length) return;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "link-button";
        button.textContent = words.dataset.below;
        button.setAttribute("aria-label", words.dataset.belowFor.replace("{name}", entry.option.dataset.name || ""));
        button.addEventListener("click", function () {
          [entry].concat(below).forEach(function (e) { e.input.checked = true; e.option.selected = true; });
        });
        entry.item.appendChild(document.createTextNode(" "));
        entry.item.appendChild(button);
      });
    }
    items.forEach(function (entry) { list.appendChild(entry.item); });

    function filter() {
      var query = fold(search.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      var matches = items.filter(function (entry) {
        return query.every(function (word) { return entry.folded.indexOf(word) !== -1; });
      });
      items.forEach(function (entry) {
        var visible = !query.length || matches.some(function (match) {
          return match === entry || (entry.path && match.path.indexOf(entry.path) === 0);
        });
        entry.item.hidden = !visible;
        entry.item.classList.toggle("match", query.length > 0 && matches.indexOf(entry) !== -1);
        if (visible) shown += 1;
      });
      count.textContent = words.dataset.count.replace("{n}", query.length ? matches.length : items.length);
      return shown;
    }
    search.addEventListener("input", filter);
    // Enter in the search box sends nothing; Arrow Down goes to the first match (or the first unit shown).
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
      if (event.key === "ArrowDown") {
        var shown = items.filter(function (e) { return !e.item.hidden; });
        var first = shown.filter(function (e) { return e.item.classList.contains("match"); })[0] || shown[0];
        if (first) { event.preventDefault(); first.input.focus(); }
      }
    });
    box.appendChild(label);
    box.appendChild(search);
    box.appendChild(count);
    box.appendChild(group);
    select.hidden = true;
    select.insertAdjacentElement("afterend", box);
    var hint = select.parentNode.querySelector(".hint-no-js");
    if (hint) hint.hidden = true;
    filter();
  }

  Array.prototype.forEach.call(document.querySelectorAll("select"), function (select, index) {
    if (select.querySelector("option[data-path]")) enhance(select, index);
  });
})();
