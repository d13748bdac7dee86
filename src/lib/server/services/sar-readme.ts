/** README.txt of a SAR export bundle: what is in it and how to check it offline. */
export function bundleReadme(reference: string, generatedAt: string, recordings: number): string {
  return `Subject access request ${reference}
Generated ${generatedAt} with ${recordings} call recording(s).

Contents
  recordings/<start time>-<id>/audio.mp3            the call audio as stored (MP3)
  recordings/<start time>-<id>/timeline.json        when recording started, paused (and why), resumed, ended
  recordings/<start time>-<id>/access-history.json  who listened to or otherwise accessed it, when, and why
  manifest.json    the case, and every file's path, size in bytes and SHA-256
  SHA256SUMS       the SHA-256 of every file above, including manifest.json and this README
  README.txt       this file

Gaps in a recording are deliberate where the timeline says so, for example while the caller was on hold
or on the card-payment line; such audio was never recorded.

How to verify this bundle offline
  1. Unpack it into an empty folder and open a terminal there.
  2. Linux:   sha256sum -c SHA256SUMS
     macOS:   shasum -a 256 -c SHA256SUMS
     Windows: Get-FileHash -Algorithm SHA256 <file>   (PowerShell; compare with SHA256SUMS)
  3. Every line must end in "OK". A file that was changed, truncated or replaced fails.
  4. Optionally compare the SHA-256 of manifest.json with the one the organisation recorded when it sent
     the bundle (it is kept in its audit log).
`;
}
