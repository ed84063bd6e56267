#!/usr/bin/env bash
# Verifies a StorageServer erasure receipt without the server, with standard tools only
# (bash, coreutils, openssl). A receipt is a JWS (RFC 7515, compact serialisation, ES256):
#   BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(signature)
# where the signature is ECDSA P-256 over SHA-256 of the ASCII bytes "header.payload", written as
# the 64 bytes r||s (RFC 7518 §3.4). openssl wants it DER-encoded, so r and s are re-encoded.
#
# usage: scripts/verify-erasure-receipt.sh receipt.jws public-key.pem [payload-out.json]
#   receipt.jws     GET /api/erasure/receipts/{id}/jws (or the "jws" field of GET /api/erasure/receipts/{id})
#   public-key.pem  GET /api/erasure/public-key
# Prints "Verified OK" and writes the payload (the exact signed bytes) when the signature holds;
# exits non-zero otherwise.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 receipt.jws public-key.pem [payload-out.json]" >&2; exit 2; }
jws=$(tr -d ' \r\n' < "$1")
key=$2
out=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

IFS=. read -r header payload signature extra <<< "$jws"
[ -n "$header" ] && [ -n "$payload" ] && [ -n "$signature" ] && [ -z "${extra:-}" ] || { echo "not a compact JWS" >&2; exit 1; }

b64url_decode() { # base64url without padding -> bytes
  local s=${1//-/+}; s=${s//_//}
  case $(( ${#s} % 4 )) in 2) s="$s==";; 3) s="$s=";; 1) echo "bad base64url" >&2; return 1;; esac
  printf '%s' "$s" | base64 -d
}

b64url_decode "$header" > "$work/header.json"
grep -q '"alg":"ES256"' "$work/header.json" || { echo "header does not say alg ES256: $(cat "$work/header.json")" >&2; exit 1; }

# 1. The signing input: the first two parts exactly as they are in the receipt.
printf '%s.%s' "$header" "$payload" > "$work/signing-input"
# 2. The signature: 32 bytes r, 32 bytes s -> DER SEQUENCE { INTEGER r, INTEGER s }.
b64url_decode "$signature" > "$work/signature.raw"
[ "$(wc -c < "$work/signature.raw")" -eq 64 ] || { echo "an ES256 signature is 64 bytes" >&2; exit 1; }
hex=$(od -An -v -tx1 "$work/signature.raw" | tr -d ' \n')
printf 'asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x%s\ns=INTEGER:0x%s\n' "${hex:0:64}" "${hex:64:64}" > "$work/signature.cnf"
openssl asn1parse -genconf "$work/signature.cnf" -out "$work/signature.der" -noout
# 3. Verify with the published public key.
openssl dgst -sha256 -verify "$key" -signature "$work/signature.der" "$work/signing-input"
# 4. The payload the signature covers, byte for byte.
if [ -n "$out" ]; then b64url_decode "$payload" > "$out"; else b64url_decode "$payload"; echo; fi
