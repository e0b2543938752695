import { AlignmentType, BorderStyle, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import { DateTime } from "luxon";

/**
 * Small building blocks for the regulated documents (issue 14): Word files a curator can file as
 * they are. A document is a title, paragraphs, "label: value" lines and tables; text is Times New
 * Roman 12 pt, A4, Russian dates ("1 декабря 2026 г.", "01.12.2026").
 */

export type Block = Paragraph | Table;
export type DocTranslate = (key: string, args?: Record<string, string | number>) => string;

/** A generated document: its file name and bytes. */
export interface DocFile {
  filename: string;
  content: Buffer;
}

const FONT = "Times New Roman";

export function title(text: string): Paragraph {
  return new Paragraph({ heading: HeadingLevel.HEADING_1, alignment: AlignmentType.CENTER, spacing: { after: 200 }, children: [new TextRun({ text, bold: true, size: 28, font: FONT })] });
}

export function heading(text: string): Paragraph {
  return new Paragraph({ heading: HeadingLevel.HEADING_2, spacing: { before: 200, after: 100 }, children: [new TextRun({ text, bold: true, size: 24, font: FONT })] });
}

/** A paragraph; line breaks in the text become breaks in Word. */
export function para(text: string, opts: { bold?: boolean; center?: boolean; right?: boolean } = {}): Paragraph {
  const lines = text.split("\n");
  return new Paragraph({
    alignment: opts.center ? AlignmentType.CENTER : opts.right ? AlignmentType.RIGHT : AlignmentType.BOTH,
    spacing: { after: 80 },
    children: lines.map((line, i) => new TextRun({ text: line, bold: opts.bold ?? false, size: 24, font: FONT, break: i > 0 ? 1 : 0 })),
  });
}

/** "Label: value" with the label in bold. */
export function field(label: string, value: string): Paragraph {
  return new Paragraph({
    spacing: { after: 80 },
    children: [new TextRun({ text: `${label}: `, bold: true, size: 24, font: FONT }), new TextRun({ text: value || "—", size: 24, font: FONT })],
  });
}

const border = { style: BorderStyle.SINGLE, size: 4, color: "000000" };

function cell(text: string, bold = false): TableCell {
  return new TableCell({
    borders: { top: border, bottom: border, left: border, right: border },
    children: text.split("\n").map((line) => new Paragraph({ children: [new TextRun({ text: line, bold, size: 22, font: FONT })] })),
  });
}

/** A bordered table with a bold header row, full page width. */
export function table(header: string[], rows: string[][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [new TableRow({ tableHeader: true, children: header.map((h) => cell(h, true)) }), ...rows.map((r) => new TableRow({ children: r.map((c) => cell(c)) }))],
  });
}

export async function pack(blocks: Block[], meta: { title: string; creator?: string }): Promise<Buffer> {
  const doc = new Document({
    creator: meta.creator ?? "Nastavnik",
    title: meta.title,
    styles: { default: { document: { run: { font: FONT, size: 24 } } } },
    sections: [{ properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1134, bottom: 1134, left: 1701, right: 850 } } }, children: blocks }],
  });
  return Packer.toBuffer(doc);
}

/** "01.12.2026" in the organization's zone, or "" for no date. */
export function day(at: Date | null | undefined, zone: string): string {
  return at ? DateTime.fromJSDate(at, { zone }).toFormat("dd.MM.yyyy") : "";
}

/** "1 декабря 2026 г." in the organization's zone. */
export function longDay(at: Date, zone: string): string {
  return `${DateTime.fromJSDate(at, { zone }).setLocale("ru").toFormat("d MMMM yyyy")} г.`;
}

/** A safe file name part: letters, digits and dashes. */
export function slug(text: string): string {
  return text.replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "doc";
}
