// The why-not box: as a name is typed, ask the server for matching talents and fill the
// <datalist> under the input. The page works without this script (the server resolves
// a typed name, listing choices when several talents share it).
(function () {
  "use strict";
  var form = document.querySelector("form.why-not-ask");
  if (!form) { return; }
  var input = form.querySelector("input[name=who]");
  var list = document.getElementById(input.getAttribute("list"));
  var url = form.getAttribute("data-names-url");
  var timer = null;
  var asked = "";
  function fill(items) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    items.forEach(function (item) {
      var option = document.createElement("option");
      option.value = item.value;
      option.label = item.label;
      option.textContent = item.label;
      list.appendChild(option);
    });
  }
  function ask() {
    var q = input.value.trim();
    if (!q || q === asked || /^\d+$/.test(q)) { return; }
    asked = q;
    fetch(url + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (data) { if (input.value.trim() === q) { fill(data.items); } })
      .catch(function () {});
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 200);
  });
}());
