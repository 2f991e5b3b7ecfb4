// The browser's twin of GovInfoReports.Domain (CellValueParser + RuleEvaluator, entry mode).
// It reads the compiled template (cells, kinds, messages, rule instances) as data and holds no
// cell id or label of its own. Values are BigInt scaled by 10^6 (money: 万元 exact to the 分, at most 6 decimals),
// so sums are exact. tests/TestData/rule-cases.json is run against this file and the C# evaluator.
(function (global) {
  'use strict';

  // TemplateCompiler.MaxScale: no cell kind has more than 6 decimals (万元 exact to the 分).
  const SCALE_DIGITS = 6;
  const ONE = 10n ** BigInt(SCALE_DIGITS);
  const MAX_INPUT_LENGTH = 40;
  const SHAPE = /^[+-]?(([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.[0-9]*)?|\.[0-9]+)$/;
  const LOOSE = /^[+-]?[0-9][0-9,]*(\.[0-9]*)?$/;
  const FULL_WIDTH = { '．': '.', '。': '.', '，': ',', '－': '-', '−': '-', '＋': '+' };

  function normalise(raw) {
    if (raw === null || raw === undefined) return '';
    let out = '';
    for (const ch of String(raw).trim()) {
      const code = ch.charCodeAt(0);
      if (code >= 0xFF10 && code <= 0xFF19) out += String.fromCharCode(48 + code - 0xFF10);
      else out += FULL_WIDTH[ch] ?? ch;
    }
    return out.trim();
  }

  function replaceAll(text, key, value) {
    return text.split('{' + key + '}').join(value);
  }

  function kindMessage(template, kind, raw) {
    let text = template;
    text = replaceAll(text, 'raw', raw);
    text = replaceAll(text, 'kind', kind.label);
    text = replaceAll(text, 'unit', kind.unit);
    text = replaceAll(text, 'scale', String(kind.scale));
    text = replaceAll(text, 'max', kind.max);
    return text;
  }

  function toScaled(text) {
    const negative = text.startsWith('-');
    const unsigned = text.replace(/^[+-]/, '');
    const [intPart, fraction = ''] = unsigned.split('.');
    const value = BigInt(intPart || '0') * ONE + BigInt((fraction + '0'.repeat(SCALE_DIGITS)).slice(0, SCALE_DIGITS));
    return negative ? -value : value;
  }

  function format(value) {
    const negative = value < 0n;
    const abs = negative ? -value : value;
    const intPart = (abs / ONE).toString();
    const fraction = (abs % ONE).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '');
    return (negative ? '-' : '') + intPart + (fraction ? '.' + fraction : '');
  }

  // Returns { blank, value (BigInt scaled), error }.
  function parse(raw, kind, messages) {
    const text = normalise(raw);
    if (text.length === 0) return { blank: true, value: null, error: null };
    if (text.length > MAX_INPUT_LENGTH) {
      return { blank: false, value: null, error: replaceAll(messages.inputTooLong, 'length', String(text.length)) };
    }
    const fail = key => ({ blank: false, value: null, error: kindMessage(messages[key], kind, String(raw).trim()) });
    if (!SHAPE.test(text)) return fail(LOOSE.test(text) ? 'badSeparator' : 'notNumber');
    const negative = text.startsWith('-');
    const unsigned = text.replace(/^[+-]/, '').replace(/,/g, '');
    const dot = unsigned.indexOf('.');
    const intDigits = (dot < 0 ? unsigned : unsigned.slice(0, dot)).replace(/^0+/, '');
    const fraction = dot < 0 ? '' : unsigned.slice(dot + 1).replace(/0+$/, '');
    if (intDigits.length > 20) return fail(negative && !kind.signed ? 'negative' : 'tooLarge');
    if (negative && !kind.signed && (intDigits.length > 0 || fraction.length > 0)) return fail('negative');
    if (fraction.length > kind.scale) return fail(kind.scale === 0 ? 'notInteger' : 'tooManyDecimals');
    // A signed kind (2019 本年增/减) bounds the magnitude by max.
    const value = toScaled((intDigits || '0') + (fraction ? '.' + fraction : ''));
    if (value > toScaled(kind.max)) return fail('tooLarge');
    return { blank: false, value: negative ? -value : value, error: null };
  }

  // What a clerk typed into one cell (CellValueParser.ParseCell): a not-applicable cell takes nothing; a kind with
  // unit choices (2019 采购总金额) needs the unit printed and gives the value normalised to the kind's unit
  // (21174299 元 → 2117.4299 万元). Returns { blank, value, error, unit }.
  function parseCell(raw, template, cellId, unitCode) {
    const cell = template.cells[cellId];
    const kind = template.kinds[cell.kind];
    const messages = template.messages;
    if (normalise(raw).length === 0) return { blank: true, value: null, error: null, unit: null };
    if (cell.notApplicable) return { blank: false, value: null, error: kindMessage(messages.notApplicable, kind, String(raw).trim()), unit: null };
    if (!kind.units || kind.units.length === 0) return parse(raw, kind, messages);
    const unit = kind.units.find(u => u.code === unitCode);
    if (!unit) {
      const error = replaceAll(kindMessage(messages.unitMissing, kind, String(raw).trim()), 'units', kind.units.map(u => u.label).join('或'));
      return { blank: false, value: null, error, unit: null };
    }
    const factor = 10n ** BigInt(unit.shift);
    const inUnit = parse(raw, Object.assign({}, kind, { unit: unit.label, scale: unit.scale, max: format(toScaled(kind.max) * factor) }), messages);
    if (inUnit.error || inUnit.blank) return inUnit;
    // Exact: a unit's decimals plus its shift never exceed the kind's (TemplateCompiler checks), so this divides evenly.
    return { blank: false, value: inUnit.value / factor, error: null, unit: unit.code };
  }

  // Fills computed cells (totals) in dependency order; a total of all-blank cells stays blank.
  function computeTotals(template, values) {
    const pending = template.rules.filter(r => r.computes);
    const resolved = new Set();
    const known = id => !(template.cells[id] && template.cells[id].computed) || resolved.has(id);
    while (pending.length > 0) {
      const ready = pending.filter(r => r.rhs.every(t => known(t.cellId)));
      if (ready.length === 0) throw new Error('Totals depend on each other in a cycle.');
      for (const rule of ready) {
        pending.splice(pending.indexOf(rule), 1);
        const target = rule.lhs[0].cellId;
        if (resolved.has(target)) continue;
        resolved.add(target);
        const present = rule.rhs.filter(t => values.has(t.cellId));
        if (present.length === 0) values.delete(target);
        else values.set(target, present.reduce((sum, t) => sum + values.get(t.cellId), 0n));
      }
    }
    return values;
  }

  // A term's value: this report's, or last year's for a term written last:cell (spec §9 cross-year rules).
  function valueOf(term, values, previous) {
    const source = term.previous ? (previous ? previous.values : null) : values;
    return source && source.has(term.cellId) ? source.get(term.cellId) : null;
  }

  function terms(list, values, previous) {
    return list.map((t, i) => (t.sign < 0 ? '－' : i === 0 ? '' : '＋') + t.label + '（' +
      (valueOf(t, values, previous) !== null ? format(valueOf(t, values, previous)) : '空') + '）').join('');
  }

  function fill(message, rule, previous) {
    let text = replaceAll(message, 'table', rule.tableName);
    text = replaceAll(text, 'scope', rule.scopeLabel);
    return replaceAll(text, 'previous', previous ? previous.description : '');
  }

  function checkLinear(rule, values, previous) {
    const has = t => valueOf(t, values, previous) !== null;
    // whenFilled: checked only when each side has a filled cell (the optional pre-2019 key-figure sheet).
    if (rule.whenFilled && !(rule.lhs.some(has) && rule.rhs.some(has))) return [];
    // A cross-year rule says nothing while this year's cells it reads are still blank.
    if (previous && rule.lhs.concat(rule.rhs).some(t => !t.previous && !has(t))) return [];
    const sum = list => list.reduce((s, t) => s + BigInt(t.sign ?? 1) * (valueOf(t, values, previous) ?? 0n), 0n);
    const lhs = sum(rule.lhs);
    const rhs = sum(rule.rhs);
    const holds = rule.op === 'eq' ? lhs === rhs : rule.op === 'le' ? lhs <= rhs : lhs >= rhs;
    if (holds) return [];
    const diff = lhs > rhs ? lhs - rhs : rhs - lhs;
    let message = fill(rule.message, rule, previous);
    message = replaceAll(message, 'lhs', terms(rule.lhs, values, previous));
    message = replaceAll(message, 'rhs', terms(rule.rhs, values, previous));
    message = replaceAll(message, 'lhsSum', format(lhs));
    message = replaceAll(message, 'rhsSum', format(rhs));
    message = replaceAll(message, 'diff', format(diff));
    const cells = [...new Set(rule.lhs.concat(rule.rhs).filter(t => !t.previous).map(t => t.cellId))];
    return [{ key: rule.key, ruleId: rule.ruleId, severity: rule.severity, sectionId: rule.sectionId, tableId: rule.tableId,
      message, cells }];
  }

  // A value and last year's, both above 0, differ by the rule's factor or more (元 typed into a 万元 cell).
  function checkRatio(rule, values, previous) {
    const id = rule.lhs[0].cellId;
    if (!values.has(id) || !previous.values.has(id)) return [];
    const now = values.get(id);
    const before = previous.values.get(id);
    if (now <= 0n || before <= 0n) return [];
    const [big, small] = now >= before ? [now, before] : [before, now];
    if (big < toScaled(String(rule.factor)) * small / ONE) return [];
    // The ratio rounded to a whole number, as the C# evaluator prints it (decimal.Round: half to even).
    const whole = big / small;
    const twice = (big % small) * 2n;
    const ratio = twice > small || (twice === small && whole % 2n === 1n) ? whole + 1n : whole;
    let message = fill(rule.message, rule, previous);
    message = replaceAll(message, 'value', format(now));
    message = replaceAll(message, 'last', format(before));
    message = replaceAll(message, 'relation', replaceAll(now > before ? '是上年的{ratio}倍' : '只有上年的{ratio}分之一', 'ratio', ratio.toString()));
    return [{ key: rule.key, ruleId: rule.ruleId, severity: rule.severity, sectionId: rule.sectionId, tableId: rule.tableId,
      message, cells: [id] }];
  }

  function needsPrevious(rule) {
    return rule.kind === 'ratio' || rule.lhs.concat(rule.rhs).some(t => t.previous);
  }

  // Last year's report as the data block gives it ({ year, description, values: { cellId: "decimal" } }), its values
  // as BigInt (a string already parsed is kept).
  function readPrevious(previous) {
    if (!previous) return null;
    if (previous.values instanceof Map) return previous;
    return { year: previous.year, description: previous.description,
      values: new Map(Object.entries(previous.values || {}).map(([id, v]) => [id, toScaled(String(v))])) };
  }

  function checkCells(template, rule, values) {
    const out = [];
    const blank = [];
    for (const id of rule.cells) {
      if (!values.has(id)) { blank.push(id); continue; }
      const cell = template.cells[id];
      const parsed = parse(format(values.get(id)), template.kinds[cell.kind], template.messages);
      if (parsed.error) {
        out.push({ key: rule.key + ':' + id, ruleId: rule.ruleId, severity: rule.severity, sectionId: rule.sectionId,
          tableId: rule.tableId, message: rule.tableName + ' ' + cell.label + '：' + parsed.error, cells: [id] });
      }
    }
    if (blank.length > 0) {
      let message = replaceAll(rule.message, 'table', rule.tableName);
      message = replaceAll(message, 'count', String(blank.length));
      out.push({ key: rule.key, ruleId: rule.ruleId, severity: rule.severity, sectionId: rule.sectionId,
        tableId: rule.tableId, message, cells: blank, incomplete: true });
    }
    return out;
  }

  // A rule with a condition applies only when the agency's flag is known and equal (RuleCondition).
  function applies(rule, context) {
    return !rule.when || (context[rule.when.context] !== undefined && context[rule.when.context] === rule.when.equals);
  }

  // ---- Texts rules (RuleEvaluator's N0 emptiness check and CheckText's content tests) --------------------------
  // C# char.IsWhiteSpace: Unicode separators, the C0 controls \t\n\v\f\r and U+0085 (not U+FEFF, which JS's \s takes).
  const BLANK = /^[\p{Zs}\p{Zl}\p{Zp}\t\n\v\f\r\x85]*$/u;
  const LETTER_OR_DIGIT = /^[\p{L}\p{Nd}]$/u;

  function sectionOfPart(partId) { const dot = partId.indexOf('.'); return dot > 0 ? partId.slice(0, dot) : null; }

  // Letters and decimal digits of a text, by code point (“无。” is “无”).
  function bare(text) { return Array.from(text).filter(ch => LETTER_OR_DIGIT.test(ch)).join(''); }

  function checkText(rule, test, texts) {
    const keys = Object.keys(texts).filter(k => test.parts.some(p => p === k || p === sectionOfPart(k)))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const read = keys.map(k => texts[k] || '').join('');
    const b = bare(read);
    if (b.length === 0) return null; // left to the emptiness rule
    let found = null;
    if ((test.empty || []).some(e => bare(e) === b) || (test.minLength != null && Array.from(b).length < test.minLength)) {
      found = replaceAll(rule.message, 'text', read.trim());
    } else {
      // A mention is its words separated by | (工作考核|考核): any of them will do; the message names the first.
      const missing = (test.mentions || []).map(m => m.split('|')).filter(words => !words.some(w => b.includes(bare(w))));
      if (missing.length > 0) found = replaceAll(rule.message, 'missing', missing.map(words => words[0]).join('、'));
    }
    if (found === null) return null;
    return { key: rule.key, ruleId: rule.ruleId, severity: rule.severity, sectionId: rule.sectionId, tableId: '',
      message: replaceAll(found, 'section', rule.scopeLabel), cells: [] };
  }

  // The texts rules of the template (RuleEvaluator.Evaluate given texts): a narrative section left empty, and the
  // content tests (N12 五 of no substance, N10 工作考核/社会评议/责任追究). texts: { partId: text }, every part of the
  // sections the rules read; context: the agency's flags. The narrative numbers are narrative.js's.
  function checkTexts(template, texts, context) {
    const out = [];
    for (const rule of template.rules) {
      if (rule.kind !== 'texts') continue;
      if (!applies(rule, context)) continue;
      if (rule.textTest) {
        const v = checkText(rule, rule.textTest, texts);
        if (v) out.push(v);
      } else if (Object.keys(texts).filter(k => sectionOfPart(k) === rule.sectionId).every(k => BLANK.test(texts[k] || ''))) {
        out.push({ key: rule.key, ruleId: rule.ruleId, severity: rule.severity, sectionId: rule.sectionId, tableId: '',
          message: replaceAll(rule.message, 'section', rule.scopeLabel), cells: [], incomplete: true });
      }
    }
    return out;
  }

  // typed: Map cellId → BigInt (blank cells absent); previous: last year's report (see readPrevious) or null, when the
  // cross-year rules are not judged; texts: { partId: text } or null/undefined, when the texts rules are not judged
  // (as the C# evaluator given no texts). Returns { values, violations }.
  function evaluate(template, typed, context, previous, texts) {
    const last = readPrevious(previous);
    const values = new Map();
    for (const [id, value] of typed) {
      const cell = template.cells[id];
      // A not-applicable cell has no value: never 0, never part of a sum.
      if (cell && !cell.computed && !cell.notApplicable) values.set(id, value);
    }
    computeTotals(template, values);
    let violations = [];
    for (const rule of template.rules) {
      if (rule.computes || rule.kind === 'texts') continue;
      if (!applies(rule, context)) continue;
      if (needsPrevious(rule)) {
        // Judged only when last year's report has every cell the rule reads (a 2019 report has no 现行有效件数).
        if (last && rule.lhs.concat(rule.rhs).filter(t => t.previous).every(t => last.values.has(t.cellId))) {
          violations = violations.concat(rule.kind === 'ratio' ? checkRatio(rule, values, last) : checkLinear(rule, values, last));
        }
        continue;
      }
      violations = violations.concat(rule.kind === 'cells' ? checkCells(template, rule, values) : checkLinear(rule, values, null));
    }
    if (texts) violations = violations.concat(checkTexts(template, texts, context));
    const violated = new Set(violations.map(v => v.key));
    const byKey = new Map(template.rules.map(r => [r.key, r]));
    violations = violations.filter(v => {
      const rule = byKey.get(v.key);
      return !(rule && (rule.suppressedByKeys || []).some(k => violated.has(k)));
    });
    return { values, violations };
  }

  // Convenience for tests and tools: evaluate from raw text per cell (units: cellId → unit code, for unit choices).
  function evaluateRaw(template, rawCells, context, units, previous, texts) {
    const typed = new Map();
    const inputErrors = {};
    for (const [id, raw] of Object.entries(rawCells)) {
      const cell = template.cells[id];
      if (!cell) continue;
      const parsed = parseCell(raw, template, id, (units || {})[id]);
      if (parsed.error) inputErrors[id] = parsed.error;
      else if (!parsed.blank) typed.set(id, parsed.value);
    }
    const result = evaluate(template, typed, context, previous || null, texts || null);
    const values = {};
    for (const [id, v] of result.values) values[id] = format(v);
    return { values, violations: result.violations, inputErrors };
  }

  // The section page's template: the section's shared rules, which the script /templates/{code}/{section}.js (kept by
  // the browser) sets as JSON text in GovInfoSectionRules, with last year's report from the page's own
  // #template-previous block. A fresh copy for each caller; null on a page without rules.
  function pageTemplate() {
    const shared = global.GovInfoSectionRules;
    if (typeof shared !== 'string') return null;
    const template = JSON.parse(shared);
    const own = document.getElementById('template-previous');
    if (own) template.previous = JSON.parse(own.textContent);
    return template;
  }

  global.GovInfoRules = { normalise, parse, parseCell, format, computeTotals, evaluate, evaluateRaw, checkTexts, pageTemplate };
})(window);
