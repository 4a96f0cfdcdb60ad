#!/bin/bash
# Lays out the lab on a Debian 12 machine, as root: packages, the unprivileged user "dev" that runs the
# clients, /home/dev/project (the client programs, a venv with requests/httpx, node_modules with axios and
# undici, the Go binary), the lab PKI in /home/dev/certs and trust stores holding the lab root CA.
# Idempotent. Versions used for the stored captures: see ../SOURCE.txt.
set -euo pipefail
KIT=$(cd "$(dirname "$0")" && pwd)
P=/home/dev/project
C=/home/dev/certs

DEBIAN_FRONTEND=noninteractive apt-get install -y -q golang-go tinyproxy squid iptables microsocks \
  python3-venv python3-cryptography curl iproute2 >/dev/null
# Node 20 (with npm) and Java 17 come with the machine image; Debian's own nodejs/npm would conflict with it
command -v node >/dev/null && command -v npm >/dev/null && command -v java >/dev/null
id dev >/dev/null 2>&1 || useradd -m -u 1500 -s /bin/bash dev

install -d -o dev -g dev "$P" "$C"
cp "$KIT"/clients/* "$P"/
[ -x "$P/.venv/bin/python" ] || /usr/bin/python3 -m venv "$P/.venv"
"$P/.venv/bin/pip" install -q requests==2.34.2 httpx==0.28.1
# undici pinned to the version Node 20.20.2 bundles (process.versions.undici), so the dispatcher matches its fetch
(cd "$P" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install -s axios@1.21.1 undici@6.24.1)
(cd "$P" && go build -o call call.go)
chown -R dev:dev "$P"

[ -f "$C/root.crt" ] || /usr/bin/python3 "$KIT/pki.py" "$C"
chmod 644 "$C"/*
# Trust stores as a machine with the lab root installed would have them; lab.py bind-mounts them inside the
# namespace over the system bundle (curl, Go), Java's cacerts and the venv's certifi bundle (requests, httpx).
# Node reads NODE_EXTRA_CA_CERTS instead (its store is compiled in).
cat /etc/ssl/certs/ca-certificates.crt "$C/root.crt" > "$C/system-bundle.crt"
CERTIFI=$("$P/.venv/bin/python" -c 'import certifi; print(certifi.where())')
cat "$CERTIFI" "$C/root.crt" > "$C/certifi-bundle.pem"
rm -f "$C/java-cacerts"
cp /etc/ssl/certs/java/cacerts "$C/java-cacerts"
keytool -importcert -noprompt -keystore "$C/java-cacerts" -storepass changeit -alias diag-test-root -file "$C/root.crt" >/dev/null
chmod 644 "$C"/*
echo "lab ready: $P, $C"
