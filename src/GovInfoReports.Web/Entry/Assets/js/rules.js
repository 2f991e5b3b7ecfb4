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

  function terms(list, values) {
    return list.map(t => t.label + '（' + (values.has(t.cellId) ? format(values.get(t.cellId)) : '空') + '）').join('＋');
  }

  function checkLinear(rule, values) {
    // whenFilled: checked only when each side has a filled cell (the optional pre-2019 key-figure sheet).
    if (rule.whenFilled && !(rule.lhs.some(t => values.has(t.cellId)) && rule.rhs.some(t => values.has(t.cellId)))) return [];
    const sum = list => list.reduce((s, t) => s + (values.get(t.cellId) ?? 0n), 0n);
    const lhs = sum(rule.lhs);
    const rhs = sum(rule.rhs);
    const holds = rule.op === 'eq' ? lhs === rhs : rule.op === 'le' ? lhs <= rhs : lhs >= rhs;
    if (holds) return [];
    const diff = lhs > rhs ? lhs - rhs : rhs - lhs;
    let message = rule.message;
    message = replaceAll(message, 'table', rule.tableName);
    message = replaceAll(message, 'scope', rule.scopeLabel);
    message = replaceAll(message, 'lhs', terms(rule.lhs, values));
    message = replaceAll(message, 'rhs', terms(rule.rhs, values));
    message = replaceAll(message, 'lhsSum', format(lhs));
    message = replaceAll(message, 'rhsSum', format(rhs));
    message = replaceAll(message, 'diff', format(diff));
    return [{ key: rule.key, ruleId: rule.ruleId, severity: rule.severity, sectionId: rule.sectionId, tableId: rule.tableId,
      message, cells: rule.lhs.concat(rule.rhs).map(t => t.cellId) }];
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

  // typed: Map cellId → BigInt (blank cells absent). Returns { values, violations }.
  function evaluate(template, typed, context) {
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
      if (rule.when && (context[rule.when.context] === undefined || context[rule.when.context] !== rule.when.equals)) continue;
      violations = violations.concat(rule.kind === 'cells' ? checkCells(template, rule, values) : checkLinear(rule, values));
    }
    const violated = new Set(violations.map(v => v.key));
    const byKey = new Map(template.rules.map(r => [r.key, r]));
    violations = violations.filter(v => {
      const rule = byKey.get(v.key);
      return !(rule && (rule.suppressedByKeys || []).some(k => violated.has(k)));
    });
    return { values, violations };
  }

  // Convenience for tests and tools: evaluate from raw text per cell (units: cellId → unit code, for unit choices).
  function evaluateRaw(template, rawCells, context, units) {
    const typed = new Map();
    const inputErrors = {};
    for (const [id, raw] of Object.entries(rawCells)) {
      const cell = template.cells[id];
      if (!cell) continue;
      const parsed = parseCell(raw, template, id, (units || {})[id]);
      if (parsed.error) inputErrors[id] = parsed.error;
      else if (!parsed.blank) typed.set(id, parsed.value);
    }
    const result = evaluate(template, typed, context);
    const values = {};
    for (const [id, v] of result.values) values[id] = format(v);
    return { values, violations: result.violations, inputErrors };
  }

  global.GovInfoRules = { normalise, parse, parseCell, format, computeTotals, evaluate, evaluateRaw };
})(window);
