// Progressive enhancement for the public pages: everything here also works without JavaScript.
(function () {
  "use strict";
  // A message just given (posted, held, refused...) takes the focus: a screen reader reads it, and the page shows it
  // even when the browser restored an older scroll position. The admin's keyboard shortcuts keep their own focus.
  var message = document.querySelector("body:not(.admin) [data-message]");
  if (message) {
    message.focus();
  }

  var link = document.querySelector("[data-hide-comments]");
  var dialog = document.getElementById("hide-dialog");
  if (link && dialog && typeof dialog.showModal === "function") {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      dialog.showModal();
    });
    dialog.querySelectorAll("[data-close-dialog]").forEach(function (button) {
      button.addEventListener("click", function () { dialog.close(); });
    });
  }

  // A live count under each comment box, instead of a maxlength that silently cuts a long paste: the reader sees
  // how far over the policy's limit the text is, and the server's refusal keeps the text when JavaScript is off.
  // Numbers as the page's language writes them; the words come translated in the count's data- attributes
  // (moderation/templates/public/_char_count.html), with {over} and {limit} where the numbers go.
  var number = new Intl.NumberFormat(document.documentElement.lang || "en");
  function filled(template, over, limit) {
    return template.replace("{over}", number.format(over)).replace("{limit}", number.format(limit));
  }
  document.querySelectorAll("textarea[data-max-length]").forEach(function (textarea) {
    var count = document.getElementById(textarea.id + "-count");
    var limit = Number(textarea.getAttribute("data-max-length"));
    function update() {
      var length = Array.from(textarea.value).length;  // code points, as the server counts them
      var over = length - limit;
      count.textContent = number.format(length) + " / " + number.format(limit) +
        (over > 0 ? ": " + filled(count.getAttribute("data-too-many"), over, limit) : "");
      count.classList.toggle("over", over > 0);
      textarea.setCustomValidity(over > 0 ? filled(count.getAttribute("data-too-long"), over, limit) : "");
    }
    textarea.addEventListener("input", update);
    update();
  });
})();
