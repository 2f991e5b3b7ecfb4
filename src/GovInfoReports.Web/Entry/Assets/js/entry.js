// The section form in the browser: progressive enhancement over the server-rendered form (it saves without JS).
// Every cell, kind, message and rule comes from the section's rules the server hands over (rules.js pageTemplate). What it adds:
// - live totals and checks; each input error next to its cell and, with every rule violation, once in the list,
//   whose entries jump to the cells; the cells of a violated rule outlined;
// - nothing typed is lost: a draft of every changed field is kept in this browser (localStorage) until the server
//   has it; the draft autosaves through the same merge-save as 保存 (at most every 30 s while typing, and before
//   leaving for another page); leaving with changes that could not be saved asks first;
// - Enter moves down a column, Shift+Enter up (Tab moves along a row, as the browser does);
// - sticky column headers and row labels.
(function () {
  'use strict';
  const form = document.getElementById('section-form');
  if (!form || !window.GovInfoRules) return;
  const template = window.GovInfoRules.pageTemplate();
  if (!template) return;
  const rules = window.GovInfoRules;
  const list = document.getElementById('violations');
  const ok = document.getElementById('checks-ok');
  const summary = document.getElementById('checks-summary');
  const jump = document.getElementById('checks-jump');
  const inputs = Array.from(form.querySelectorAll('input[data-cell]'));
  const byId = new Map(inputs.map(i => [i.dataset.cell, i]));
  // The 元/万元 chooser beside a cell whose kind offers units (2019 采购总金额), by cell id.
  const unitOf = new Map(Array.from(form.querySelectorAll('select[data-unit-for]')).map(s => [s.dataset.unitFor, s]));
  const editable = form.dataset.editable === 'true';

  function errorSpan(input) { return document.getElementById('e-' + input.id); }
  function nameOf(input) { return input.getAttribute('aria-label') || input.dataset.cell; }

  // ---- Live totals and checks -------------------------------------------------------------------------------
  function recompute() {
    const typed = new Map();
    const inputErrors = [];
    for (const input of inputs) {
      const cell = template.cells[input.dataset.cell];
      if (!cell || cell.computed) continue;
      const chooser = unitOf.get(input.dataset.cell);
      const parsed = rules.parseCell(input.value, template, input.dataset.cell, chooser ? chooser.value || null : null);
      const span = errorSpan(input);
      const keepsServerError = input.dataset.serverError && input.value === input.dataset.serverValue;
      if (!keepsServerError) {
        span.textContent = parsed.error ?? '';
        input.setAttribute('aria-invalid', parsed.error ? 'true' : 'false');
        input.parentElement.classList.toggle('has-error', !!parsed.error);
        // A server message (e.g. a save conflict) is listed at the top of the page already.
        if (parsed.error) inputErrors.push({ input, message: parsed.error });
      }
      if (parsed.error === null && !parsed.blank) typed.set(input.dataset.cell, parsed.value);
    }
    const result = rules.evaluate(template, typed, template.context, template.previous || null);
    for (const [id, input] of byId) {
      const cell = template.cells[id];
      if (cell && cell.computed) input.value = result.values.has(id) ? rules.format(result.values.get(id)) : '';
    }
    render(inputErrors, result.violations);
    return result;
  }

  function entry(id, className, text, targetId) {
    const li = document.createElement('li');
    li.id = id;
    li.className = className;
    if (targetId) {
      const a = document.createElement('a');
      a.href = '#' + targetId;
      a.textContent = text;
      li.appendChild(a);
    } else {
      li.textContent = text;
    }
    return li;
  }

  function render(inputErrors, violations) {
    list.replaceChildren();
    const involved = new Map();
    inputErrors.forEach((e, i) => {
      const li = entry('ie-' + i, 'violation-error input-error', nameOf(e.input) + '：' + e.message, e.input.id);
      li.dataset.cell = e.input.dataset.cell;
      list.appendChild(li);
    });
    // A cell with bad input counts as blank; its message is listed already, so "N cells blank" is not repeated
    // for it alone.
    const badCells = new Set(inputErrors.map(e => e.input.dataset.cell));
    violations = violations.filter(v => !(v.incomplete && v.cells.every(id => badCells.has(id))));
    violations.forEach((v, i) => {
      // The entry jumps to the first cell of the rule that can be typed into (a total is computed from it).
      const target = v.cells.map(id => byId.get(id)).find(input => input && !input.readOnly) ?? byId.get(v.cells[0]);
      const li = entry('v-' + i, 'violation-' + v.severity, v.message, target ? target.id : null);
      li.dataset.rule = v.ruleId;
      list.appendChild(li);
      if (v.incomplete) return;
      for (const id of v.cells) {
        if (!involved.has(id)) involved.set(id, []);
        involved.get(id).push({ id: li.id, severity: v.severity });
      }
    });
    const count = inputErrors.length + violations.length;
    ok.hidden = count > 0;
    // Only this short line is a live region: the list itself is rebuilt on every keystroke.
    const errors = inputErrors.length + violations.filter(v => v.severity === 'error').length;
    const text = count === 0 ? '没有问题' : errors + '个错误，' + (count - errors) + '个提示';
    if (summary.textContent !== text) summary.textContent = text;
    if (jump) {
      jump.textContent = count === 0 ? '校验：没有问题' : '校验：' + text;
      jump.classList.toggle('has-problems', errors > 0);
    }
    for (const [id, input] of byId) {
      const marks = involved.get(id) ?? [];
      const td = input.parentElement;
      td.classList.toggle('rule-error', marks.some(m => m.severity === 'error'));
      td.classList.toggle('rule-warning', !marks.some(m => m.severity === 'error') && marks.some(m => m.severity === 'warning'));
      input.setAttribute('aria-describedby', ['e-' + input.id].concat(marks.map(m => m.id)).join(' '));
    }
  }

  // A list entry focuses its cell (the sticky headers leave room above it: scroll-margin in site.css).
  list.addEventListener('click', e => {
    const a = e.target.closest('a[href^="#"]');
    const target = a && document.getElementById(a.getAttribute('href').slice(1));
    if (!target) return;
    e.preventDefault();
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: 'center', inline: 'nearest' });
  });

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

  // ---- Enter moves down a column ---------------------------------------------------------------------------
  // The cell below is found on screen (same table, next row down, nearest column), so merged labels and
  // computed cells need no knowledge of the layout here.
  function cellBelow(input, up) {
    const table = input.closest('table');
    const here = input.getBoundingClientRect();
    const x = here.left + here.width / 2;
    let best = null;
    for (const other of table.querySelectorAll('input[data-cell]')) {
      if (other.readOnly || other === input) continue;
      const r = other.getBoundingClientRect();
      const dy = up ? here.top - r.top : r.top - here.top;
      if (dy < here.height / 2) continue;
      const score = dy * 1000 + Math.abs(r.left + r.width / 2 - x);
      if (Math.abs(r.left + r.width / 2 - x) > here.width) continue;
      if (!best || score < best.score) best = { input: other, score };
    }
    return best && best.input;
  }
  form.addEventListener('keydown', e => {
    if (e.key !== 'Enter' || e.isComposing || e.ctrlKey || e.altKey || e.metaKey || !e.target.matches('input[data-cell]')) return;
    e.preventDefault();
    const next = cellBelow(e.target, e.shiftKey);
    if (next) { next.focus(); next.select(); }
  });

  // ---- Sticky headers and row labels ------------------------------------------------------------------------
  // CSS makes header and label cells sticky; each needs its own offset (several header rows, several label
  // columns), measured after layout.
  function stick() {
    for (const table of form.querySelectorAll('table.statutory:not(.blocks)')) {
      const cells = Array.from(table.querySelectorAll('thead th, thead td, tbody th'));
      // Measured with no offsets set (a cell with auto offsets sits where the table puts it), then all set at once.
      for (const cell of cells) { cell.style.top = ''; cell.style.left = ''; }
      const origin = table.getBoundingClientRect();
      const offsets = cells.map(cell => {
        const r = cell.getBoundingClientRect();
        return cell.closest('thead') ? { top: r.top - origin.top, left: null } : { top: null, left: r.left - origin.left };
      });
      cells.forEach((cell, i) => {
        if (offsets[i].top !== null) cell.style.top = offsets[i].top + 'px';
        if (offsets[i].left !== null) cell.style.left = offsets[i].left + 'px';
      });
    }
  }
  stick();
  window.addEventListener('resize', stick);

  if (!editable) {
    form.addEventListener('input', e => {
      if (e.target.matches('input[data-cell], select[data-unit-for]')) recompute();
      if (e.target.matches('textarea[data-part]')) recount();
    });
    if (inputs.length > 0) recompute();
    recount();
    return;
  }

  // ---- Nothing typed is lost ---------------------------------------------------------------------------------
  // A field's "base" is what the server holds for it as far as this page knows; the field is dirty when what it
  // shows differs. Cells compare as numbers (5 and 5.0 are the same), texts as written (CRLF as LF).
  const status = document.getElementById('autosave-status');
  const restoredNotice = document.getElementById('draft-restored');
  const storageKey = 'govinforeports:draft:' + form.dataset.report + ':' + form.dataset.section;
  const autosaveUrl = form.dataset.autosaveUrl;
  const autosaveMs = Number(form.dataset.autosaveMs || 30000);

  // The fields a draft can hold: typed cells, their units, part texts and headings. Each knows its hidden
  // "original" field (what the form posts back for the merge), if any.
  const fields = Array.from(form.querySelectorAll('input[name^="Input.Cells["], select[name^="Input.Units["], textarea[name^="Input.Texts["], input[name^="Input.Parts["][name$="].Heading"]'));
  function originalOf(field) {
    const name = field.name;
    if (name.startsWith('Input.Cells[')) return form.elements['Input.Original[' + name.slice(12)];
    if (name.startsWith('Input.Units[')) return form.elements['Input.OriginalUnits[' + name.slice(12)];
    if (name.startsWith('Input.Texts[')) return form.elements['Input.TextHashes[' + name.slice(12)];
    return null;
  }
  function partKeyOf(field) {
    const m = /^Input\.Parts\[(\d+)\]\.Heading$/.exec(field.name);
    return m ? (form.elements['Input.Parts[' + m[1] + '].Key'] || {}).value : null;
  }
  function same(field, a, b) {
    if (field.dataset.cell) {
      const pa = rules.parseCell(a, template, field.dataset.cell, null);
      const pb = rules.parseCell(b, template, field.dataset.cell, null);
      if (!pa.error && !pb.error) return pa.blank === pb.blank && pa.value === pb.value;
      return String(a).trim() === String(b).trim();
    }
    return String(a).replace(/\r\n/g, '\n') === String(b).replace(/\r\n/g, '\n');
  }
  const base = new Map();
  for (const field of fields) {
    // A cell's base is its hidden original; a text or heading the server drew as unsaved (after a refused save)
    // has no base here: it stays dirty until saved.
    if (field.dataset.cell) base.set(field.name, originalOf(field).value);
    else if (field.tagName === 'SELECT') base.set(field.name, originalOf(field) ? originalOf(field).value : field.value);
    else base.set(field.name, field.dataset.unsaved === 'true' ? null : field.defaultValue);
  }
  function isDirty(field) {
    if (!base.has(field.name)) return false;
    const b = base.get(field.name);
    return b === null || !same(field, field.value, b);
  }
  function dirtyFields() { return fields.filter(isDirty); }

  function readDraft() {
    try { return JSON.parse(localStorage.getItem(storageKey) || 'null') || { fields: {} }; } catch { return { fields: {} }; }
  }
  // Returns how many fields are dirty (the draft holds exactly those).
  function writeDraft() {
    const draft = { at: Date.now(), fields: {} };
    const dirty = dirtyFields();
    for (const field of dirty) {
      const original = originalOf(field);
      draft.fields[field.name] = { value: field.value, original: original ? original.value : null, key: partKeyOf(field) };
    }
    try {
      if (Object.keys(draft.fields).length === 0) localStorage.removeItem(storageKey);
      else localStorage.setItem(storageKey, JSON.stringify(draft));
    } catch { /* storage full or disabled: the guard still asks before leaving */ }
    return dirty.length;
  }

  // On load, what this browser kept and the server does not have yet is put back into the form, with the original
  // the clerk started from, so the next save still detects someone else's change.
  function restore() {
    const draft = readDraft();
    let restored = 0;
    for (const [name, kept] of Object.entries(draft.fields || {})) {
      const field = form.elements[name];
      if (!field || !fields.includes(field)) continue;
      if (kept.key && partKeyOf(field) !== kept.key) continue;
      const original = originalOf(field);
      if (same(field, field.value, kept.value)) {
        // Shown as kept: either saved (then not dirty) or drawn back by a refused save with the page's own original.
        continue;
      }
      field.value = kept.value;
      if (original && kept.original !== null && field.dataset.cell) {
        original.value = kept.original;
        base.set(name, kept.original);
      } else if (original && kept.original !== null && name.startsWith('Input.Texts[')) {
        original.value = kept.original;
      }
      restored++;
    }
    if (restored > 0 && restoredNotice) {
      restoredNotice.textContent = '已恢复本浏览器中保存的' + restored + '处未保存的输入，请核对后保存。';
      restoredNotice.hidden = false;
    }
    writeDraft();
  }

  function setStatus(text, problem) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle('problem', !!problem);
  }

  let saving = null;
  let timer = null;
  let leaving = false;

  // Posts the whole form, as 保存 would, to the autosave handler. A narrative outline with parts added in the form
  // (keys new-N) is left for 保存: saving it here would give those parts ids the page does not know.
  async function autosave() {
    if (saving) return saving;
    clearTimeout(timer);
    timer = null;
    const sent = dirtyFields();
    if (sent.length === 0) return true;
    const data = new FormData(form);
    const newParts = Array.from(form.querySelectorAll('input[name^="Input.Parts["][name$="].Key"]')).some(k => k.value.startsWith('new-'));
    if (newParts) {
      for (const key of Array.from(data.keys())) if (key.startsWith('Input.Parts[') || key === 'Input.OutlineHash') data.delete(key);
    }
    const values = new Map(sent.map(f => [f.name, f.value]));
    setStatus('正在自动保存…');
    saving = (async () => {
      try {
        const response = await fetch(autosaveUrl, { method: 'POST', body: data, headers: { 'Accept': 'application/json' }, credentials: 'same-origin' });
        const answer = await response.json().catch(() => null);
        if (!answer) { setStatus('未能自动保存（' + response.status + '），输入保存在本浏览器中', true); return false; }
        if (answer.refusal) { setStatus('未能自动保存：' + answer.refusal, true); return false; }
        const problems = new Set(Object.keys(answer.errors || {}).concat(answer.conflicts || []));
        for (const field of sent) {
          const id = field.name.slice(field.name.indexOf('[') + 1, -1);
          const headingKey = partKeyOf(field);
          if (problems.has(id) || (headingKey && (problems.has('heading:' + headingKey) || problems.has(form.dataset.section)))) continue;
          if (field.name.startsWith('Input.Texts[') && problems.has(form.dataset.section)) continue;
          if (headingKey && newParts) continue;
          const original = originalOf(field);
          if (field.dataset.cell) {
            if (!(id in answer.cells)) continue;
            original.value = answer.cells[id];
            base.set(field.name, answer.cells[id]);
          } else if (field.tagName === 'SELECT') {
            if (!(id in (answer.units || {}))) continue;
            original.value = answer.units[id] ?? '';
            base.set(field.name, answer.units[id] ?? '');
          } else if (field.name.startsWith('Input.Texts[')) {
            if (!(id in answer.textHashes)) continue;
            original.value = answer.textHashes[id];
            base.set(field.name, values.get(field.name));
          } else {
            base.set(field.name, values.get(field.name));
          }
          field.dataset.unsaved = 'false';
        }
        if (answer.outlineHash && !newParts && form.elements['Input.OutlineHash']) form.elements['Input.OutlineHash'].value = answer.outlineHash;
        writeDraft();
        const left = dirtyFields().length;
        if (problems.size > 0) setStatus('已自动保存 ' + answer.at + '；' + problems.size + '处未能保存（输入有误或与他人的修改冲突），请点“保存”查看', true);
        else if (left > 0) setStatus('已自动保存 ' + answer.at + '；' + left + '处修改尚未保存');
        else setStatus('已自动保存 ' + answer.at);
        return problems.size === 0 && left === 0;
      } catch {
        setStatus('未能自动保存（网络不通），输入保存在本浏览器中', true);
        return false;
      } finally {
        saving = null;
      }
    })();
    return saving;
  }

  function changed() {
    // Runs on every keystroke: the fields are compared once, for the draft and the timer both.
    if (writeDraft() > 0 && !timer) timer = setTimeout(autosave, autosaveMs);
  }

  form.addEventListener('input', e => {
    if (e.target.matches('input[data-cell], select[data-unit-for]')) recompute();
    if (e.target.matches('textarea[data-part]')) recount();
    changed();
  });
  form.addEventListener('change', changed);
  // Removing a part that holds text removes the text too: ask first (the server saves whatever is posted).
  form.addEventListener('click', e => {
    const button = e.target.closest('button[data-remove-part]');
    if (!button) return;
    const text = document.getElementById(button.dataset.removePart);
    if (text && text.value.trim() && !window.confirm(`删除“${button.dataset.partName}”及其中的文字？`)) e.preventDefault();
  });
  // 保存 posts everything: the draft is cleared when the page that answers shows the values saved.
  form.addEventListener('submit', () => { leaving = true; clearTimeout(timer); });

  // Leaving by a link (another section, the overview, the menu): save first; if something could not be saved,
  // ask. The draft stays in this browser either way.
  document.addEventListener('click', async e => {
    const a = e.target.closest('a[href]');
    if (!a || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || a.target === '_blank') return;
    const href = a.getAttribute('href');
    if (href.startsWith('#') || a.hasAttribute('download')) return;
    if (dirtyFields().length === 0) return;
    e.preventDefault();
    const saved = await autosave();
    if (!saved && !window.confirm('本页有' + dirtyFields().length + '处修改未能保存。它们仍保存在本浏览器中，回到本页时会恢复。仍要离开吗？')) return;
    leaving = true;
    window.location.href = a.href;
  });
  // Leaving otherwise (closing the tab, reload, typing an address, back): the browser asks.
  window.addEventListener('beforeunload', e => {
    if (leaving || dirtyFields().length === 0) return;
    writeDraft();
    e.preventDefault();
    e.returnValue = '';
  });
  // Switching to another tab or app: save what can be saved now.
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden' && dirtyFields().length > 0) autosave(); });

  restore();
  if (inputs.length > 0) recompute();
  recount();
  if (dirtyFields().length > 0) changed();
  window.GovInfoEntry = { autosave, dirtyCount: () => dirtyFields().length, recompute, changed };
})();
