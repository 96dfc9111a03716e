// The editors' area: a live preview of an answer's Markdown as it is typed (an
// enhancement: the form works without it, and "Preview this form" shows the whole page).
// The server renders it with the site's own Markdown renderer and sanitiser.
(() => {
  const body = document.getElementById('f-body');
  const out = document.getElementById('md-preview');
  const form = body && body.form;
  if (!body || !out || !form) return;
  const token = form.querySelector('input[name="token"]');
  let timer;
  let sent = 0;
  const render = async () => {
    const mine = ++sent;
    try {
      const response = await fetch('/admin/markdown', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: token ? token.value : '', markdown: body.value }),
        credentials: 'same-origin',
      });
      if (mine !== sent) return;
      if (!response.ok) {
        out.querySelector('.admin-md-body').textContent = 'The preview is not available right now; the form still works.';
        return;
      }
      out.querySelector('.admin-md-body').innerHTML = await response.text();
    } catch {
      // Offline or the session ended: the form itself still works.
    }
  };
  out.hidden = false;
  body.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(render, 350);
  });
  render();
})();
