import { describe, expect, it } from "vitest";
import { checkFile, extensionOf, formatsLabel, UPLOAD_CAP_BYTES } from "../../src/lib/file-check";

const f = (name: string, size = 1000, is_dir = false) => ({ path: `/x/${name}`, name, size, is_dir });

describe("checkFile", () => {
  it("takes the documented document formats", () => {
    for (const n of ["a.docx", "a.PDF", "a.txt", "a.rtf", "a.md", "a.html", "a.htm"]) expect(checkFile(f(n), "document"), n).toBeNull();
  });
  it("takes images only as attachments", () => {
    expect(checkFile(f("logo.png"), "attachment")).toBeNull();
    expect(checkFile(f("logo.png"), "document")?.kind).toBe("unsupported_file");
  });
  it("refuses legacy .doc with convert-to-docx advice", () => {
    const e = checkFile(f("old.doc"), "attachment")!;
    expect(e.kind).toBe("unsupported_file");
    expect(e.suggested_action).toBe("convert_to_docx");
    expect(e.message).toContain(".docx");
  });
  it("refuses unknown types naming what is supported", () => {
    const e = checkFile(f("budget.xlsx"), "document")!;
    expect(e.message).toContain("budget.xlsx");
    expect(e.message).toContain(".docx");
  });
  it("refuses files over the pre-signed cap, naming the cap; takes one byte under", () => {
    const e = checkFile(f("scan.pdf", UPLOAD_CAP_BYTES + 1), "document")!;
    expect(e.kind).toBe("too_large");
    expect(e.message).toContain("100 MB");
    expect(checkFile(f("scan.pdf", UPLOAD_CAP_BYTES), "document")).toBeNull();
  });
  it("refuses folders and empty files", () => {
    expect(checkFile(f("dir", 0, true), "document")?.message).toMatch(/folder/);
    expect(checkFile(f("e.txt", 0), "document")?.kind).toBe("validation");
  });
  it("reads extensions", () => {
    expect(extensionOf("a.tar.GZ")).toBe("gz");
    expect(extensionOf(".bashrc")).toBe("");
    expect(formatsLabel("document")).toBe(".docx .pdf .txt .rtf .md .html");
  });
});
