// Paced breathing timer (progressive enhancement): the text instructions work without it.
// The circle grows while breathing in and shrinks while breathing out; when the reader
// prefers reduced motion the circle stays still and only the words change.
(function () {
  "use strict";
  document.querySelectorAll("[data-breathing]").forEach(function (box) {
    var circle = box.querySelector(".breathing-circle");
    var phase = box.querySelector(".breathing-phase");
    var clock = box.querySelector(".breathing-time");
    var button = box.querySelector(".breathing-toggle");
    var inSeconds = Number(box.dataset.in) || 4;
    var outSeconds = Number(box.dataset.out) || 6;
    var total = (Number(box.dataset.minutes) || 3) * 60;
    var still = window.matchMedia("(prefers-reduced-motion: reduce)");
    var timer = null;
    var elapsed = 0;
    var original = phase.textContent;

    function show(text) { phase.textContent = text; }
    function remaining() {
      var left = Math.max(0, total - elapsed);
      var m = Math.floor(left / 60);
      var s = left % 60;
      clock.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    }
    function setPhase(breathingIn) {
      show(breathingIn ? box.dataset.labelIn : box.dataset.labelOut);
      box.classList.toggle("is-in", breathingIn);
      box.classList.toggle("is-out", !breathingIn);
      if (!still.matches) {
        circle.style.transitionDuration = (breathingIn ? inSeconds : outSeconds) + "s";
      }
    }
    function stop(done) {
      window.clearInterval(timer);
      timer = null;
      box.classList.remove("is-running", "is-in", "is-out");
      button.textContent = box.dataset.labelStart;
      button.setAttribute("aria-pressed", "false");
      show(done ? box.dataset.labelDone : original);
    }
    function start() {
      elapsed = 0;
      box.classList.add("is-running");
      button.textContent = box.dataset.labelStop;
      button.setAttribute("aria-pressed", "true");
      setPhase(true);
      remaining();
      var cycle = inSeconds + outSeconds;
      timer = window.setInterval(function () {
        elapsed += 1;
        remaining();
        if (elapsed >= total) { stop(true); return; }
        var t = elapsed % cycle;
        if (t === 0) { setPhase(true); } else if (t === inSeconds) { setPhase(false); }
      }, 1000);
    }
    button.hidden = false;
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () { if (timer) { stop(false); } else { start(); } });
  });
})();
