/**
 * Hands a file to the browser as a download. The link's address is released a minute
 * later, not at once: the browser reads it after the click, and a release right away can
 * cancel the download.
 */
export function download(file: Blob, name: string): void {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 60_000);
}
