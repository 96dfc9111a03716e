#!/usr/bin/env bash
# Turns the committed RustSec advisory database snapshot (supply-chain/advisory-db.tar.gz)
# into the git repository cargo-deny reads, so `cargo deny --offline check` runs on a
# clean clone without reaching github.com.
#   supply-chain/unpack-advisory-db.sh [DIR]   (default: target/advisory-db)
# Prints the database's path. cargo-deny looks for the folder named after the hash it
# derives from the database's default URL (advisory-db-3157b0e258782691); deny.toml's
# `db-path` names DIR. Unpacking again is a no-op.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dest=${1:-target/advisory-db}
db="$dest/advisory-db-3157b0e258782691"
# Unpacked already from this very tarball: nothing to do. A refreshed tarball replaces it.
stamp=$(sha256sum supply-chain/advisory-db.tar.gz | cut -d' ' -f1)
if [ -d "$db/.git" ] && [ "$(cat "$db/.git/certwise-snapshot" 2>/dev/null)" = "$stamp" ]; then echo "$db"; exit 0; fi
rm -rf "$db"
mkdir -p "$dest"
work=$(mktemp -d "$dest/.unpack.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -xzf supply-chain/advisory-db.tar.gz -C "$work"
# One commit dated like the snapshot, so cargo-deny (which reads the database through git)
# sees a repository and the snapshot's date stays visible in `git log`.
(
  cd "$work/advisory-db"
  git init -q -b main
  git add -A
  GIT_AUTHOR_DATE="2026-08-21T08:28:40+02:00" GIT_COMMITTER_DATE="2026-08-21T08:28:40+02:00" \
    git -c user.name=snapshot -c user.email=snapshot@localhost -c commit.gpgsign=false \
      commit -q -m "rustsec/advisory-db snapshot bf5c0d2 (2026-08-21)"
)
# cargo-deny judges the database's age by the later of its last commit and the time of
# .git/HEAD: dated like the snapshot, so deny.toml's maximum-db-staleness measures the
# snapshot's real age (a fresh file time would make any snapshot look new).
touch -d "2026-08-21T08:28:40+02:00" "$work/advisory-db/.git/HEAD"
echo "$stamp" > "$work/advisory-db/.git/certwise-snapshot"
mv "$work/advisory-db" "$db"
echo "$db"
