#!/usr/bin/env bash
# Builds the root filesystem of the offline base image caas/busybox:1 and
# writes it as a tar archive, ready for `docker import`. No registry involved:
# everything comes from Debian's busybox-static package.
#
#   infra/docker/build-busybox-image.sh OUT.tar
#   docker -H unix:///... import --change 'CMD ["sh"]' OUT.tar caas/busybox:1
#
# infra/local/docker.sh calls it and imports the result into every local engine.
#
# Rootfs:  /bin/busybox (static) with its applets as symlinks in /bin, /sbin,
#          /usr/bin, /usr/sbin (made by `busybox --install -s` in a chroot of the
#          rootfs); /etc/passwd and /etc/group with root and nobody; /tmp (1777);
#          /www/index.html, so `busybox httpd -f -p 8080 -h /www` serves a page.
# The archive is reproducible: sorted, fixed mtime, numeric owner root.
#
# Must run as root (chroot, root-owned files).

set -euo pipefail

# shellcheck source=infra/local/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../local/lib.sh"
CAAS_LOG_TAG=build-busybox-image

BUSYBOX=/bin/busybox

(($# == 1)) || {
  echo "usage: $0 OUT.tar" >&2
  exit 2
}
out="$1"
[[ "$EUID" -eq 0 ]] || die "needs root (chroot, root-owned files in the image)"
[[ "$(dpkg-query -W -f='${Status}' busybox-static 2>/dev/null)" == "install ok installed" ]] ||
  die "busybox-static is not installed (apt-get install busybox-static)"
[[ -x "$BUSYBOX" ]] || die "$BUSYBOX not found (it comes with busybox-static)"

rootfs="$(mktemp -d "${TMPDIR:-/tmp}/caas-busybox-rootfs.XXXXXX")"
trap 'rm -rf "$rootfs"' EXIT
chmod 0755 "$rootfs"

mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,root,www,proc,sys,dev}
install -d -m 1777 "$rootfs/tmp"
chmod 0700 "$rootfs/root"
install -m 0755 "$BUSYBOX" "$rootfs/bin/busybox"

# In the chroot there is no /proc, so busybox cannot resolve /proc/self/exe and
# links its applets to argv[0], /bin/busybox, as seen from inside the image.
chroot "$rootfs" /bin/busybox --install -s ||
  die "'busybox --install -s' failed in $rootfs"
for applet in sh httpd wget; do
  [[ -L "$rootfs/bin/$applet" || -L "$rootfs/sbin/$applet" || -L "$rootfs/usr/bin/$applet" || -L "$rootfs/usr/sbin/$applet" ]] ||
    die "busybox from busybox-static has no '$applet' applet"
done

cat >"$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$rootfs/etc/group" <<'EOF'
root:x:0:
nobody:x:65534:
EOF
chmod 0644 "$rootfs/etc/passwd" "$rootfs/etc/group"

cat >"$rootfs/www/index.html" <<'EOF'
<!doctype html>
<html><head><title>caas/busybox:1</title></head>
<body><p>caas/busybox:1 is serving HTTP.</p></body></html>
EOF
chmod 0644 "$rootfs/www/index.html"

mkdir -p "$(dirname "$out")"
tmp="$(mktemp "$(dirname "$out")/.$(basename "$out").XXXXXX")"
if ! tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
  -C "$rootfs" -cf "$tmp" .; then
  rm -f "$tmp"
  die "could not write $out"
fi
chmod 0644 "$tmp"
mv -f "$tmp" "$out"
