// Keyboard access to the explanations beside the labels of the entry form (template "help"). The "?" buttons stay out
// of the Tab order so that Tab keeps moving from cell to cell; from a cell, F1 or "?" (never a valid character in a
// number) opens the explanation of the cell's row, or, in a table without row labels (表四), of its column. The popover
// closes itself on Esc; focus stays in the cell. Without this script the buttons still open their popovers on a click or tap.
document.addEventListener('keydown', event => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.dataset.cell) return;
  if (event.key !== 'F1' && event.key !== '?' && event.key !== '？') return;
  const [table, row, column] = input.dataset.cell.split('.');
  const button = document.querySelector(`.help-button[data-help-row="${table}.${row}"]`)
    ?? document.querySelector(`.help-button[data-help-column="${table}.${column}"]`);
  const popover = button && document.getElementById(button.getAttribute('popovertarget'));
  if (!popover) return;
  event.preventDefault();
  // The button as source makes it the popover's anchor, so it opens beside the label as after a click.
  if (!popover.matches(':popover-open')) popover.showPopover({ source: button });
});
