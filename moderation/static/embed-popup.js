// The OpenID sign-in pop-up's last page: hand the comment frame that opened it the signed code, then close.
(function () {
  "use strict";
  var holder = document.querySelector("[data-frame-code]");
  if (!holder || !window.opener) { return; }
  window.opener.postMessage({ type: "moderation:signed-in", code: holder.getAttribute("data-frame-code") },
                            window.location.origin);
  window.close();
})();
