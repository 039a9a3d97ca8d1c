// Showing and printing letters (PDF) with pdf.js. pdf.js is loaded on first use (it is large and
// only the letter dialogs need it); its worker is a file of the build, so the window's security
// policy (`script-src 'self'`) allows it. Fonts are drawn as paths (`disableFontFace`) and nothing
// is evaluated (`isEvalSupported: false`): no `data:` fonts, no `eval` under that policy either.
import type { PDFDocumentProxy } from "pdfjs-dist";
import { hex } from "./referrals";

type PdfJs = typeof import("pdfjs-dist");

let loading: Promise<PdfJs> | null = null;

function pdfjs(): Promise<PdfJs> {
  loading ??= Promise.all([import("pdfjs-dist"), import("pdfjs-dist/build/pdf.worker.min.mjs?url")]).then(
    ([lib, worker]) => {
      lib.GlobalWorkerOptions.workerSrc = worker.default;
      return lib;
    },
  );
  return loading;
}

export type PdfDocument = PDFDocumentProxy;

/** Opens a PDF held in memory. `bytes` is copied: pdf.js hands its buffer to the worker. */
export async function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  const lib = await pdfjs();
  return lib.getDocument({
    data: bytes.slice(),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    verbosity: 0,
  }).promise;
}

/** Draws page `n` (from 1) on `canvas`, `cssWidth` CSS pixels wide, sharp on this screen
 *  (the canvas has devicePixelRatio device pixels per CSS pixel). */
export async function renderPage(doc: PdfDocument, n: number, canvas: HTMLCanvasElement, cssWidth: number): Promise<void> {
  const page = await doc.getPage(n);
  const base = page.getViewport({ scale: 1 });
  const ratio = window.devicePixelRatio || 1;
  const viewport = page.getViewport({ scale: (cssWidth / base.width) * ratio });
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${Math.floor((cssWidth * base.height) / base.width)}px`;
  await page.render({ canvas, viewport }).promise;
  page.cleanup();
}

/** Every page as a PNG `data:` URL at `dpi` (PDF units are 1/72 inch), for printing. */
export async function pageImages(doc: PdfDocument, dpi: number): Promise<string[]> {
  const out: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const viewport = page.getViewport({ scale: dpi / 72, intent: "print" } as { scale: number });
    const canvas = document.createElement("canvas");
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    await page.render({ canvas, viewport, intent: "print", background: "#ffffff" }).promise;
    out.push(canvas.toDataURL("image/png"));
    page.cleanup();
    canvas.width = canvas.height = 0;
  }
  return out;
}

/** SHA-256 of bytes as lower-case hex, or null where the window offers no Web Crypto. */
export async function sha256(bytes: Uint8Array): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  try {
    return hex(await subtle.digest("SHA-256", bytes.slice().buffer));
  } catch {
    return null;
  }
}

const PRINT_ROOT = "print-root";

/** Prints page images, one per A4 sheet without margins: they go into a container that only
 *  `@media print` shows (app.css), then the print dialog opens. The container stays until the
 *  next print or `clearPrint()` (some webviews lay the document out for printing only after
 *  `print()` returned, so removing it at once could print blank sheets). */
export async function printImages(urls: string[]): Promise<void> {
  clearPrint();
  const root = document.createElement("div");
  root.id = PRINT_ROOT;
  root.setAttribute("aria-hidden", "true");
  root.dataset.testid = "print-pages";
  root.dataset.pages = String(urls.length);
  const loaded = urls.map((src) => {
    const img = document.createElement("img");
    img.alt = "";
    img.className = "print-page";
    root.appendChild(img);
    return new Promise<void>((resolve) => {
      img.onload = () => resolve();
      img.onerror = () => resolve();
      img.src = src;
    });
  });
  document.body.appendChild(root);
  await Promise.all(loaded);
  window.print();
}

/** Removes what `printImages` prepared. */
export function clearPrint(): void {
  document.getElementById(PRINT_ROOT)?.remove();
}
