// The guard of the report's other forms (报告信息, 说明, 更正说明): leaving the page with something typed and not
// saved asks first, by a link or by the browser (the section form has its own, with autosave, in entry.js).
// A form opts in with data-guard; posting any form of the page is leaving on purpose.
(function () {
  'use strict';
  const forms = Array.from(document.querySelectorAll('form[data-guard]'));
  if (forms.length === 0) return;
  let leaving = false;
  function changed() {
    return forms.some(form => Array.from(form.elements).some(field =>
      (field.tagName === 'TEXTAREA' || (field.tagName === 'INPUT' && !['hidden', 'submit', 'button'].includes(field.type)))
        && !field.readOnly && field.value !== field.defaultValue));
  }
  document.addEventListener('submit', () => { leaving = true; });
  document.addEventListener('click', e => {
    const a = e.target.closest('a[href]');
    if (!a || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || a.target === '_blank') return;
    if (a.getAttribute('href').startsWith('#') || !changed()) return;
    if (!window.confirm('本页有未保存的修改，离开后将丢失。仍要离开吗？')) e.preventDefault();
    else leaving = true;
  });
  window.addEventListener('beforeunload', e => {
    if (leaving || !changed()) return;
    e.preventDefault();
    e.returnValue = '';
  });
})();
