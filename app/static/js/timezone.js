// Time-zone pickers: a search box that filters the grouped options (progressive enhancement;
// without this file the <select> with its <optgroup>s works as it is).
(() => {
  const fold = (text) =>
    text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/_/g, " ").toLowerCase();

  document.querySelectorAll("select[data-zone-search]").forEach((select) => {
    const search = document.createElement("input");
    search.type = "search";
    search.id = `${select.id}-search`;
    search.autocomplete = "off";
    search.className = "zone-search";
    const label = document.createElement("label");
    label.htmlFor = search.id;
    label.textContent = select.dataset.zoneSearch;
    const hint = document.createElement("p");
    hint.className = "hint";
    hint.id = `${select.id}-search-hint`;
    hint.textContent = select.dataset.zoneHint;
    const status = document.createElement("p");
    status.className = "hint zone-none";
    status.setAttribute("role", "status");
    search.setAttribute("aria-describedby", `${hint.id}`);
    search.setAttribute("aria-controls", select.id);
    select.before(label, hint, search);
    select.after(status);

    const options = [...select.options].map((option) => ({
      option,
      text: fold(`${option.textContent} ${option.value}`),
    }));
    search.addEventListener("input", () => {
      const words = fold(search.value).split(/\s+/).filter(Boolean);
      let first = null;
      options.forEach(({ option, text }) => {
        const match = words.every((word) => text.includes(word)) || option.selected;
        option.hidden = !match;
        if (match && !option.selected && first === null) first = option;
      });
      select.querySelectorAll("optgroup").forEach((group) => {
        group.hidden = ![...group.children].some((option) => !option.hidden);
      });
      const shown = options.filter(({ option }) => !option.hidden && !option.selected).length;
      status.textContent = words.length && shown === 0 ? select.dataset.zoneNone : "";
      // One match: choose it, so typing a city and saving is enough.
      if (words.length && shown === 1 && first) first.selected = true;
      select.size = words.length ? Math.min(8, Math.max(2, shown + 1)) : 0;
    });
  });
})();
