// Progressive enhancement for the public pages: everything here also works without JavaScript.
(function () {
  "use strict";
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
})();
