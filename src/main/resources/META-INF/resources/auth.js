// edgerag pages: API calls carry the key the user entered (kept in sessionStorage: this tab only, gone
// when it closes). In open mode (loopback, no keys) the key form stays hidden and nothing is sent.
(function () {
  'use strict';
  const STORAGE = 'edgerag.apiKey';

  function key() {
    return sessionStorage.getItem(STORAGE) || '';
  }

  function showKeyForm(message) {
    const form = document.getElementById('key-form');
    if (!form) return;
    form.hidden = false;
    document.getElementById('key-message').textContent = message || '';
    document.getElementById('api-key').focus();
  }

  // fetch() with the key; a 401 or 403 asks for a (better) key and answers as the server did
  window.edgeragFetch = async function (url, options) {
    const opts = Object.assign({}, options || {});
    const headers = new Headers(opts.headers || {});
    if (key()) headers.set('Authorization', 'Bearer ' + key());
    opts.headers = headers;
    const response = await fetch(url, opts);
    if (response.status === 401) showKeyForm(key() ? 'That key was refused: enter another.' : 'This appliance needs an API key.');
    if (response.status === 403) showKeyForm('This key may not do that: enter one with more rights.');
    return response;
  };

  document.addEventListener('DOMContentLoaded', () => {
    const form = document.getElementById('key-form');
    if (!form) return;
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const value = document.getElementById('api-key').value.trim();
      if (value) sessionStorage.setItem(STORAGE, value); else sessionStorage.removeItem(STORAGE);
      document.getElementById('key-message').textContent = value ? 'key set for this tab' : 'key cleared';
      document.getElementById('api-key').value = '';
    });
  });
})();
