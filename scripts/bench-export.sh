#!/usr/bin/env bash
# The static export against Hugo, for BENCHMARKS.md, both in one run on the same machine:
# `certwise export` of the 10,000-answer synthetic catalog (examples/gen_catalog, 1,000
# certifications) vs Debian's `hugo` building the same number of pages from equivalent
# Markdown: one Markdown file per page certwise wrote, at the same address — each answer's
# own front matter and body, every other page (certifications, courses, topics, experts,
# comparisons, lists) the text of certwise's page as Markdown — with a base template that
# has what certwise's pages have (head, navigation, language links, footer) and five
# related pages by tag per page. Pages per second = HTML files written / wall time; the
# export's time includes opening the database and building the snapshot, Hugo's its
# reading of the content. Needs hugo (apt-get install -y hugo) and python3.
# Usage: scripts/bench-export.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
command -v hugo >/dev/null || { echo "hugo not found: apt-get install -y hugo" >&2; exit 1; }
target=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet --bin certwise --example gen_catalog
bin=$target/release/certwise
[ -d "$work/gen-10k" ] || "$target/release/examples/gen_catalog" "$work/gen-10k" --certs 1000 --answers 10000
db="$work/db-10k"
if [ ! -f "$db/db.sqlite" ]; then
  mkdir -p "$db"
  "$bin" import "$work/gen-10k" --database "sqlite://$db/db.sqlite" 2>/dev/null
fi
now() { date +%s.%N; }

# certwise
rm -rf "$work/export"
start=$(now)
CERTWISE_TODAY=2026-11-26 "$bin" export "$work/export" --database "sqlite://$db/db.sqlite" 2>"$work/export.log"
certwise_s=$(python3 -c "print($(now)-$start)")
certwise_pages=$(find "$work/export" -name '*.html' | wc -l)
certwise_bytes=$(du -sb "$work/export" | cut -f1)

# The Hugo site: the same pages as Markdown.
rm -rf "$work/hugo"
mkdir -p "$work/hugo/layouts/_default"
python3 - "$work/gen-10k" "$work/export" "$work/hugo" <<'PY'
import html, os, re, sys, tomllib
gen, export, site = sys.argv[1:]
content = os.path.join(site, "content")

def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

answers = set()
for locale in sorted(os.listdir(os.path.join(gen, "answers"))):
    for name in os.listdir(os.path.join(gen, "answers", locale)):
        text = open(os.path.join(gen, "answers", locale, name), encoding="utf-8").read()
        _, front, body = text.split("+++", 2)
        meta = tomllib.loads(front)
        slug = name[:-3]
        answers.add(f"{locale}/answers/{slug}.html")
        path = os.path.join(content, locale, "answers", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tags = ", ".join(toml_str(t) for t in meta.get("topics", []))
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"+++\ntitle = {toml_str(meta['question'])}\ndescription = {toml_str(meta['short_answer'])}\n"
                    f"date = {meta['published_on']}\nlastmod = {meta.get('reviewed_on', meta['published_on'])}\ntags = [{tags}]\n+++\n\n"
                    f"{meta['short_answer']}\n\n{body.strip()}\n")

main = re.compile(r"<main[^>]*>(.*)</main>", re.S)
title = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
tag = re.compile(r"<[^>]+>")
for root, _, files in os.walk(export):
    for name in files:
        rel = os.path.relpath(os.path.join(root, name), export)
        if not name.endswith(".html") or rel in answers or name == "404.html" or rel == "index.html":
            continue
        page = open(os.path.join(root, name), encoding="utf-8").read()
        m = main.search(page)
        inner = m.group(1) if m else ""
        t = title.search(inner)
        heading = html.unescape(tag.sub("", t.group(1))).strip() if t else name
        paragraphs = [html.unescape(tag.sub(" ", p)).strip() for p in re.split(r"</(?:p|li|tr|h2|h3|dd)>", inner)]
        body = "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
        md = rel[:-len("index.html")] + "_index.md" if name == "index.html" else rel[:-5] + ".md"
        os.makedirs(os.path.dirname(os.path.join(content, md)), exist_ok=True)
        with open(os.path.join(content, md), "w", encoding="utf-8") as f:
            f.write(f"+++\ntitle = {toml_str(heading)}\n+++\n\n{body}\n")
PY
cat > "$work/hugo/config.toml" <<'EOF'
baseURL = "https://www.example.ch/"
title = "Example Academy"
uglyURLs = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[related]
  threshold = 1
  includeNewer = true
  [[related.indices]]
    name = "tags"
    weight = 100
EOF
cat > "$work/hugo/layouts/_default/baseof.html" <<'EOF'
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | {{ .Site.Title }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
<link rel="canonical" href="{{ .Permalink }}">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:url" content="{{ .Permalink }}">
<link rel="stylesheet" href="/static/site.css">
</head>
<body>
<header><a href="/">{{ .Site.Title }}</a>
<nav><ul><li><a href="/en/">EN</a></li><li><a href="/de/">DE</a></li><li><a href="/fr/">FR</a></li></ul></nav>
<nav><ul><li><a href="/en/answers/">Answers</a></li><li><a href="/en/certifications/">Certifications</a></li><li><a href="/en/courses/">Courses</a></li><li><a href="/en/topics/">Topics</a></li></ul></nav>
</header>
<main id="main">{{ block "main" . }}{{ end }}</main>
<footer><p>&copy; {{ .Site.Title }}</p></footer>
</body>
</html>
EOF
cat > "$work/hugo/layouts/_default/single.html" <<'EOF'
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Lastmod }}<p>Last reviewed <time datetime="{{ .Format "2006-01-02" }}">{{ .Format "2 January 2006" }}</time></p>{{ end }}
{{ .Content }}
{{ with .Params.tags }}<ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
{{ $related := .Site.RegularPages.Related . | first 5 }}
{{ with $related }}<h2>Related</h2><ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
{{ end }}
EOF
cat > "$work/hugo/layouts/_default/list.html" <<'EOF'
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range first 20 .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
EOF
hugo_md=$(find "$work/hugo/content" -name '*.md' | wc -l)
rm -rf "$work/hugo/public"
start=$(now)
hugo --quiet --source "$work/hugo" --destination "$work/hugo/public" >/dev/null
hugo_s=$(python3 -c "print($(now)-$start)")
hugo_pages=$(find "$work/hugo/public" -name '*.html' | wc -l)
hugo_bytes=$(du -sb "$work/hugo/public" | cut -f1)

echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) CPU(s)"
echo "hugo: $(hugo version | head -1)"
python3 - "$certwise_pages" "$certwise_s" "$certwise_bytes" "$hugo_md" "$hugo_pages" "$hugo_s" "$hugo_bytes" <<'PY'
import sys
cp, cs, cb, hm, hp, hs, hb = sys.argv[1:]
cp, hp, hm = int(cp), int(hp), int(hm)
cs, hs = float(cs), float(hs)
print(f"certwise export: {cp} HTML pages in {cs:.1f} s = {cp / cs:.0f} pages/s ({int(cb) / 1e6:.0f} MB in all, with twins, JSON, assets)")
print(f"hugo:            {hp} HTML pages from {hm} Markdown files in {hs:.1f} s = {hp / hs:.0f} pages/s ({int(hb) / 1e6:.0f} MB)")
PY
