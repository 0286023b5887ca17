#!/usr/bin/env bash
# A full disk: writing an image or a text file onto a 256 KiB file system (a tmpfs this test mounts,
# so it needs root) fails with one line, keeps the previous output and leaves nothing behind.
tweedie=$1
sample=$2
source "$(dirname "$0")/cli_lib.sh"

mkdir "$work/disk"
if [[ $(id -u) != 0 ]] || ! mount -t tmpfs -o size=256k tmpfs "$work/disk" 2>/dev/null; then
  echo "SKIP: mounting a small tmpfs needs root (and a system that allows it)"
  exit 77
fi
trap 'umount "$work/disk"; rm -rf "$work"' EXIT

"$tweedie" geometry --views 8 --image-size 32 --output "$work/disk/g.json" >/dev/null
"$tweedie" convert --input "$sample" --slice-count 1 --output "$work/slice.mha" >/dev/null  # 1 MiB
"$tweedie" degrade --input "$work/slice.mha" --operator decimate --factor 8 --output "$work/disk/small.mha" >/dev/null
cp "$work/disk/small.mha" "$work/disk/g.json" "$work/"
expect_one_line_error "disk/small.mha" "$tweedie" convert --input "$work/slice.mha" --output "$work/disk/small.mha"
cmp -s "$work/small.mha" "$work/disk/small.mha" || fail "a failed write changed the previous image"
# The disk filled to its last block: a geometry file (text) cannot be written either.
dd if=/dev/zero of="$work/disk/filler" bs=4k 2>/dev/null || true
expect_one_line_error "disk/g.json" "$tweedie" geometry --views 720 --image-size 512 --output "$work/disk/g.json"
cmp -s "$work/g.json" "$work/disk/g.json" || fail "a failed write changed the previous geometry file"
[[ $(ls -A "$work/disk" | sort | tr '\n' ' ') == "filler g.json small.mha " ]] || fail "left behind: $(ls -A "$work/disk")"
echo "cli_full_disk: ok"
