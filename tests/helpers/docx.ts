import JSZip from "jszip";

/** The text of a .docx: the runs of word/document.xml, joined per paragraph. */
export async function docxText(content: Buffer | Uint8Array): Promise<string> {
  const zip = await JSZip.loadAsync(content);
  const xml = await zip.file("word/document.xml")!.async("string");
  return xml
    .split(/<\/w:p>/)
    .map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(""))
    .filter((line) => line !== "")
    .join("\n")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&apos;/g, "'");
}
