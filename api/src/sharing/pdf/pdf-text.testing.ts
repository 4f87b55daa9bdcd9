import { execFile } from 'node:child_process';

/**
 * For tests: the text of a PDF, as a reader would extract it (pdf-parse, i.e. Mozilla's pdf.js).
 * pdf.js loads its worker as an ES module, which Jest's CommonJS sandbox cannot import without
 * --experimental-vm-modules; so the extraction runs in a plain Node process.
 */
const SCRIPT = `
const { PDFParse } = require(process.argv[1]);
const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', async () => {
  const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
  try {
    const info = await parser.getInfo();
    const result = await parser.getText();
    process.stdout.write(JSON.stringify({ pages: result.total, text: result.text, title: info.info && info.info.Title }));
  } finally {
    await parser.destroy();
  }
});`;

export interface PdfText {
  pages: number;
  /** The text, whitespace (line breaks included) collapsed to single spaces. */
  text: string;
  title: string | null;
}

export function extractPdfText(pdf: Buffer): Promise<PdfText> {
  const parser = require.resolve('pdf-parse');
  return new Promise<PdfText>((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', SCRIPT, parser], { maxBuffer: 32 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`PDF text extraction failed: ${error.message}\n${stderr}`));
        return;
      }
      const out = JSON.parse(stdout) as PdfText;
      resolve({ ...out, text: out.text.replace(/\s+/g, ' ') });
    });
    child.stdin?.end(pdf);
  });
}
