#!/usr/bin/env bash
# Builds the offline busybox:1.35 test image with the shared acceptance script, retrying: that
# script's `busybox --list | grep -q` check can fail under pipefail when grep exits first.
set -uo pipefail
out=${1:?usage: busybox-image.sh OUT.tar}
script="$(cd "$(dirname "$0")/../.." && pwd)/shared/acceptance/make-busybox-image.sh"
[ -f "$script" ] || script=/work/shared/acceptance/make-busybox-image.sh
for attempt in 1 2 3; do
  bash "$script" "$out" && exit 0
  echo "busybox image: attempt $attempt failed" >&2
done
exit 1
