// edgerag chat page: POST /api/chat, read the SSE stream with fetch, render tokens and citations.
(function () {
  'use strict';
  const conversation = document.getElementById('conversation');
  const history = [];
  // a stable id of this browser, so a model canary keeps it on one arm from question to question
  const session = localStorage.getItem('edgerag.session') || (crypto.randomUUID ? crypto.randomUUID()
    : String(Math.random()).slice(2) + Date.now());
  localStorage.setItem('edgerag.session', session);

  // thumbs up/down on an answer: counted for the model that gave it (POST /api/feedback)
  function feedbackButtons(answerId) {
    const box = el('span', 'feedback');
    for (const [vote, label] of [['up', '\u{1F44D}'], ['down', '\u{1F44E}']]) {
      const b = el('button', 'vote', label);
      b.type = 'button';
      b.dataset.vote = vote;
      b.title = vote === 'up' ? 'good answer' : 'bad answer';
      b.addEventListener('click', async () => {
        const response = await edgeragFetch('/api/feedback', {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ answerId, vote })
        });
        box.textContent = response.ok ? 'thanks' : 'not counted (' + response.status + ')';
        box.dataset.sent = vote;
      });
      box.appendChild(b);
    }
    return box;
  }

  // Splits an SSE byte stream into {event, data} records; returns the unparsed rest.
  function parseSse(buffer, onEvent) {
    let sep;
    while ((sep = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, sep);
      buffer = buffer.slice(sep + (buffer[sep] === '\r' ? 4 : 2));
      let event = 'message';
      const data = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent(event, data.join('\n'));
    }
    return buffer;
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function showPassage(p, n) {
    document.getElementById('passage-title').textContent = '[' + n + '] ' + (p.title || p.docId);
    document.getElementById('passage-tier').textContent = p.tier;
    document.getElementById('passage-ref').textContent = p.chunkId + ' · score ' + p.score.toFixed(3);
    document.getElementById('passage-text').textContent = p.text;
    const dialog = document.getElementById('passage');
    if (dialog.showModal) dialog.showModal(); else dialog.setAttribute('open', '');
  }

  // Renders answer text with [n] turned into links that open passage n.
  function renderAnswer(target, text, sources) {
    target.textContent = '';
    let last = 0;
    const re = /\[(\d+)\]/g;
    let m;
    while ((m = re.exec(text)) !== null) {
      const n = parseInt(m[1], 10);
      if (n < 1 || n > sources.length) continue;
      target.appendChild(document.createTextNode(text.slice(last, m.index)));
      const a = el('a', 'cite', '[' + n + ']');
      a.href = '#passage-' + n;
      a.dataset.n = String(n);
      a.title = (sources[n - 1].title || sources[n - 1].docId) + ' (' + sources[n - 1].tier + ')';
      a.addEventListener('click', (ev) => { ev.preventDefault(); showPassage(sources[n - 1], n); });
      target.appendChild(a);
      last = m.index + m[0].length;
    }
    target.appendChild(document.createTextNode(text.slice(last)));
  }

  function renderSources(list, sources) {
    list.textContent = '';
    sources.forEach((p, i) => {
      const li = el('li');
      li.id = 'passage-' + (i + 1);
      const a = el('a', 'cite', '[' + (i + 1) + ']');
      a.href = '#passage-' + (i + 1);
      a.addEventListener('click', (ev) => { ev.preventDefault(); showPassage(p, i + 1); });
      li.append(a, ' ', el('span', 'tier', p.tier), ' ', p.title || p.docId, el('span', 'muted', ' ' + p.chunkId));
      list.appendChild(li);
    });
  }

  async function ask(question) {
    const turn = el('div', 'turn');
    const meta = el('div', 'muted meta');
    const answer = el('div', 'answer');
    const sourcesList = el('ol', 'sources');
    turn.append(el('div', 'question', question), answer, meta, sourcesList);
    conversation.appendChild(turn);
    let sources = [];
    let text = '';
    try {
      const response = await edgeragFetch('/api/chat', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Accept': 'text/event-stream' },
        body: JSON.stringify({ question, history: history.slice(-6), session })
      });
      if (!response.ok) {
        const problem = await response.json().catch(() => ({}));
        throw new Error(problem.detail || ('HTTP ' + response.status));
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer = parseSse(buffer + decoder.decode(value, { stream: true }), (event, data) => {
          if (event === 'sources') {
            sources = JSON.parse(data);
            renderSources(sourcesList, sources);
          } else if (event === 'token') {
            text += JSON.parse(data).text;
            renderAnswer(answer, text, sources);
          } else if (event === 'done') {
            const d = JSON.parse(data);
            turn.dataset.done = 'true';
            if (d.degraded) {
              const badge = el('span', 'degraded', 'degraded');
              badge.title = d.reason || '';
              meta.append(badge, ' ');
            }
            meta.append(d.model + (d.firstTokenMs != null ? ' · first token ' + d.firstTokenMs + ' ms' : '')
              + ' · ' + d.totalMs + ' ms');
            if (d.answerId) meta.append(' ', feedbackButtons(d.answerId));
          } else if (event === 'error') {
            answer.appendChild(el('div', 'error', JSON.parse(data).message));
          }
        });
      }
      history.push({ role: 'user', content: question }, { role: 'assistant', content: text });
    } catch (e) {
      answer.appendChild(el('div', 'error', e.message));
    }
  }

  document.getElementById('ask').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const input = document.getElementById('question');
    const q = input.value.trim();
    if (q) { input.value = ''; ask(q); }
  });

  document.getElementById('upload').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const file = document.getElementById('file').files[0];
    const status = document.getElementById('upload-status');
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    status.textContent = 'uploading…';
    const response = await edgeragFetch('/api/documents', { method: 'POST', body: form });
    const body = await response.json().catch(() => ({}));
    status.textContent = response.ok ? 'added ' + body.id + ' (' + body.chunks + ' chunks)'
      : 'failed: ' + (body.detail || response.status);
  });

  // ?q=... asks at once (links, and the headless browser test)
  const q = new URLSearchParams(location.search).get('q');
  if (q) ask(q);
})();
