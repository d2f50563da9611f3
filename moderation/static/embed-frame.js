// Inside the comment frame: tell the newsroom's page how tall the section is, take its SSO token, and open the
// OpenID sign-in in a pop-up. Messages go only to the page's origin (checked by the server against the allowed
// list) and are taken only from it, or from this service's own pop-up.
(function () {
  "use strict";
  var parentOrigin = document.body.getAttribute("data-parent-origin");
  if (window.parent === window) { return; }

  // A refusal page knows no allowed page to talk to: it still tells any page its height, which reveals nothing.
  function send(message) { window.parent.postMessage(message, parentOrigin || "*"); }

  var lastHeight = 0;
  function reportHeight() {
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height !== lastHeight) {
      lastHeight = height;
      send({ type: "moderation:resize", height: height });
    }
  }
  new ResizeObserver(reportHeight).observe(document.body);
  reportHeight();

  // The page the frame landed on names a comment (#c12 after posting): bring it into the reader's view.
  var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (target) { send({ type: "moderation:scroll", top: target.getBoundingClientRect().top }); }

  function submit(formId, field, value) {
    var form = document.getElementById(formId);
    if (form && typeof value === "string" && value) {
      form.elements[field].value = value;
      form.submit();
    }
  }

  window.addEventListener("message", function (event) {
    var data = event.data || {};
    if (parentOrigin && event.source === window.parent && event.origin === parentOrigin && data.type === "moderation:sso") {
      submit("sso-form", "token", data.token);
    } else if (event.origin === window.location.origin && data.type === "moderation:signed-in") {
      submit("handoff-form", "code", data.code);
    }
  });

  document.querySelectorAll("a[data-popup]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (window.open(link.href, "moderation-sign-in", "popup,width=520,height=700")) { event.preventDefault(); }
    });
  });

  send({ type: "moderation:ready", signedIn: document.body.hasAttribute("data-signed-in") });
})();
