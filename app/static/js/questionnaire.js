// Questionnaires in one-question mode on a phone: one question per screen that moves on when an
// answer is tapped, with progress, back and skip. Progressive enhancement only: without this
// file the whole form shows, and the form posts exactly the same fields either way.
(() => {
  const form = document.querySelector("form[data-one-question]");
  const bar = document.querySelector("[data-one-question-bar]");
  if (!form || !bar || !window.matchMedia("(max-width: 40rem)").matches) {
    return;
  }
  const screens = Array.from(form.querySelectorAll(".question-screen"));
  if (screens.length < 2) {
    return;
  }
  const nav = form.querySelector("[data-one-question-nav]");
  const end = form.querySelector("[data-one-question-end]");
  const label = bar.querySelector("[data-one-question-label]");
  const progress = bar.querySelector("progress");
  const button = (name) => form.querySelector(`[data-nav="${name}"]`);
  const summary = document.getElementById("unanswered");
  let current = 0;
  let lastPointer = 0;

  const answered = (screen) => screen.querySelector("input:checked") !== null;
  // The next question without an answer after `index`, or the end when there is none.
  const nextUnanswered = (index) => {
    const next = screens.findIndex((screen, n) => n > index && !answered(screen));
    return next === -1 ? screens.length : next;
  };

  function show(index, moveFocus) {
    current = Math.max(0, Math.min(index, screens.length));
    const atEnd = current === screens.length;
    screens.forEach((screen, n) => {
      screen.hidden = n !== current;
    });
    end.hidden = !atEnd;
    label.textContent = atEnd ? bar.dataset.endLabel : screens[current].dataset.progress;
    progress.value = current;
    progress.textContent = String(current);
    button("back").hidden = current === 0;
    button("skip").hidden = atEnd || answered(screens[current]);
    button("next").hidden = atEnd || !answered(screens[current]);
    if (moveFocus) {
      const target = atEnd ? end.querySelector("button") : screens[current].querySelector("fieldset");
      target.focus();
      bar.scrollIntoView({ block: "start" });
    }
  }

  function showAll() {
    form.classList.remove("one-question");
    screens.forEach((screen) => {
      screen.hidden = false;
    });
    nav.hidden = true;
    bar.hidden = true;
    end.hidden = false;
    button("all").hidden = true;
  }

  form.classList.add("one-question");
  screens.forEach((screen) => screen.querySelector("fieldset").setAttribute("tabindex", "-1"));
  bar.hidden = false;
  nav.hidden = false;
  button("all").hidden = false;
  document.querySelectorAll("[data-one-question-hide]").forEach((element) => {
    element.hidden = true;
  });

  button("back").addEventListener("click", () => show(current - 1, true));
  button("skip").addEventListener("click", () => show(current + 1, true));
  button("next").addEventListener("click", () => show(current + 1, true));
  button("all").addEventListener("click", showAll);

  // A tap (pointer) on an answer moves on; arrow keys only change the answer, so keyboard users
  // move on with "Next" when they are ready.
  form.addEventListener("pointerdown", () => {
    lastPointer = Date.now();
  });
  form.addEventListener("change", (event) => {
    if (!form.classList.contains("one-question") || !(event.target instanceof HTMLInputElement)) {
      return;
    }
    show(current, false);
    if (Date.now() - lastPointer < 1500) {
      window.setTimeout(() => show(nextUnanswered(current), true), 250);
    }
  });

  // Links to a question (the list of unanswered ones) open that question's screen.
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[data-question]") : null;
    const question = link && form.classList.contains("one-question") ? document.getElementById(link.dataset.question) : null;
    if (question) {
      event.preventDefault();
      show(screens.indexOf(question.closest(".question-screen")), true);
    }
  });

  if (summary) {
    show(screens.length, false);
    summary.focus();
  } else {
    show(answered(screens[0]) ? nextUnanswered(0) % screens.length : 0, false);
  }
})();
