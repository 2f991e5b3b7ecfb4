// Live totals and checks on a section form: progressive enhancement over the server-rendered form.
// Every cell, kind, message and rule comes from the JSON data block the server renders.
(function () {
  'use strict';
  const dataBlock = document.getElementById('template-rules');
  const form = document.getElementById('section-form');
  if (!dataBlock || !form || !window.GovInfoRules) return;
  const template = JSON.parse(dataBlock.textContent);
  const rules = window.GovInfoRules;
  const list = document.getElementById('violations');
  const ok = document.getElementById('checks-ok');
  const summary = document.getElementById('checks-summary');
  const inputs = Array.from(form.querySelectorAll('input[data-cell]'));
  const byId = new Map(inputs.map(i => [i.dataset.cell, i]));
  // The 元/万元 chooser beside a cell whose kind offers units (2019 采购总金额), by cell id.
  const unitOf = new Map(Array.from(form.querySelectorAll('select[data-unit-for]')).map(s => [s.dataset.unitFor, s]));

  function errorSpan(input) { return document.getElementById('e-' + input.id); }

  function recompute() {
    const typed = new Map();
    for (const input of inputs) {
      const cell = template.cells[input.dataset.cell];
      if (!cell || cell.computed) continue;
      const chooser = unitOf.get(input.dataset.cell);
      const parsed = rules.parseCell(input.value, template, input.dataset.cell, chooser ? chooser.value || null : null);
      const span = errorSpan(input);
      if (!input.dataset.serverError || input.value !== input.dataset.serverValue) {
        span.textContent = parsed.error ?? '';
        input.setAttribute('aria-invalid', parsed.error ? 'true' : 'false');
        input.parentElement.classList.toggle('has-error', !!parsed.error);
      }
      if (parsed.error === null && !parsed.blank) typed.set(input.dataset.cell, parsed.value);
    }
    const result = rules.evaluate(template, typed, template.context);
    for (const [id, input] of byId) {
      const cell = template.cells[id];
      if (cell && cell.computed) input.value = result.values.has(id) ? rules.format(result.values.get(id)) : '';
    }
    render(result.violations);
  }

  function render(violations) {
    list.replaceChildren();
    const involved = new Map();
    violations.forEach((v, i) => {
      const li = document.createElement('li');
      li.id = 'v-' + i;
      li.className = 'violation-' + v.severity;
      li.dataset.rule = v.ruleId;
      li.textContent = v.message;
      list.appendChild(li);
      if (v.incomplete) return;
      for (const id of v.cells) {
        if (!involved.has(id)) involved.set(id, []);
        involved.get(id).push({ id: li.id, severity: v.severity });
      }
    });
    ok.hidden = violations.length > 0;
    // Only this short line is a live region: the list itself is rebuilt on every keystroke.
    const errors = violations.filter(v => v.severity === 'error').length;
    const text = violations.length === 0 ? '没有问题' : errors + '个错误，' + (violations.length - errors) + '个提示';
    if (summary.textContent !== text) summary.textContent = text;
    for (const [id, input] of byId) {
      const marks = involved.get(id) ?? [];
      const td = input.parentElement;
      td.classList.toggle('rule-error', marks.some(m => m.severity === 'error'));
      td.classList.toggle('rule-warning', !marks.some(m => m.severity === 'error') && marks.some(m => m.severity === 'warning'));
      input.setAttribute('aria-describedby', ['e-' + input.id].concat(marks.map(m => m.id)).join(' '));
    }
  }

  // Keep a server-side message (e.g. a save conflict) until the clerk edits that cell.
  for (const input of inputs) {
    const span = errorSpan(input);
    if (span && span.textContent.trim()) {
      input.dataset.serverError = '1';
      input.dataset.serverValue = input.value;
    }
  }

  const counter = document.getElementById('length-count');
  const textareas = Array.from(form.querySelectorAll('textarea[data-part]'));
  function recount() {
    if (!counter) return;
    const length = textareas.reduce((n, t) => n + t.value.replace(/\r\n/g, '\n').length, 0);
    counter.textContent = length.toLocaleString('zh-CN');
    counter.classList.toggle('over', length > Number(counter.dataset.max));
  }

  form.addEventListener('input', e => {
    if (e.target.matches('input[data-cell], select[data-unit-for]')) recompute();
    if (e.target.matches('textarea[data-part]')) recount();
  });
  // Removing a part that holds text removes the text too: ask first (the server saves whatever is posted).
  form.addEventListener('click', e => {
    const button = e.target.closest('button[data-remove-part]');
    if (!button) return;
    const text = document.getElementById(button.dataset.removePart);
    if (text && text.value.trim() && !window.confirm(`删除“${button.dataset.partName}”及其中的文字？`)) e.preventDefault();
  });
  if (inputs.length > 0) recompute();
  recount();
})();
