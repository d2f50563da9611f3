// The newsroom's snippet: put this service's comment section for the story in a frame (docs/embed.md).
//   <div data-moderation-comments data-story-url="https://news.example/2026/11/30/story"
//        data-story-id="cms-123" data-story-title="The headline" data-sso-token="JWT (optional)">
//     <a href="https://comments.example/stories/by-url?url=...">Read and join the comments</a>
//   </div>
//   <script src="https://comments.example/static/embed.js" defer></script>
// Without JavaScript the link stays. Messages are taken only from the frame this script made, from this service's
// origin, and sent only to it.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var service = new URL(script.src).origin;
  var MIN_HEIGHT = 120;
  var MAX_HEIGHT = 200000;

  function canonicalUrl() {
    var link = document.querySelector('link[rel="canonical"]');
    return link ? link.href : window.location.href.split(/[?#]/)[0];
  }

  function embed(host) {
    var params = new URLSearchParams({ url: host.getAttribute("data-story-url") || canonicalUrl(),
                                       origin: window.location.origin });
    ["story-id", "story-title"].forEach(function (name) {
      var value = host.getAttribute("data-" + name);
      if (value) { params.set(name === "story-id" ? "story_id" : "title", value); }
    });
    var ssoToken = host.getAttribute("data-sso-token");
    var frame = document.createElement("iframe");
    frame.src = service + "/embed/stream?" + params.toString();
    frame.title = "Comments";
    frame.style.width = "100%";
    frame.style.height = "480px";
    frame.style.border = "0";
    frame.style.display = "block";
    window.addEventListener("message", function (event) {
      if (event.origin !== service || event.source !== frame.contentWindow) { return; }
      var data = event.data || {};
      if (data.type === "moderation:resize" && typeof data.height === "number") {
        frame.style.height = Math.min(Math.max(Math.ceil(data.height), MIN_HEIGHT), MAX_HEIGHT) + "px";
      } else if (data.type === "moderation:ready" && ssoToken && !data.signedIn) {
        // An SSO token signs in once (its id is remembered): hand it over the first time the frame asks.
        frame.contentWindow.postMessage({ type: "moderation:sso", token: ssoToken }, service);
        ssoToken = null;
      } else if (data.type === "moderation:scroll" && typeof data.top === "number") {
        window.scrollTo({ top: frame.getBoundingClientRect().top + window.scrollY + data.top - 16 });
      }
    });
    host.replaceChildren(frame);
  }

  document.querySelectorAll("[data-moderation-comments]").forEach(embed);
})();
