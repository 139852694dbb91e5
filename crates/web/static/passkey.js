// Passkeys (WebAuthn) in the browser: logging in from the ID field's autofill or the button on
// the login page, and registering one on the passkey page. The server's options arrive as
// JSON with base64url strings; the browser wants bytes, and answers with bytes that go back as
// base64url in an ordinary form post (with its anti-forgery token). Without this script, or in
// a browser without WebAuthn, nothing changes: the password form works as before. A failure is
// told in the page's language, from the status element's `data-failed` (the page always sets it).
(function () {
  'use strict';
  if (!window.PublicKeyCredential || !navigator.credentials) {
    return;
  }
  function toBytes(s) {
    s = s.replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) {
      s += '=';
    }
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) {
      out[i] = bin.charCodeAt(i);
    }
    return out.buffer;
  }
  function fromBytes(buf) {
    var bytes = new Uint8Array(buf);
    var bin = '';
    for (var i = 0; i < bytes.length; i++) {
      bin += String.fromCharCode(bytes[i]);
    }
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function creation(pk) {
    pk.challenge = toBytes(pk.challenge);
    pk.user.id = toBytes(pk.user.id);
    (pk.excludeCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return pk;
  }
  function request(pk) {
    pk.challenge = toBytes(pk.challenge);
    (pk.allowCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return pk;
  }
  function registered(c) {
    return JSON.stringify({
      id: c.id,
      rawId: fromBytes(c.rawId),
      type: c.type,
      extensions: c.getClientExtensionResults(),
      response: {
        attestationObject: fromBytes(c.response.attestationObject),
        clientDataJSON: fromBytes(c.response.clientDataJSON),
        transports: c.response.getTransports ? c.response.getTransports() : []
      }
    });
  }
  function asserted(c) {
    return JSON.stringify({
      id: c.id,
      rawId: fromBytes(c.rawId),
      type: c.type,
      extensions: c.getClientExtensionResults(),
      response: {
        authenticatorData: fromBytes(c.response.authenticatorData),
        clientDataJSON: fromBytes(c.response.clientDataJSON),
        signature: fromBytes(c.response.signature),
        userHandle: c.response.userHandle ? fromBytes(c.response.userHandle) : null
      }
    });
  }

  // The login page.
  var login = document.getElementById('passkey_form');
  if (login) {
    var button = document.getElementById('passkey_login');
    var status = document.getElementById('passkey_status');
    var pending = null;
    var run = function (conditional) {
      if (pending) {
        pending.abort();
      }
      var ctl = new AbortController();
      pending = ctl;
      return fetch(login.getAttribute('data-options'), { credentials: 'same-origin' })
        .then(function (r) {
          if (!r.ok) {
            throw new Error('options');
          }
          return r.json();
        })
        .then(function (o) {
          return navigator.credentials.get({
            publicKey: request(o.publicKey),
            mediation: conditional ? 'conditional' : 'optional',
            signal: ctl.signal
          }).then(function (cred) {
            if (!cred) {
              return;
            }
            login.elements.ceremony.value = o.ceremony;
            login.elements.credential.value = asserted(cred);
            login.submit();
          });
        });
    };
    // While the browser waits for an authenticator (which may never come, on a computer
    // without one), the page says so and offers to cancel.
    var cancel = document.getElementById('passkey_cancel');
    var cancelled = false;
    var waiting = function (on) {
      if (cancel) {
        cancel.hidden = !on;
      }
      button.disabled = on;
      status.textContent = on ? (status.getAttribute('data-waiting') || '') : '';
    };
    if (cancel) {
      cancel.addEventListener('click', function () {
        cancelled = true;
        if (pending) {
          pending.abort();
        }
      });
    }
    button.hidden = false;
    button.addEventListener('click', function () {
      cancelled = false;
      waiting(true);
      run(false).then(function () {
        waiting(false);
      }, function (e) {
        waiting(false);
        if (cancelled) {
          status.textContent = status.getAttribute('data-cancelled') || '';
          return;
        }
        if (e && e.name === 'AbortError') {
          return;
        }
        status.textContent = status.getAttribute('data-failed') || '';
      });
    });
    // Offered in the ID field's autofill — not again right after a passkey was refused, so a
    // refused one is not tried over and over.
    if (login.getAttribute('data-autofill') === 'on' && PublicKeyCredential.isConditionalMediationAvailable) {
      PublicKeyCredential.isConditionalMediationAvailable().then(function (ok) {
        if (ok) {
          run(true).catch(function () {});
        }
      });
    }
  }

  // The passkey page: registering one.
  var reg = document.getElementById('passkey_register');
  if (reg) {
    var data = document.getElementById('passkey_options');
    var regStatus = document.getElementById('passkey_register_status');
    var submit = reg.querySelector('button[type=submit]');
    var regCancel = document.getElementById('passkey_register_cancel');
    var regCtl = null;
    var regCancelled = false;
    var regWaiting = function (on) {
      if (regCancel) {
        regCancel.hidden = !on;
      }
      submit.disabled = on;
      regStatus.textContent = on ? (regStatus.getAttribute('data-waiting') || '') : '';
    };
    if (regCancel) {
      regCancel.addEventListener('click', function () {
        regCancelled = true;
        if (regCtl) {
          regCtl.abort();
        }
      });
    }
    submit.disabled = false;
    reg.addEventListener('submit', function (ev) {
      if (reg.elements.credential.value) {
        return;
      }
      ev.preventDefault();
      regCancelled = false;
      regCtl = new AbortController();
      regWaiting(true);
      var o = JSON.parse(data.textContent);
      navigator.credentials.create({ publicKey: creation(o.publicKey), signal: regCtl.signal })
        .then(function (cred) {
          regWaiting(false);
          reg.elements.credential.value = registered(cred);
          reg.submit();
        })
        .catch(function () {
          regWaiting(false);
          regStatus.textContent = regCancelled
            ? (regStatus.getAttribute('data-cancelled') || '')
            : (regStatus.getAttribute('data-failed') || '');
        });
    });
  }
})();
