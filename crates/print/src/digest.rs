//! SHA-256 of a document's content: the PDF's `/ID` and the seed of its font subset tags, so
//! equal documents give equal bytes and different ones different bytes.

use sha2::{Digest, Sha256};

use crate::{Align, Block, Document};

/// A length-prefixed, tagged encoding of everything printed or written into the PDF, fed to
/// SHA-256. Bump `VERSION` whenever the layout changes what the same document looks like.
pub(crate) fn digest(doc: &Document) -> [u8; 32] {
    const VERSION: &[u8] = b"rightsdesk-print 1";
    let mut h = Hasher(Sha256::new());
    h.bytes(VERSION);
    h.str(&doc.title);
    h.str(&doc.author);
    h.str(&doc.lang);
    h.str(&doc.date.to_string());
    match &doc.logo {
        Some(png) => {
            h.tag(1);
            h.bytes(png);
        }
        None => h.tag(0),
    }
    h.len(doc.letterhead.len());
    for line in &doc.letterhead {
        h.str(line);
    }
    h.blocks(&doc.blocks);
    h.str(&doc.footer.left);
    h.str(&doc.footer.page_label);
    h.0.finalize().into()
}

struct Hasher(Sha256);

impl Hasher {
    fn tag(&mut self, t: u8) {
        self.0.update([t]);
    }
    fn len(&mut self, n: usize) {
        self.0.update((n as u64).to_be_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.0.update(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn num(&mut self, v: f32) {
        self.0.update(v.to_bits().to_be_bytes());
    }
    fn align(&mut self, a: Align) {
        self.tag(match a {
            Align::Left => 0,
            Align::Right => 1,
            Align::Center => 2,
            Align::Justify => 3,
        });
    }
    fn blocks(&mut self, blocks: &[Block]) {
        self.len(blocks.len());
        for block in blocks {
            match block {
                Block::Paragraph(p) => {
                    self.tag(1);
                    self.str(&p.text);
                    self.tag(u8::from(p.bold));
                    self.num(p.size);
                    self.align(p.align);
                    self.num(p.indent_mm);
                    self.num(p.space_after_mm);
                }
                Block::Heading(t) => {
                    self.tag(2);
                    self.str(t);
                }
                Block::List { items, numbered } => {
                    self.tag(3);
                    self.tag(u8::from(*numbered));
                    self.len(items.len());
                    for item in items {
                        self.str(item);
                    }
                }
                Block::Fields(rows) => {
                    self.tag(4);
                    self.len(rows.len());
                    for (label, value) in rows {
                        self.str(label);
                        self.str(value);
                    }
                }
                Block::Spacer(mm) => {
                    self.tag(5);
                    self.num(*mm);
                }
                Block::Rule => self.tag(6),
                Block::KeepTogether(inner) => {
                    self.tag(7);
                    self.blocks(inner);
                }
                Block::PageBreak => self.tag(8),
                Block::Table(t) => {
                    self.tag(9);
                    self.len(t.columns.len());
                    for c in &t.columns {
                        self.str(&c.header);
                        self.align(c.align);
                    }
                    self.len(t.rows.len());
                    for r in &t.rows {
                        self.tag(u8::from(r.bold));
                        self.len(r.cells.len());
                        for cell in &r.cells {
                            self.str(cell);
                        }
                    }
                    self.len(t.repeat_columns);
                    self.num(t.size);
                }
                Block::BarChart(c) => {
                    self.tag(10);
                    self.str(&c.title);
                    self.len(c.series.len());
                    for s in &c.series {
                        self.str(s);
                    }
                    self.len(c.bars.len());
                    for b in &c.bars {
                        self.str(&b.label);
                        self.len(b.values.len());
                        for v in &b.values {
                            match v {
                                Some(v) => {
                                    self.tag(1);
                                    self.0.update(v.to_bits().to_be_bytes());
                                }
                                None => self.tag(0),
                            }
                        }
                        self.str(&b.text);
                    }
                }
            }
        }
    }
}
