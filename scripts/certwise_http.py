"""What the load scripts need to follow certwise's forms like a browser: the form token,
a course's sessions, a kept-alive connection that sends each request as from a client of
its own, and a staff member's session in the editors' area (log in, change a temporary
password, read an edit form, publish). Used by scripts/cluster-client.py,
scripts/pg-restart-client.py, scripts/soak-client.py and scripts/bench-publish.sh.

Standard library only.
"""

import functools
import html
import http.client
import http.cookiejar
import itertools
import re
import urllib.error
import urllib.parse
import urllib.request

# The form token every public form carries (consent banner, inquiry, …).
TOKEN = re.compile(r'name="token" value="([^"]+)"')
# The course page lists its upcoming sessions (and "any session", value ""); the first
# upcoming one is asked about, whatever the day.
SESSION = re.compile(r'<option value="([^"]+)"')


_clients = itertools.count(1)


def client_address():
    """A client address of its own (10.x.y.z) for X-Forwarded-For, so that the per-client
    limits of INTERFACES.md are not what a load measures: certwise must trust the sender
    (`--trusted-proxy 127.0.0.0/8`)."""
    n = next(_clients)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


class Proxied:
    """A kept-alive HTTP/1.1 connection to certwise (or nginx in front) on loopback, each
    request sent as from a new client (`client_address`). A form is posted with the site's
    own `Origin`. Reconnects after a failure or `Connection: close`."""

    def __init__(self, host, port, timeout=30):
        self.host, self.port, self.timeout = host, port, timeout
        self.conn = None

    def send(self, method, path, body=None):
        """`(status, text, error)`: the status and body, or `error` (the connection's
        failure, as "Type: message") with no status; never raises."""
        headers = {"X-Forwarded-For": client_address(), "Host": f"{self.host}:{self.port}"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{self.host}:{self.port}"
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, text, None
        except (OSError, http.client.HTTPException) as e:
            self.close()
            return None, "", f"{type(e).__name__}: {e}"

    def close(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to check, not something to follow."""

    def redirect_request(self, *args):
        return None


class _FromSource(urllib.request.HTTPHandler):
    """Connects from a chosen local address (on Linux any of 127.0.0.0/8 is loopback)."""

    def __init__(self, source):
        super().__init__()
        self.source = source

    def http_open(self, req):
        connection = functools.partial(http.client.HTTPConnection, source_address=(self.source, 0))
        return self.do_open(connection, req)


def edit_fields(page):
    """The fields of the editors' record form (`class="admin-edit"`) as a browser would
    send them: inputs, textareas (without the newline after the tag) and the selected
    option of each select."""
    form = page[page.index('class="admin-edit"') :]
    form = form[: form.index("</form>")]
    out = {}
    for m in re.finditer(r"<input[^>]*\bname=\"([^\"]+)\"[^>]*>", form):
        v = re.search(r'\bvalue="([^"]*)"', m.group(0))
        out[m.group(1)] = html.unescape(v.group(1)) if v else ""
    for m in re.finditer(r'(?s)<textarea[^>]*\bname="([^"]+)"[^>]*>(.*?)</textarea>', form):
        text = m.group(2)
        out[m.group(1)] = html.unescape(text[1:] if text.startswith("\n") else text)
    for m in re.finditer(r'(?s)<select[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>', form):
        s = re.search(r"<option selected>([^<]*)</option>", m.group(2))
        out[m.group(1)] = html.unescape(s.group(1)) if s else ""
    return out


class Staff:
    """A staff member's browser: cookies kept, redirects returned (not followed), forms
    posted with the site's own `Origin`. `source` binds the client socket to that local
    address; each request is a new connection (no keep-alive to go stale between
    actions)."""

    def __init__(self, base, source=None, timeout=60):
        self.base = base
        self.timeout = timeout
        handlers = [urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect]
        if source:
            handlers.append(_FromSource(source))
        self.opener = urllib.request.build_opener(*handlers)
        # The `Location` of the last answer (None without one).
        self.location = None

    def get(self, path):
        """`(status, body)`; any status is returned, none raised."""
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        return self._open(urllib.request.Request(self.base + path, data=data, headers={"Origin": self.base}))

    def _open(self, req):
        try:
            with self.opener.open(req, timeout=self.timeout) as r:
                self.location = r.headers.get("Location")
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            self.location = e.headers.get("Location")
            return e.code, e.read().decode("utf-8", "replace")

    def token(self, path):
        status, page = self.get(path)
        match = TOKEN.search(page)
        if status != 200 or not match:
            raise RuntimeError(f"GET {path}: {status}, no form token")
        return match.group(1)

    def log_in(self, email, password, new_password):
        """Logs in; when the password is temporary (a new account must change it at first
        login, `/admin/login` then redirects to `/admin/password`), changes it to
        `new_password`. Returns the password that now works."""
        fields = {"email": email, "password": password, "token": self.token("/admin/login"), "next": "/admin/"}
        status, body = self.post("/admin/login", fields)
        if status != 303:
            raise RuntimeError(f"POST /admin/login: {status} {body[:300]!r}")
        if self.location != "/admin/password":
            return password
        fields = {
            "current": password,
            "new": new_password,
            "repeat": new_password,
            "token": self.token("/admin/password"),
        }
        status, body = self.post("/admin/password", fields)
        if status not in (200, 303):
            raise RuntimeError(f"POST /admin/password: {status} {body[:300]!r}")
        return new_password

    def first_answer(self):
        """`(path, locale, slug)` of the first answer the records list shows."""
        status, page = self.get("/admin/content?kind=answers")
        if status != 200:
            raise RuntimeError(f"GET /admin/content: {status}")
        path = re.search(r'href="/admin/edit/(answers/[^"]+)"', page).group(1)
        locale, slug = re.match(r"answers/([^/]+)/(.+)\.md", path).groups()
        return path, locale, slug

    def edit_form(self, path):
        """The edit form of the record at `path` (`answers/LOCALE/SLUG.md`): `(status, body,
        fields)`, the fields as a browser would send them (`edit_fields`; empty unless the
        status is 200)."""
        status, page = self.get(f"/admin/edit/{path}")
        return status, page, edit_fields(page) if status == 200 else {}

    def publish(self, path, fields):
        """Posts `fields` (an edit form's, changed) with `action=publish`: `(status, body)`,
        303 when published."""
        return self.post(f"/admin/edit/{path}", {**fields, "action": "publish"})

    def publish_question(self, path, question, message):
        """`edit_form` then `publish` with a new question, as an editor does: `(status,
        body)` of the POST (303 when published), or of the form when it did not answer 200."""
        status, page, fields = self.edit_form(path)
        if status != 200:
            return status, page
        return self.publish(path, {**fields, "question": question, "message": message})
