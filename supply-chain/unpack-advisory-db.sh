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
if [ -d "$db/.git" ]; then echo "$db"; exit 0; fi
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
mv "$work/advisory-db" "$db"
echo "$db"
