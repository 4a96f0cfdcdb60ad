#!/bin/sh
# Throw-away lab PKI (never used outside the loopback-only lab namespaces).
#   Diag Test Root CA -> Diag Test Issuing CA 1 -> leaf for the lab names: the API mock's chain, trusted by
#   the client through NODE_EXTRA_CA_CERTS / SSL_CERT_FILE.
#   Contoso SSL Inspection Root CA -> Contoso SSL Inspection Issuing CA -> leaf: the intercepting middlebox,
#   which the client does not trust.
# Leaves are valid for 365 days from now, so a client clock 500 days behind sees "not yet valid" and one
# 400 days ahead sees "expired".
# Usage: pki.sh DIR
set -eu
d=$1
mkdir -p "$d"
cd "$d"
[ -f done ] && exit 0
names="DNS:api.anthropic.com,DNS:console.anthropic.com,DNS:platform.claude.com,DNS:claude.ai,DNS:statsig.anthropic.com,DNS:proxy.corp.example,DNS:llm-gateway.corp.example,DNS:localhost,IP:127.0.0.1"

ca() { # name subject [signer]
  openssl req -new -newkey rsa:2048 -nodes -keyout "$1.key" -subj "/O=$2/CN=$2" -out "$1.csr" 2>/dev/null
  printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n' >"$1.ext"
  if [ -z "${3:-}" ]; then
    openssl x509 -req -in "$1.csr" -signkey "$1.key" -days 3650 -extfile "$1.ext" -out "$1.crt" 2>/dev/null
  else
    printf 'authorityKeyIdentifier=keyid\n' >>"$1.ext"
    openssl x509 -req -in "$1.csr" -CA "$3.crt" -CAkey "$3.key" -CAcreateserial -days 1825 -extfile "$1.ext" -out "$1.crt" 2>/dev/null
  fi
}
leaf() { # name signer
  openssl req -new -newkey rsa:2048 -nodes -keyout "$1.key" -subj "/CN=api.anthropic.com" -out "$1.csr" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\nauthorityKeyIdentifier=keyid\n' "$names" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -days 365 -extfile "$1.ext" -out "$1.crt" 2>/dev/null
}

ca root "Diag Test Root CA"
ca issuing "Diag Test Issuing CA 1" root
leaf api issuing
cat api.crt issuing.crt >api-chain.pem
cp root.crt bundle.pem

ca contoso-root "Contoso SSL Inspection Root CA"
ca contoso-issuing "Contoso SSL Inspection Issuing CA" contoso-root
leaf contoso-leaf contoso-issuing
cat contoso-leaf.crt contoso-issuing.crt contoso-root.crt >contoso-chain-with-root.pem
cat contoso-leaf.crt contoso-issuing.crt >contoso-chain.pem
rm -f ./*.csr ./*.ext ./*.srl
chmod 644 ./*
touch done
