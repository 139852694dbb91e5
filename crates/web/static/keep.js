// What was typed into a form survives the session ending while it was being filled in.
//
// A form marked `data-keep` saves its plain fields in this tab's sessionStorage when it is
// sent — never a password, a code, a hidden field or a file. If the server answers with the
// login page (the session had ended), that page marks the saved entry as waiting; after
// logging in the browser is sent back to the form's page, and this script puts the saved
// values back into the fields that are still empty, saying so in the form. Any other page
// (the form was accepted, or the server showed it again with what was typed) drops the entry.
// Without this script nothing changes: the form works as before.
(function () {
  'use strict';
  var PREFIX = 'ccus-keep:';
  var MAX_AGE_MS = 3 * 60 * 60 * 1000;
  var store;
  try {
    store = window.sessionStorage;
    if (!store) {
      return;
    }
  } catch (e) {
    return;
  }

  function kept(el) {
    if (!el.name || el.disabled || el.hasAttribute('data-no-keep')) {
      return false;
    }
    var type = (el.type || '').toLowerCase();
    if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') {
      return true;
    }
    if (type === 'password' || type === 'hidden' || type === 'file' || type === 'submit' ||
        type === 'button' || type === 'reset' || type === 'image') {
      return false;
    }
    if ((el.autocomplete || '').indexOf('one-time-code') >= 0 ||
        /password|code|token|secret|csrf/i.test(el.name)) {
      return false;
    }
    return true;
  }

  function save(form) {
    var values = {};
    var any = false;
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (!kept(el)) {
        continue;
      }
      var type = (el.type || '').toLowerCase();
      if ((type === 'radio' || type === 'checkbox') && !el.checked) {
        continue;
      }
      if (el.value === '') {
        continue;
      }
      values[el.name] = el.value;
      any = true;
    }
    if (!any) {
      return;
    }
    try {
      store.setItem(PREFIX + form.getAttribute('action'),
        JSON.stringify({ t: Date.now(), v: values }));
    } catch (e) {
      // Storage full or refused: the form is sent anyway.
    }
  }

  function restore(form, values) {
    var restored = false;
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (!kept(el) || !Object.prototype.hasOwnProperty.call(values, el.name)) {
        continue;
      }
      var type = (el.type || '').toLowerCase();
      if (type === 'radio' || type === 'checkbox') {
        if (el.value === values[el.name] && !el.checked) {
          el.checked = true;
          restored = true;
        }
      } else if (el.value === '' || (el.tagName === 'SELECT' && el.selectedIndex <= 0)) {
        el.value = values[el.name];
        restored = true;
      }
    }
    var text = form.getAttribute('data-restored');
    if (restored && text) {
      var note = document.createElement('p');
      note.className = 'notice notice-warning';
      note.setAttribute('role', 'status');
      note.textContent = text;
      form.insertBefore(note, form.firstChild);
    }
  }

  function formFor(action) {
    var forms = document.querySelectorAll('form[data-keep]');
    for (var i = 0; i < forms.length; i++) {
      if (forms[i].getAttribute('action') === action) {
        return forms[i];
      }
    }
    return null;
  }

  // A login page of any entrance (the portals', the application login, the console's).
  var onLoginPage = false;
  var all = document.querySelectorAll('form[method="post"]');
  for (var f = 0; f < all.length; f++) {
    if (/\/login$/.test(all[f].getAttribute('action') || '')) {
      onLoginPage = true;
    }
  }
  for (var i = store.length - 1; i >= 0; i--) {
    var key = store.key(i);
    if (!key || key.indexOf(PREFIX) !== 0) {
      continue;
    }
    var entry = null;
    try {
      entry = JSON.parse(store.getItem(key));
    } catch (e) {
      entry = null;
    }
    if (!entry || !entry.v || Date.now() - entry.t > MAX_AGE_MS) {
      store.removeItem(key);
      continue;
    }
    if (onLoginPage) {
      entry.waiting = true;
      store.setItem(key, JSON.stringify(entry));
      continue;
    }
    if (!entry.waiting) {
      store.removeItem(key);
      continue;
    }
    var form = formFor(key.slice(PREFIX.length));
    if (form) {
      restore(form, entry.v);
      store.removeItem(key);
    }
  }

  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (form && form.hasAttribute && form.hasAttribute('data-keep')) {
      save(form);
    }
  }, true);
})();
