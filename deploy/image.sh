#!/usr/bin/env bash
# Builds the container image (Containerfile) from a binary built outside it: stages the binary,
# exactly the shared libraries it links (as ldd names them) with the dynamic loader, /tmp, /data,
# and the content and static folders into target/container, then runs `podman build` there.
#   bash deploy/image.sh [TAG]          default tag: localhost/jobprofiles:latest
#   BIN=path/to/jobprofiles bash deploy/image.sh    another binary than target/release/jobprofiles
set -euo pipefail
cd "$(dirname "$0")/.."

tag=${1:-localhost/jobprofiles:latest}
bin=${BIN:-target/release/jobprofiles}

if [ ! -x "$bin" ]; then
  echo "no binary at $bin: build it first (cargo build --release)" >&2
  exit 1
fi
if ! command -v podman >/dev/null 2>&1; then
  echo "installing podman from Debian…" >&2
  (apt-get update -qq && apt-get install -y -qq podman >/dev/null) >&2
fi

context=target/container
rm -rf "$context"
mkdir -p "$context/rootfs/usr/local/bin" "$context/rootfs/tmp" "$context/data"
cp "$bin" "$context/rootfs/usr/local/bin/jobprofiles"
chmod 0755 "$context/rootfs/usr/local/bin/jobprofiles"
chmod 1777 "$context/rootfs/tmp"

# `libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)` and, for the loader,
# `/lib64/ld-linux-x86-64.so.2 (0x…)`: each file goes to the very path the binary asks for.
libraries=$(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
if [ -z "$libraries" ]; then
  echo "ldd names no libraries for $bin: is it a dynamically linked ELF binary?" >&2
  exit 1
fi
for library in $libraries; do
  mkdir -p "$context/rootfs$(dirname "$library")"
  cp -L --preserve=mode "$library" "$context/rootfs$library"
done

cp -r content "$context/content"
cp -r static "$context/static"
cp -r fonts "$context/fonts"
# No layer cache: the build takes seconds, and each run would leave intermediate images behind.
podman build --quiet --layers=false --format docker --file Containerfile --tag "$tag" "$context" >/dev/null
echo "built $tag from $bin with $(wc -w <<<"$libraries") libraries" >&2
