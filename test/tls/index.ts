// A test certificate authority and a certificate it issued for 127.0.0.1 and localhost (P-256, valid until
// 2126), made once with OpenSSL for the HTTPS tests — never for a real deployment:
//   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
//     -days 36500 -subj "/CN=Wasel test CA" -addext basicConstraints=critical,CA:TRUE
//   openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr \
//     -subj /CN=127.0.0.1
//   openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -out server.pem -days 36500 \
//     -extfile <(printf "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth")
// (the CA's key was then deleted).
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

export const tlsFiles = { ca: here('ca.pem'), cert: here('server.pem'), key: here('server.key') };

/** The server's environment for HTTPS with the test certificate. */
export const tlsEnv = { WASEL_TLS_CERT: tlsFiles.cert, WASEL_TLS_KEY: tlsFiles.key };

/**
 * The base64 SHA-256 of the certificate's public key: Chromium trusts a certificate with this key when
 * started with --ignore-certificate-errors-spki-list, as if its CA were installed.
 */
export function spkiHash(): string {
  const spki = new X509Certificate(readFileSync(tlsFiles.cert)).publicKey.export({
    type: 'spki',
    format: 'der',
  });
  return createHash('sha256').update(spki).digest('base64');
}
