#!/usr/bin/env bash
# Proves that scripts/emulator.sh works on a BARE Debian 12 machine, as CI starts: builds a
# minbase chroot with debootstrap (mirror read from this machine's apt sources), copies the
# script in, then times install, start, an envelope round trip with boto3 and stop.
#
#   sudo scripts/prove-emulator-in-chroot.sh [CHROOT_DIR]   (default: a new directory under /tmp)
#
# Needs root on Debian 12. Installs debootstrap on the host if it is missing. Leaves the
# chroot in place for inspection; delete it with `rm -rf --one-file-system CHROOT_DIR`.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHROOT=${1:-$(mktemp -d /tmp/emulator-chroot.XXXXXX)}

# The same mirror lookup the emulator script uses (its `mirror` subcommand).
MIRROR=$("$PROJECT_DIR/scripts/emulator.sh" mirror)
[ -n "$MIRROR" ] || { echo "no Debian mirror in the system's apt sources" >&2; exit 1; }

command -v debootstrap >/dev/null || apt-get install -y debootstrap >/dev/null || { apt-get update >/dev/null && apt-get install -y debootstrap >/dev/null; }

seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%.1f s", b - a }'; }

if [ ! -x "$CHROOT/usr/bin/apt-get" ]; then
  t=$(seconds)
  debootstrap --variant=minbase bookworm "$CHROOT" "$MIRROR" >"$CHROOT.debootstrap.log" 2>&1
  echo "debootstrap minbase bookworm: $(elapsed "$t")"
fi

mount -t proc proc "$CHROOT/proc"
trap 'chroot "$CHROOT" /proj/scripts/emulator.sh stop >/dev/null 2>&1 || true; umount "$CHROOT/proc"' EXIT
mkdir -p "$CHROOT/proj/scripts"
cp "$PROJECT_DIR/scripts/emulator.sh" "$CHROOT/proj/scripts/"
cp /etc/resolv.conf "$CHROOT/etc/resolv.conf" 2>/dev/null || true
in_chroot() { chroot "$CHROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }

t=$(seconds); in_chroot /proj/scripts/emulator.sh install; echo "install (cold): $(elapsed "$t")"
t=$(seconds); endpoint=$(in_chroot /proj/scripts/emulator.sh start); echo "start: $(elapsed "$t") at $endpoint"
t=$(seconds)
in_chroot /usr/bin/python3 - "$endpoint" <<'EOF'
import sys, boto3
kms = boto3.client("kms", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="testing", aws_secret_access_key="testing")
key = kms.create_key(Description="chroot smoke")["KeyMetadata"]["KeyId"]
context = {"purpose": "chroot-smoke"}
data_key = kms.generate_data_key(KeyId=key, KeySpec="AES_256", EncryptionContext=context)
back = kms.decrypt(CiphertextBlob=data_key["CiphertextBlob"], EncryptionContext=context)
assert back["Plaintext"] == data_key["Plaintext"], "data key differs after Decrypt"
print("envelope round trip: same data key back")
EOF
echo "smoke: $(elapsed "$t")"
t=$(seconds); in_chroot /proj/scripts/emulator.sh stop; echo "stop: $(elapsed "$t")"
if in_chroot /proj/scripts/emulator.sh status >/dev/null; then echo "still running after stop" >&2; exit 1; fi
t=$(seconds); in_chroot /proj/scripts/emulator.sh start >/dev/null; echo "start (warm): $(elapsed "$t")"
in_chroot /proj/scripts/emulator.sh stop
