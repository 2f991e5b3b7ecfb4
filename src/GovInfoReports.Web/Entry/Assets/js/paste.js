// Paste from a spreadsheet into the section form (issue 9): a block of numbers pasted into a cell fills the
// cells right and down from it; "粘贴整表" takes a whole table copied from Excel, WPS, Word or a web page, labels
// and all, matches its rows and columns to the form's by label (the template's wording and its known variants),
// previews, then fills. A block that does not fit is refused with the reason and nothing is written; totals in a
// pasted block are not typed (they are computed) but compared with what was pasted.
// Everything is read from the form as drawn and from the template data block; this file holds no label.
(function () {
  'use strict';
  const form = document.getElementById('section-form');
  if (!form || form.dataset.editable !== 'true' || !window.GovInfoRules) return;
  const template = window.GovInfoRules.pageTemplate();
  if (!template) return;
  const rules = window.GovInfoRules;
  const tables = Array.from(form.querySelectorAll('table.statutory'));
  if (tables.length === 0) return;

  // ---- Reading what was pasted ------------------------------------------------------------------------------
  // A table as rows of cell texts, a merged cell's text in its first slot and '' in the others (as a spreadsheet
  // copies it), so positions line up across rows.
  function expand(rows) {
    const grid = [];
    rows.forEach((tr, y) => {
      grid[y] = grid[y] || [];
      let x = 0;
      for (const cell of tr.cells) {
        while (grid[y][x] !== undefined) x++;
        const text = (cell.innerText ?? cell.textContent ?? '').replace(/\s+/g, ' ').trim();
        for (let dy = 0; dy < (cell.rowSpan || 1); dy++) {
          grid[y + dy] = grid[y + dy] || [];
          for (let dx = 0; dx < (cell.colSpan || 1); dx++) grid[y + dy][x + dx] = dx === 0 && dy === 0 ? { text, cell } : { text: '', cell, spanned: true };
        }
        x += cell.colSpan || 1;
      }
    });
    return grid.map(row => Array.from(row, c => c || { text: '' }));
  }
  function fromText(text) {
    return text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n').map(line => line.split('\t').map(t => t.trim()));
  }
  function fromHtml(html) {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const table = Array.from(doc.querySelectorAll('table')).sort((a, b) => b.rows.length - a.rows.length)[0];
    if (!table) return null;
    return expand(Array.from(table.rows)).map(row => row.map(c => c.text));
  }

  // A number as a spreadsheet shows it (1,234 / 1234.5 / full-width digits); '—', '-' and '／' mean nothing.
  const NOTHING = /^[—\-－―／/]$/;
  function isNumber(text) { return /^[+-]?[0-9][0-9,]*(\.[0-9]*)?$|^[+-]?\.[0-9]+$/.test(rules.normalise(text)); }
  function isValue(text) { return text === '' || isNumber(text) || NOTHING.test(text); }
  function valueOf(text) { return NOTHING.test(text) ? '' : rules.normalise(text).replace(/,/g, ''); }

  // A label compared without numbering, spacing, punctuation or full-width forms, then through the variants.
  const variants = new Map(Object.entries(template.labelVariants || {}).map(([v, w]) => [strip(v), strip(w)]));
  function strip(label) {
    let s = String(label).normalize('NFKC').replace(/\s+/g, '');
    for (;;) {
      const next = s.replace(/^(\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+[、.]|\([0-9]+\)|[0-9]+[)、.])/, '');
      if (next === s) break;
      s = next;
    }
    return s.replace(/[()（）,，.。、:：;；“”"'‘’《》<>\[\]【】]/g, '');
  }
  function norm(label) { const s = strip(label); return variants.get(s) ?? s; }

  // ---- The form's rows and columns, read from the tables as drawn --------------------------------------------
  // Each data row: its labels (outermost first, merged group labels included), its value slots (input, computed
  // or not applicable) with the column label above each.
  function formRows() {
    const out = [];
    for (const table of tables) {
      const rows = Array.from(table.rows);
      const grid = expand(rows);
      let header = [];
      rows.forEach((tr, y) => {
        if (!tr.dataset.row) {
          // A header row: the rows of one run of headers stand above the data rows that follow it.
          header = header.length > 0 && rows[y - 1] && !rows[y - 1].dataset.row ? header.concat([y]) : [y];
          return;
        }
        const labels = [];
        const slots = [];
        grid[y].forEach((g, x) => {
          if (!g.cell) return;
          if (g.cell.tagName === 'TH') { if (!labels.length || labels[labels.length - 1] !== g.cell) labels.push(g.cell); return; }
          if (!g.cell.classList.contains('cell') || (g.spanned && !g.cell.classList.contains('not-applicable'))) return;
          // The column's label: the lowest header text at this position.
          let column = '';
          for (const hy of header.slice().reverse()) {
            const h = grid[hy][x];
            if (h && h.cell && h.cell.tagName === 'TH') { column = (h.cell.innerText || h.cell.textContent).trim(); break; }
          }
          const input = g.cell.querySelector('input[data-cell]');
          // A not-applicable run is one merged cell standing for several: one slot per position it covers.
          if (g.cell.classList.contains('not-applicable')) {
            const width = Number(g.cell.dataset.slotWidth || 1);
            if ((x - grid[y].findIndex(c => c.cell === g.cell)) % width === 0) slots.push({ column, na: true });
            return;
          }
          if (g.spanned) return;
          slots.push({ column, input, computed: input ? input.readOnly : false });
        });
        out.push({ table, tr, labels: labels.map(th => (th.innerText || th.textContent).trim()), slots });
      });
    }
    return out;
  }

  // ---- Matching a pasted table to the form's rows and columns -------------------------------------------------
  function splitRow(cells) {
    let end = cells.length;
    while (end > 0 && cells[end - 1] === '') end--;
    let start = end;
    while (start > 0 && isValue(cells[start - 1])) start--;
    const labels = cells.slice(0, start).filter(t => t !== '');
    const values = cells.slice(start, end);
    return { labels, values, hasNumber: values.some(isNumber) };
  }

  function match(pasted) {
    const targets = formRows();
    const problems = [];
    const used = new Set();
    const assigned = new Map(); // form row → pasted values
    const headerRows = new Map(); // table → pasted row indexes before its first match
    let last = -1;
    let pendingRow = null;
    let pendingValues = null;
    let lastY = -1;
    const unmatched = [];
    function find(label) {
      const key = norm(label);
      const candidates = targets.map((t, i) => ({ t, i })).filter(c => !used.has(c.i) && c.t.labels.length && norm(c.t.labels[c.t.labels.length - 1]) === key);
      return (candidates.find(c => c.i > last) || candidates[0]) || null;
    }
    function assign(found, values, y) {
      used.add(found.i);
      last = found.i;
      if (!headerRows.has(found.t.table)) headerRows.set(found.t.table, [lastY + 1, y]);
      lastY = Math.max(lastY, y);
      assigned.set(found.t, values);
    }
    pasted.forEach((cells, y) => {
      const { labels, values, hasNumber } = splitRow(cells);
      if (labels.length === 0 && !hasNumber) return;
      if (labels.length > 0) {
        const found = find(labels[labels.length - 1]);
        if (found && hasNumber) { assign(found, values, y); pendingRow = null; pendingValues = null; return; }
        if (found) {
          // A label on its own line: its numbers are on the next line, or (a layout that printed them one line
          // early) were on the line before.
          if (pendingValues) { assign(found, pendingValues.values, y); pendingValues = null; pendingRow = null; }
          else pendingRow = { found, y };
          return;
        }
        pendingRow = null;
        if (hasNumber) unmatched.push(labels.join(' '));
        return;
      }
      // Numbers without a label.
      if (pendingRow) { assign(pendingRow.found, values, pendingRow.y); pendingRow = null; return; }
      // A form row without a label (表四's one row of numbers) takes the next line of numbers.
      const unlabeled = targets.findIndex((t, i) => !used.has(i) && t.labels.length === 0 && i > last);
      if (unlabeled >= 0) { assign({ t: targets[unlabeled], i: unlabeled }, values, y); return; }
      if (pendingValues) unmatched.push('第' + (pendingValues.y + 1) + '行（只有数字）');
      pendingValues = { values, y };
    });
    if (pendingValues) unmatched.push('第' + (pendingValues.y + 1) + '行（只有数字）');

    // Columns: where the pasted header names every column of a table, its order is the pasted numbers' order;
    // without a header the numbers are taken in the form's order.
    const placed = { fills: [], checks: [], problems };
    const orderOf = new Map();
    for (const table of tables) {
      const rowsOfTable = targets.filter(t => t.table === table && assigned.has(t));
      if (rowsOfTable.length === 0) continue;
      const columns = rowsOfTable[0].slots.map(s => s.column);
      const [from, to] = headerRows.get(table) || [0, 0];
      const positions = columns.map(label => {
        const key = norm(label);
        for (let y = from; y < to; y++) {
          const x = pasted[y].findIndex(t => t && norm(t) === key);
          if (x >= 0) return x;
        }
        return -1;
      });
      const named = positions.every(p => p >= 0) && new Set(positions).size === positions.length;
      orderOf.set(table, named ? columns.map((_, i) => i).sort((a, b) => positions[a] - positions[b]) : columns.map((_, i) => i));
    }
    for (const t of targets) {
      if (!assigned.has(t)) continue;
      let values = assigned.get(t);
      const order = orderOf.get(t.table);
      const name = t.labels[t.labels.length - 1];
      if (values.length > t.slots.length) {
        // Blank cells before the numbers (merged labels copied as empty cells) are not values.
        const extra = values.slice(0, values.length - t.slots.length);
        if (extra.every(v => v === '')) values = values.slice(extra.length);
      }
      if (values.length !== t.slots.length) {
        problems.push('“' + name + '”一行粘贴了' + values.length + '个数，本表这一行有' + t.slots.length + '格');
        continue;
      }
      order.forEach((slotIndex, k) => place(name, t.slots[slotIndex], values[k], placed));
    }
    const missing = targets.filter(t => !assigned.has(t) && t.slots.some(s => s.input && !s.computed)).map(t => t.labels[t.labels.length - 1]);
    return { fills: placed.fills, checks: placed.checks, problems, unmatched, missing };
  }

  // One pasted value into one slot of a form row: a typed cell is filled, a total only compared later, a
  // not-applicable cell refuses a number. Adds to placed.fills, placed.checks or placed.problems.
  function place(row, slot, text, placed) {
    const raw = valueOf(text);
    if (slot.na) {
      if (raw !== '') placed.problems.push('“' + row + '”' + slot.column + '：本格不适用，不能填数（粘贴的是' + raw + '）');
      return;
    }
    if (!slot.input) return;
    (slot.computed ? placed.checks : placed.fills).push({ input: slot.input, raw, row, column: slot.column });
  }

  // ---- Writing into the form ----------------------------------------------------------------------------------
  function refuseBad(fills) {
    const bad = [];
    for (const f of fills) {
      const chooser = form.querySelector('select[data-unit-for="' + f.input.dataset.cell + '"]');
      const parsed = rules.parseCell(f.raw, template, f.input.dataset.cell, chooser ? chooser.value || null : null);
      if (parsed.error) bad.push((f.input.getAttribute('aria-label') || f.input.dataset.cell) + '：' + parsed.error);
    }
    return bad;
  }
  function write(fills, checks) {
    for (const f of fills) f.input.value = f.raw;
    if (fills.length > 0) fills[fills.length - 1].input.dispatchEvent(new Event('input', { bubbles: true }));
    // Totals are computed from what was typed; a pasted total that differs is reported, never typed.
    const differ = [];
    for (const c of checks) {
      if (c.raw === '') continue;
      const pasted = rules.parseCell(c.raw, template, c.input.dataset.cell, null);
      const computed = rules.parseCell(c.input.value, template, c.input.dataset.cell, null);
      if (pasted.error || computed.blank || pasted.value !== computed.value) {
        differ.push((c.input.getAttribute('aria-label') || c.input.dataset.cell).replace('（自动计算）', '') + '：粘贴的是' + c.raw + '，按所填数字计算为' + (c.input.value || '空'));
      }
    }
    return differ;
  }

  let message = null;
  function say(near, lines, kind) {
    if (!message) {
      message = document.createElement('div');
      message.id = 'paste-message';
      message.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    }
    message.className = 'paste-message ' + kind;
    message.replaceChildren();
    const [first, ...rest] = lines;
    const p = document.createElement('p');
    p.textContent = first;
    message.appendChild(p);
    if (rest.length > 0) {
      const ul = document.createElement('ul');
      for (const line of rest) { const li = document.createElement('li'); li.textContent = line; ul.appendChild(li); }
      message.appendChild(ul);
    }
    const box = near.closest('.table-scroll') || near.closest('table');
    box.after(message);
  }

  // ---- A block pasted into a cell -----------------------------------------------------------------------------
  form.addEventListener('paste', e => {
    const input = e.target;
    if (!input.matches || !input.matches('input[data-cell]') || input.readOnly) return;
    const text = e.clipboardData ? e.clipboardData.getData('text/plain') : '';
    if (!/[\t\n]/.test(text.replace(/\r?\n$/, ''))) return; // one value: the browser pastes it
    e.preventDefault();
    const html = e.clipboardData.getData('text/html');
    const block = (html && fromHtml(html)) || fromText(text);
    const rows = formRows();
    const start = rows.findIndex(r => r.slots.some(s => s.input === input));
    const here = rows[start];
    const col = here.slots.findIndex(s => s.input === input);
    const sameTable = rows.filter((r, i) => i >= start && r.table === here.table && r.tr.parentElement === here.tr.parentElement);
    const height = block.length;
    const width = Math.max(...block.map(r => r.length));
    const name = input.getAttribute('aria-label') || input.dataset.cell;
    const fits = height <= sameTable.length && sameTable.slice(0, height).every(r => col + width <= r.slots.length);
    if (!fits) {
      say(input, ['没有填入：粘贴的内容有' + height + '行' + width + '列，从“' + name + '”起向下只有' + sameTable.length + '行、向右只有'
        + (here.slots.length - col) + '格。请从左上角的格开始粘贴，或用“粘贴整表”。'], 'error');
      return;
    }
    const placed = { fills: [], checks: [], problems: [] };
    block.forEach((cells, dy) => {
      const r = sameTable[dy];
      cells.forEach((text, dx) => place(r.labels[r.labels.length - 1], r.slots[col + dx], text, placed));
    });
    const problems = placed.problems.concat(refuseBad(placed.fills));
    if (problems.length > 0) { say(input, ['没有填入：粘贴的内容中有' + problems.length + '处不能填入本表。'].concat(problems), 'error'); return; }
    const differ = write(placed.fills, placed.checks);
    say(input, ['已粘贴' + placed.fills.length + '格（尚未保存）。'].concat(differ.length ? ['以下合计格与粘贴的数字不一致，请核对：'].concat(differ) : []), differ.length ? 'warning' : 'ok');
  });

  // ---- 粘贴整表 -------------------------------------------------------------------------------------------------
  const dialog = document.getElementById('paste-dialog');
  const open = document.getElementById('paste-table-open');
  if (!dialog || !open) return;
  const area = document.getElementById('paste-area');
  const preview = document.getElementById('paste-preview');
  const apply = document.getElementById('paste-apply');
  let grid = null;
  let plan = null;
  open.hidden = false;
  open.addEventListener('click', () => {
    area.value = '';
    grid = null;
    plan = null;
    preview.replaceChildren();
    apply.disabled = true;
    dialog.showModal();
    area.focus();
  });
  dialog.querySelector('[data-close]').addEventListener('click', () => dialog.close());
  area.addEventListener('paste', e => {
    const html = e.clipboardData ? e.clipboardData.getData('text/html') : '';
    const fromClipboard = html && fromHtml(html);
    if (fromClipboard) {
      e.preventDefault();
      grid = fromClipboard;
      area.value = grid.map(r => r.join('\t')).join('\n');
      show();
    }
  });
  area.addEventListener('input', () => { grid = fromText(area.value); show(); });

  function show() {
    plan = null;
    apply.disabled = true;
    preview.replaceChildren();
    if (!grid || grid.every(r => r.every(t => t === ''))) return;
    const result = match(grid);
    result.problems.push(...refuseBad(result.fills));
    const lines = [];
    const add = (text, cls) => { const p = document.createElement('p'); p.textContent = text; if (cls) p.className = cls; preview.appendChild(p); };
    const list = (title, items, cls) => {
      if (items.length === 0) return;
      add(title, cls);
      const ul = document.createElement('ul');
      for (const item of items) { const li = document.createElement('li'); li.textContent = item; ul.appendChild(li); }
      preview.appendChild(ul);
    };
    if (result.fills.length === 0 && result.problems.length === 0) {
      add('没有找到可以对应到本部分表格的行。请复制整张表（含行名），或在表格中点一格后直接粘贴数字。', 'error');
      list('未能对应的行：', result.unmatched, 'error');
      return;
    }
    const rowsCount = new Set(result.fills.map(f => f.row)).size;
    add('对应上' + rowsCount + '行，将填入' + result.fills.length + '格；合计格不填，只与粘贴的数字核对。', 'ok');
    list('不能填入（请改正复制的表格后重新粘贴）：', result.problems, 'error');
    list('粘贴的表格中这些行未能对应到本表（不会填入）：', result.unmatched, 'warning');
    list('本表这些行在粘贴的表格中没有找到（保持原样）：', result.missing, 'warning');
    // The values to be written, row by row, as a compact table.
    const table = document.createElement('table');
    table.className = 'list paste-preview-table';
    const caption = document.createElement('caption');
    caption.textContent = '将填入的数字';
    table.appendChild(caption);
    const byRow = new Map();
    for (const f of result.fills) { if (!byRow.has(f.row)) byRow.set(f.row, []); byRow.get(f.row).push(f); }
    const tbody = document.createElement('tbody');
    for (const [row, fills] of byRow) {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = row;
      tr.appendChild(th);
      const td = document.createElement('td');
      td.textContent = fills.map(f => f.column + ' ' + (f.raw === '' ? '空' : f.raw)).join('，');
      tr.appendChild(td);
      tbody.appendChild(tr);
    }
    table.appendChild(tbody);
    preview.appendChild(table);
    if (result.problems.length === 0) { plan = result; apply.disabled = false; }
  }

  apply.addEventListener('click', () => {
    if (!plan) return;
    const differ = write(plan.fills, plan.checks);
    dialog.close();
    const first = plan.fills[0].input;
    say(first, ['已从粘贴的表格填入' + plan.fills.length + '格（尚未保存，请核对后保存）。']
      .concat(differ.length ? ['以下合计格与粘贴的数字不一致，请核对：'].concat(differ) : []), differ.length ? 'warning' : 'ok');
    open.focus();
  });
})();
