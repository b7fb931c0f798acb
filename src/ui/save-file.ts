// Offers bytes made on the page as a file download, through a temporary link (the page's policy allows
// blob: URLs for downloads).
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked once the download has surely taken it.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 60_000);
}
