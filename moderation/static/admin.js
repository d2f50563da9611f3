// Keyboard moderation for the queue, as progressive enhancement: every action is a plain form that works
// without this script. j/k move between items, a/r/f/x/o act on the current one, u undoes, ? shows the keys.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-item]"));
  var current = -1;

  function select(index) {
    if (!items.length) { return; }
    index = Math.max(0, Math.min(items.length - 1, index));
    if (current >= 0 && items[current]) { items[current].classList.remove("current"); }
    current = index;
    var item = items[current];
    item.classList.add("current");
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function press(scope, key) {
    var target = scope && scope.querySelector('[data-key="' + key + '"]');
    if (!target) { return false; }
    if (target.type === "checkbox") { target.checked = !target.checked; } else { target.click(); }
    return true;
  }

  function typing(element) {
    return element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
  }

  var initial = location.hash.match(/^#item-(\d+)$/);
  var start = initial ? items.findIndex(function (el) { return el.id === "item-" + initial[1]; }) : 0;
  if (items.length) { select(start >= 0 ? start : 0); }

  items.forEach(function (item, index) {
    item.addEventListener("click", function () { if (current !== index) { select(index); } });
  });

  // Enter in a reject form's reason list submits it (a select alone does not).
  document.querySelectorAll("[data-reason]").forEach(function (list) {
    list.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); list.form.requestSubmit(); }
      if (event.key === "Escape") { list.blur(); if (items[current]) { items[current].focus(); } }
    });
  });

  var selectAll = document.querySelector("[data-select-all]");
  if (selectAll) {
    selectAll.addEventListener("click", function () {
      var boxes = document.querySelectorAll('input[name="item"][form="bulk"]');
      var check = Array.prototype.some.call(boxes, function (box) { return !box.checked; });
      boxes.forEach(function (box) { box.checked = check; });
    });
  }

  // A live region filled before the page loads is not read out: put its messages back a moment after load, so that
  // screen readers announce what was just done (or refused) wherever the page landed.
  document.querySelectorAll("[data-announce], [data-message]").forEach(function (region) {
    var nodes = Array.prototype.slice.call(region.childNodes);
    if (!nodes.length) { return; }
    nodes.forEach(function (node) { region.removeChild(node); });
    setTimeout(function () { nodes.forEach(function (node) { region.appendChild(node); }); }, 150);
  });

  // "3 new comments", as Coral does: ask the server now and then how many comments reached this queue since the
  // page was drawn, and offer to show them; nothing moves under the moderator's cursor until they ask.
  var news = document.querySelector("[data-news]");
  if (news) {
    var every = Math.max(1, parseInt(news.getAttribute("data-every"), 10) || 20) * 1000;
    var poll = function () {
      if (document.visibilityState === "hidden") { setTimeout(poll, every); return; }
      fetch(news.getAttribute("data-news"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
          if (answer && answer["new"] > 0) {
            var link = news.querySelector("a") || news.appendChild(document.createElement("a"));
            link.href = location.pathname + location.search;
            link.textContent = answer.label + " \u2013 show";
          }
          setTimeout(poll, every);
        })
        .catch(function () { setTimeout(poll, every * 3); });
    };
    setTimeout(poll, every);
  }

  var help = document.getElementById("shortcuts");
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var item = items[current];
    var handled = true;
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "a": handled = press(item, "a"); break;
      case "r": handled = press(item, "r"); break;
      case "R":
        var reason = item && item.querySelector("[data-reason]");
        if (reason) { reason.focus(); } else { handled = false; }
        break;
      case "f": handled = press(item, "f"); break;
      case "x": handled = press(item, "x"); break;
      case "o": handled = press(item, "o"); break;
      case "u": handled = press(document, "u"); break;
      case "n": handled = press(document, "n"); break;
      case "p": handled = press(document, "p"); break;
      case "?": if (help) { help.open = !help.open; if (help.open) { help.scrollIntoView({ block: "nearest" }); } } break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });
})();
