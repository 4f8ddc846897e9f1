// HamCoach: small progressive enhancements (the pages work without them).
// Session log: show only the rep fields that fit the chosen stage (one leg or both legs).
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select[data-stage-legs]")) {
    const box = select.closest("fieldset");
    const update = () => {
      const oneLeg = select.selectedOptions[0].dataset.singleLeg === "1";
      for (const group of box.querySelectorAll("[data-legs]")) {
        group.hidden = (group.dataset.legs === "one") !== oneLeg;
      }
      for (const hint of box.querySelectorAll("[data-legs-hint]")) hint.hidden = true;
    };
    select.addEventListener("change", update);
    update();
  }
});
