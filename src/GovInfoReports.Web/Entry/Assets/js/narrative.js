// The browser's twin of GovInfoReports.Domain.Rules.NarrativeNumbers and CellTokens: the numbers a narrative states
// near the words that name a cell (收到申请100件, 行政复议2件, 公开率95%) compared with the tables, by the compiled
// narrative checks of the template (data; this file holds no term, cell id or message of its own). Values are
// decimal strings (the report's cells with totals); sums are exact (BigInt scaled by 10^6).
// tests/TestData/narrative-cases.json is run against this file and the C# checker.
// On a narrative section's page it also checks the parts live as the clerk types, and offers 插入表格数字.
(function (global) {
  'use strict';

  const CLAUSE_ENDS = '。！？!?\n\r，；;';
  const SENTENCE_ENDS = '。！？!?\n\r';
  const QUOTE_BEFORE = 24, QUOTE_AFTER = 16;
  const ARABIC = /(?<![0-9.,A-Za-z第])([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)\s*(万元|元|%|件(?!事))/g;
  const CHINESE = /(?<![第])([零〇一二两三四五六七八九十百千万]+)\s*(件)(?!事)/g;
  const TOKEN = /\{\{([a-z][a-z0-9_]*\.[a-z0-9_]+\.[a-z0-9_]+)\}\}/g;
  const SCALE = 6;
  const ONE = 10n ** BigInt(SCALE);

  function scaled(text) {
    const negative = text.startsWith('-');
    const [i, f = ''] = text.replace(/^[+-]/, '').split('.');
    const v = BigInt(i || '0') * ONE + BigInt((f + '0'.repeat(SCALE)).slice(0, SCALE));
    return negative ? -v : v;
  }

  function format(value) {
    const negative = value < 0n;
    const abs = negative ? -value : value;
    const fraction = (abs % ONE).toString().padStart(SCALE, '0').replace(/0+$/, '');
    return (negative ? '-' : '') + (abs / ONE).toString() + (fraction ? '.' + fraction : '');
  }

  function normaliseDigits(text) {
    let out = '';
    for (const ch of text) {
      const code = ch.charCodeAt(0);
      if (code >= 0xFF10 && code <= 0xFF19) out += String.fromCharCode(48 + code - 0xFF10);
      else if (ch === '．') out += '.';
      else if (ch === '％') out += '%';
      else out += ch;
    }
    return out;
  }

  function mask(text) { return text.replace(TOKEN, m => ' '.repeat(m.length)); }

  function isDigit(ch) { return ch !== undefined && ch >= '0' && ch <= '9'; }

  function endsClause(text, i) {
    const ch = text[i];
    if (ch === ',') {
      return !(i > 0 && isDigit(text[i - 1]) && i + 3 < text.length && isDigit(text[i + 1]) && isDigit(text[i + 2])
        && isDigit(text[i + 3]) && (i + 4 >= text.length || !isDigit(text[i + 4])));
    }
    return CLAUSE_ENDS.includes(ch);
  }

  function clauses(text) {
    const out = [];
    let start = 0;
    for (let i = 0; i <= text.length; i++) {
      if (i < text.length && !endsClause(text, i)) continue;
      if (i > start) out.push([start, i]);
      start = i + 1;
    }
    return out;
  }

  function occurrences(checks, clause) {
    const all = [];
    const terms = [...new Set(checks.flatMap(c => c.terms))];
    for (const term of terms) {
      for (let i = clause.indexOf(term); i >= 0; i = clause.indexOf(term, i + 1)) all.push({ start: i, end: i + term.length, term });
    }
    all.sort((a, b) => a.start - b.start || (b.end - b.start) - (a.end - a.start) || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    const kept = [];
    for (const o of all) if (!kept.some(k => o.start < k.end && k.start < o.end)) kept.push(o);
    kept.sort((a, b) => a.start - b.start);
    const result = [];
    for (const o of kept) {
      const before = clause.slice(0, o.start);
      const owners = checks.filter(c => c.terms.includes(o.term) && !c.notAfter.some(w => before.endsWith(w)));
      if (owners.length > 0) result.push({ start: o.start, end: o.end, checks: owners });
    }
    return result;
  }

  function chineseValue(numeral) {
    let total = 0, section = 0, digit = 0, any = false;
    for (const ch of numeral) {
      const d = '零〇一二两三四五六七八九'.indexOf(ch);
      if (d >= 0) { digit = d <= 1 ? 0 : d === 2 ? 1 : d <= 4 ? 2 : d - 2; any = true; continue; }
      const unit = { '十': 10, '百': 100, '千': 1000, '万': 10000 }[ch] || 0;
      if (unit === 0) return null;
      if (unit === 10000) { total += (section + digit) * 10000; section = 0; }
      else section += (digit === 0 && unit === 10 ? 1 : digit) * unit;
      digit = 0;
      any = true;
    }
    return any ? total + section + digit : null;
  }

  function numbers(clause) {
    const out = [];
    for (const m of clause.matchAll(ARABIC)) {
      const digits = m[1];
      const plain = digits.replace(/,/g, '');
      const dot = plain.indexOf('.');
      out.push({ start: m.index, end: m.index + digits.length, value: scaled(plain), decimals: dot < 0 ? 0 : plain.length - dot - 1, unit: m[2], text: digits });
    }
    for (const m of clause.matchAll(CHINESE)) {
      const v = chineseValue(m[1]);
      if (v !== null) out.push({ start: m.index, end: m.index + m[1].length, value: BigInt(v) * ONE, decimals: 0, unit: m[2], text: m[1] });
    }
    return out.sort((a, b) => a.start - b.start);
  }

  function accepts(check, unit) { return check.unit === unit || (check.unit === '万元' && unit === '元'); }

  function quote(text, start, end) {
    let s = start;
    while (s > 0 && !SENTENCE_ENDS.includes(text[s - 1])) s--;
    let e = end;
    while (e < text.length && !SENTENCE_ENDS.includes(text[e])) e++;
    const from = Math.max(s, start - QUOTE_BEFORE);
    const to = Math.min(e, end + QUOTE_AFTER);
    return ((from > s ? '…' : '') + text.slice(from, start) + '【' + text.slice(start, end) + '】' + text.slice(end, to) + (to < e ? '…' : '')).trim();
  }

  // Every number of a text that one of the checks takes: { check, start, end, value (BigInt scaled), decimals, stated, statedKey, quote }.
  function find(checks, text) {
    const norm = mask(normaliseDigits(text));
    const found = [];
    for (const [cs, ce] of clauses(norm)) {
      const clause = norm.slice(cs, ce);
      const occ = occurrences(checks, clause);
      if (occ.length === 0) continue;
      const taken = new Set();
      let previousEnd = 0;
      for (const n of numbers(clause)) {
        const segmentStart = previousEnd;
        previousEnd = n.end;
        let nearest = null;
        for (const o of occ) if (o.end <= n.start && o.checks.some(c => accepts(c, n.unit)) && (!nearest || o.end > nearest.end)) nearest = o;
        if (!nearest) continue;
        const segment = clause.slice(segmentStart, n.start);
        const candidates = nearest.checks.filter(c => accepts(c, n.unit) && !taken.has(nearest.start + ':' + c.id)
          && (c.between.length === 0 || c.between.some(w => segment.includes(w))));
        if (candidates.length !== 1) continue;
        const check = candidates[0];
        taken.add(nearest.start + ':' + check.id);
        const value = n.unit === '元' ? n.value / 10000n : n.value;
        found.push({ check, start: cs + n.start, end: cs + n.end, value, decimals: n.decimals, stated: n.text + n.unit,
          statedKey: format(value) + (check.unit === '%' ? '%' : ''), quote: quote(text, cs + n.start, cs + n.end) });
      }
    }
    return found;
  }

  function sum(terms, values) {
    if (!terms.every(t => values[t.cellId] !== undefined && values[t.cellId] !== null && values[t.cellId] !== '')) return null;
    return terms.reduce((s, t) => s + scaled(String(values[t.cellId])), 0n);
  }

  function termsText(terms, values) { return terms.map(t => t.label + '（' + format(scaled(String(values[t.cellId]))) + '）').join('＋'); }

  function fill(message, found, value, cells) {
    return message.split('{quote}').join(found.quote).split('{stated}').join(found.stated).split('{value}').join(value)
      .split('{label}').join(found.check.label).split('{cells}').join(cells);
  }

  // Round half away from zero (values here are never negative) to k decimals of num × 100 / den, both scaled.
  function ratioText(num, den, k) {
    const p = 10n ** BigInt(k);
    const r = (num * 100n * p * 2n + den) / (2n * den);
    return format(r * ONE / p);
  }

  function compare(found, values) {
    const check = found.check;
    const total = sum(check.cells, values);
    if (total === null) return null;
    let message, severity;
    if (check.denominator.length > 0) {
      const den = sum(check.denominator, values);
      if (den === null || den === 0n) return null;
      const p = 10n ** BigInt(found.decimals);
      const stated = found.value * p; // scaled by 10^6 × 10^d: an integer multiple of ONE
      const lhs = 2n * total * 100n * p - 2n * stated * den / ONE;
      if ((lhs < 0n ? -lhs : lhs) <= den) return null;
      message = fill(check.message, found, ratioText(total, den, Math.max(found.decimals, 2)) + '%',
        '（' + termsText(check.cells, values) + '）÷（' + termsText(check.denominator, values) + '）');
      severity = check.severity;
    } else {
      if (total === found.value) return null;
      const soft = check.soft;
      const softSum = soft ? sum(soft.cells, values) : null;
      if (soft && softSum !== null && softSum === found.value) {
        message = fill(soft.message, found, format(total) + check.unit, termsText(soft.cells, values));
        severity = soft.severity;
      } else {
        message = fill(check.message, found, format(total) + check.unit, termsText(check.cells, values));
        severity = check.severity;
      }
    }
    const cells = [...new Set(check.cells.concat(check.denominator).map(t => t.cellId))];
    return { key: '', ruleId: check.id, severity, sectionId: '', tableId: '', message, cells };
  }

  function sectionOf(partId) { const dot = partId.indexOf('.'); return dot < 0 ? partId : partId.slice(0, dot); }

  // texts: { partId: text }; values: { cellId: decimal string } with totals; known: the cell ids a token may name
  // (default: the template's applicable cells). Returns the violations, as the server's.
  function check(template, texts, values, known) {
    const names = new Set(known || Object.keys(template.cells).filter(id => !template.cells[id].notApplicable));
    const checks = template.narrativeChecks || [];
    const out = [];
    const seen = new Set();
    const parts = Object.keys(texts).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const partId of parts) {
      const text = texts[partId];
      if (!text) continue;
      const sectionId = sectionOf(partId);
      const mine = checks.filter(c => c.sections.includes(sectionId));
      if (mine.length > 0) {
        for (const f of find(mine, text)) {
          const v = compare(f, values);
          if (!v) continue;
          const key = f.check.id + ':' + partId + ':' + f.statedKey;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push(Object.assign(v, { key, sectionId }));
        }
      }
    }
    for (const partId of parts) {
      const ids = [...new Set(Array.from((texts[partId] || '').matchAll(TOKEN), m => m[1]))];
      for (const id of ids) {
        if (names.has(id)) continue;
        out.push({ key: 'token:' + partId + ':' + id, ruleId: 'token', severity: 'error', sectionId: sectionOf(partId), tableId: '',
          message: '文字中引用的表格数字“{{' + id + '}}”不存在，请删除后用“插入表格数字”重新插入', cells: [] });
      }
    }
    return out;
  }

  global.GovInfoNarrative = { check, find, chineseValue };

  // ---- The narrative section page ------------------------------------------------------------------------------
  const dataBlock = document.getElementById('narrative-data');
  const form = document.getElementById('section-form');
  const template = window.GovInfoRules && window.GovInfoRules.pageTemplate();
  if (!dataBlock || !template || !form) return;
  const data = JSON.parse(dataBlock.textContent);
  const list = document.getElementById('violations');
  const ok = document.getElementById('checks-ok');
  const summary = document.getElementById('checks-summary');
  const jump = document.getElementById('checks-jump');
  const textareas = Array.from(form.querySelectorAll('textarea[data-part]'));
  // The rules this page redraws as the clerk types: the narrative numbers, cell tokens and the section's texts rules
  // (本部分尚未填写, and the content tests such as N12 and N10, through rules.js).
  const textRules = window.GovInfoRules ? template.rules.filter(r => r.kind === 'texts') : [];
  const narrativeRules = new Set((template.narrativeChecks || []).map(c => c.id).concat(['token'], textRules.map(r => r.ruleId)));

  function recheck() {
    const own = {};
    for (const t of textareas) own[t.dataset.part] = t.value;
    // A content test may read other sections' parts too (N10 reads 五 and 六): those as saved, this page's as typed.
    const texts = Object.assign({}, data.texts || {}, own);
    const violations = (textRules.length > 0 ? GovInfoRules.checkTexts(template, texts, template.context || {}) : [])
      .concat(check(template, own, data.values, data.known));
    // The server's list stays for every other rule; the rules above are redrawn.
    for (const li of Array.from(list.querySelectorAll('li'))) if (narrativeRules.has(li.dataset.rule)) li.remove();
    violations.forEach((v, i) => {
      const li = document.createElement('li');
      li.id = 'nv-' + i;
      li.className = 'violation-' + v.severity;
      li.dataset.rule = v.ruleId;
      li.dataset.key = v.key;
      li.textContent = v.message;
      list.appendChild(li);
    });
    ok.hidden = list.children.length > 0;
    // The short live line and the action bar's link, as on a table page (entry.js).
    const count = list.children.length;
    const errors = list.querySelectorAll('li.violation-error').length;
    const text = count === 0 ? '没有问题' : errors + '个错误，' + (count - errors) + '个提示';
    if (summary && summary.textContent !== text) summary.textContent = text;
    if (jump) {
      jump.textContent = count === 0 ? '校验：没有问题' : '校验：' + text;
      jump.classList.toggle('has-problems', errors > 0);
    }
  }

  form.addEventListener('input', e => { if (e.target.matches('textarea[data-part]')) recheck(); });

  // 插入表格数字: the token of the chosen cell at the cursor of its part.
  for (const p of Array.from(form.querySelectorAll('.insert-cell'))) p.hidden = false;
  for (const select of Array.from(form.querySelectorAll('select[data-insert-for]'))) {
    select.addEventListener('change', () => {
      const id = select.value;
      const textarea = document.getElementById(select.dataset.insertFor);
      if (!id || !textarea || textarea.readOnly) return;
      const token = '{{' + id + '}}';
      const start = textarea.selectionStart ?? textarea.value.length;
      const end = textarea.selectionEnd ?? start;
      textarea.setRangeText(token, start, end, 'end');
      textarea.dispatchEvent(new Event('input', { bubbles: true }));
      textarea.focus();
      select.value = '';
    });
  }
})(window);
